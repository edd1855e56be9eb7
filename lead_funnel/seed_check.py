"""The seeds' own tests (seeds/_*.yml), checked on the CSV files before anything runs.

dbt runs the same tests after it has loaded every seed and built half the project; a
typo in a stage name then fails after half a minute with a test name. This reads the
`not_null`, `unique`, `accepted_values` and `relationships` tests the seeds yml
declares (the one place they live) and checks the CSV rows against them, so the
message names the file, the row and the value.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from lead_funnel import paths

REF = re.compile(r"ref\(\s*['\"](\w+)['\"]\s*\)")


class SeedError(ValueError):
    """A seed row breaks a test its yml declares."""


@dataclass(frozen=True)
class SeedProblem:
    path: Path
    row: int  # the line in the file (the header is line 1)
    column: str
    value: str | None
    rule: str

    def describe(self) -> str:
        shown = "empty" if self.value in (None, "") else repr(self.value)
        return f"{self.path}, line {self.row}, column {self.column}: {shown} {self.rule}"


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _seed_columns(seeds_dir: Path) -> dict[str, list[dict[str, Any]]]:
    declared: dict[str, list[dict[str, Any]]] = {}
    for yml in sorted(seeds_dir.glob("_*.yml")):
        document = yaml.safe_load(yml.read_text()) or {}
        for seed in document.get("seeds") or []:
            columns = declared.setdefault(seed["name"], [])
            columns.extend(seed.get("columns") or [])
            columns.extend(_folded_column_tests(seed.get("data_tests") or []))
    return declared


def _folded_column_tests(tests: list[Any]) -> list[dict[str, Any]]:
    """A seed's `column_checks` test (tests/generic/column_checks.sql), unfolded into the
    per-column tests it makes: {'name': column, 'data_tests': [...]} entries."""
    unfolded: list[dict[str, Any]] = []
    for test in tests:
        kind, arguments = _test_name_and_arguments(test)
        if kind != "column_checks":
            continue
        for column in arguments.get("not_null") or []:
            unfolded.append({"name": column, "data_tests": ["not_null"]})
        for column in arguments.get("unique") or []:
            unfolded.append({"name": column, "data_tests": ["unique"]})
        for column, spec in (arguments.get("accepted_values") or {}).items():
            values = spec.get("values") if isinstance(spec, dict) else spec
            unfolded.append(
                {"name": column, "data_tests": [{"accepted_values": {"values": values}}]}
            )
        for relation in arguments.get("relationships") or []:
            rule = {"to": relation.get("to"), "field": relation.get("field")}
            unfolded.append(
                {"name": relation["column_name"], "data_tests": [{"relationships": rule}]}
            )
    return unfolded


def _test_name_and_arguments(test: Any) -> tuple[str, dict[str, Any]]:
    if isinstance(test, str):
        return test, {}
    name, body = next(iter(test.items()))
    body = body or {}
    return name, dict(body.get("arguments") or body)


def seed_problems(seeds_dir: Path | None = None) -> list[SeedProblem]:
    """Every row that breaks a declared seed test (empty when the seeds are sound)."""
    seeds_dir = seeds_dir or paths.SEEDS_DIR
    problems: list[SeedProblem] = []
    cache: dict[str, list[dict[str, str]]] = {}

    def rows_of(seed: str) -> list[dict[str, str]]:
        if seed not in cache:
            path = seeds_dir / f"{seed}.csv"
            cache[seed] = _read_rows(path) if path.exists() else []
        return cache[seed]

    for seed, columns in _seed_columns(seeds_dir).items():
        path = seeds_dir / f"{seed}.csv"
        if not path.exists():
            continue
        rows = rows_of(seed)
        for column in columns:
            name = column["name"]
            if rows and name not in rows[0]:
                problems.append(SeedProblem(path, 1, name, None, "is missing from the header"))
                continue
            for test in column.get("data_tests") or []:
                kind, arguments = _test_name_and_arguments(test)
                values = [(line, row.get(name)) for line, row in enumerate(rows, start=2)]
                if kind == "not_null":
                    problems += [
                        SeedProblem(path, line, name, value, "must not be empty")
                        for line, value in values
                        if value in (None, "")
                    ]
                elif kind == "unique":
                    seen: dict[str, int] = {}
                    for line, value in values:
                        if value in (None, ""):
                            continue
                        if value in seen:
                            problems.append(
                                SeedProblem(path, line, name, value, f"repeats line {seen[value]}")
                            )
                        seen.setdefault(value, line)
                elif kind == "accepted_values":
                    allowed = [str(v) for v in arguments.get("values", [])]
                    problems += [
                        SeedProblem(path, line, name, value, f"is not one of {', '.join(allowed)}")
                        for line, value in values
                        if value not in (None, "") and value not in allowed
                    ]
                elif kind == "relationships":
                    target = REF.search(str(arguments.get("to", "")))
                    field = arguments.get("field")
                    if not target or not field:
                        continue
                    known = {row.get(field) for row in rows_of(target.group(1))}
                    problems += [
                        SeedProblem(
                            path,
                            line,
                            name,
                            value,
                            f"is not a {field} in {seeds_dir / (target.group(1) + '.csv')}",
                        )
                        for line, value in values
                        if value not in (None, "") and value not in known
                    ]
    return problems


def require_sound_seeds(seeds_dir: Path | None = None) -> None:
    """Raise SeedError naming every broken seed row (at most ten)."""
    problems = seed_problems(seeds_dir)
    if problems:
        shown = "\n".join(f"  {p.describe()}" for p in problems[:10])
        more = f"\n  ... and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise SeedError(
            f"{len(problems)} seed value(s) break the rules in seeds/_*.yml; "
            f"nothing was built:\n{shown}{more}\nFix the file(s) and run again."
        )
