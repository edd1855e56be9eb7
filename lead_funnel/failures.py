"""How a failed command reads: one FAILED block, each cause once, with what to do.

Causes arrive as exceptions (before or around the Dagster job) or as the text of a failed
step. A full disk, a lock held by another process and an unreadable file each get their
own sentence, wherever they surfaced (our code, DuckDB inside dbt, the SLA step).
"""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

GENERIC_CHECK_FAILURE = re.compile(
    r"^\S+: (\S+Error: )?\d+ blocking asset checks? failed with ERROR severity"
)
DISK_FULL = re.compile(r"No space left on device|Errno 28|ENOSPC|disk is full", re.IGNORECASE)
LOCKED = re.compile(r"Could not set lock on file|Conflicting lock is held")
UNREADABLE = re.compile(r"not a valid DuckDB database|Permission denied")


def _free_space(directory: Path) -> str:
    try:
        return f"{shutil.disk_usage(directory).free / 1e9:.2f} GB"
    except OSError:
        return "unknown"


def disk_full_sentence(directory: Path) -> str:
    return (
        f"the disk holding {directory} is full ({_free_space(directory)} free now): free some "
        "space (old copies of the warehouse, bench-runs/, data/*_artifacts) and run again"
    )


def explain_text(text: str, database: Path) -> str:
    """A failure message with the known causes turned into their own sentence."""
    if DISK_FULL.search(text):
        return disk_full_sentence(database.parent)
    if LOCKED.search(text):
        from lead_funnel.warehouse import describe_lock_holder

        return f"{database} is in use (DuckDB allows one writer per file): " + (
            describe_lock_holder(text)
        )
    if UNREADABLE.search(text) and str(database) in text:
        return f"{database} cannot be opened: " + (
            "it is not a DuckDB database file"
            if "not a valid" in text
            else "this user may not read or write it (permission denied)"
        )
    return text.strip()


def is_explained(error: BaseException) -> bool:
    """Errors whose message is the whole story (a traceback would add nothing)."""
    from lead_funnel.seed_check import SeedError
    from lead_funnel.spark_engine import SparkEngineError
    from lead_funnel.warehouse import UnreadableWarehouseError, WarehouseLockedError

    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    return isinstance(
        error,
        (
            SeedError,
            SparkEngineError,
            UnreadableWarehouseError,
            WarehouseLockedError,
            FileNotFoundError,
        ),
    )


def explain_exception(error: BaseException, database: Path) -> str:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return disk_full_sentence(database.parent)
    return explain_text(str(error), database)


STEP_PREFIX = re.compile(r"^[\w.\[\]-]+: ")


def step_causes(failures: list[str]) -> list[str]:
    """Failed steps' messages minus Dagster's own summary of blocking checks (named elsewhere),
    without the step key in front (the user did not name steps)."""
    return [
        STEP_PREFIX.sub("", failure, count=1)
        for failure in failures
        if not GENERIC_CHECK_FAILURE.match(failure)
    ]


def failure_block(command: str, causes: list[str], kept: str, details: str | None = None) -> str:
    """`lead-funnel <command> FAILED` with each distinct cause once."""
    unique: list[str] = []
    for cause in causes:
        if cause and cause not in unique:
            unique.append(cause)
    lines = [f"lead-funnel {command} FAILED" + (f": {kept}" if kept else "")]
    for cause in unique or ["no cause was reported"]:
        first, *rest = cause.splitlines()
        lines.append(f"  - {first}")
        lines += [f"    {line}" for line in rest]
    if details:
        lines.append(f"  {details}")
    return "\n".join(lines)
