"""The nightly `dbt build` in this process, on a stored manifest (dbt's programmatic runner).

A `dbt` subprocess costs an interpreter and dbt's imports (3-4 s), then a partial parse
(3-5 s: every project file hashed, the manifest re-validated and re-written). Here dbt runs
through `dbtRunner` and is handed the manifest it parsed last time (a copy of its
`partial_parse.msgpack`, kept by key in MANIFEST_CACHE for every warehouse of this
checkout), provided the key it was parsed under still holds:

* the content digest of every project file dbt reads (models, macros, tests, analyses,
  snapshots, seeds, dbt_project.yml, profiles.yml), and dbt's version;
* the value of every environment variable the parse read (dbt records them in the
  manifest: the marts schema, the raw schema names...) and the profile's target.
  LEAD_FUNNEL_AS_OF is
  read only in the SQL of `stg_lead_funnel__run_context`, which dbt renders again when it
  runs the model, so a new as-of reuses the manifest.

The warehouse file is not part of the key: every node names the DuckDB catalog, which
dbt-duckdb names after the file's stem, so a manifest parsed for `a.duckdb` is relocated
for `b.duckdb` (`relocate_catalog`: each node's, source's and semantic model's `database`
and `relation_name`, nothing else in a manifest names it) - exactly what a parse for
`b.duckdb` would give. A fresh warehouse file (every test, a new `make run`) parses no more.

When no stored manifest matches, dbt parses in this process (partially, from the
warehouse target's own partial-parse file) and the result is stored under its key. dbt's text log (`dbt.log`, with every statement's SQL) is written to
the target directory as before, and the console lines go to the run's log file.
An analytics engineer's `dbt build` is untouched: the same project, dbt's own parsing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from lead_funnel.faults import checkpoint
from lead_funnel.paths import DBT_PROJECT_DIR, SEEDS_DIR
from lead_funnel.progress import Heartbeat

# parsed manifests by key, shared by every warehouse this checkout runs on
MANIFEST_CACHE = DBT_PROJECT_DIR / "target" / "lead_funnel_manifests"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"
KEEP_MANIFESTS = 8
_PROJECT_FOLDERS = ("models", "macros", "tests", "analyses", "snapshots")
_PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "selectors.yml")
# read by the profile (not recorded in the manifest), but a parse depends on them
_PROFILE_ENV = ("LEAD_FUNNEL_DBT_TARGET",)
# the DuckDB catalog every node names is the warehouse file's stem, not its whole path
_CATALOG_ENV = "LEAD_FUNNEL_DATABASE"
# read only inside model SQL, which dbt renders again at run time
_RUNTIME_ONLY_ENV = ("LEAD_FUNNEL_AS_OF",)
FAULT_AFTER_RESULTS = 10
PROGRESS_EVERY = 50


def project_digest() -> str:
    """sha256 over the relative path and content of every file a dbt parse reads."""
    paths = [DBT_PROJECT_DIR / name for name in _PROJECT_FILES]
    for folder in _PROJECT_FOLDERS:
        paths += sorted(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    if SEEDS_DIR.exists():
        paths += sorted(p for p in SEEDS_DIR.rglob("*") if p.is_file())
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(str(path.relative_to(DBT_PROJECT_DIR.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _dbt_version() -> str:
    from dbt.version import __version__

    return str(__version__)


def manifest_key(env_names: list[str]) -> dict[str, Any]:
    names = sorted(set(env_names) - set(_RUNTIME_ONLY_ENV) - {_CATALOG_ENV} | set(_PROFILE_ENV))
    return {
        "dbt": _dbt_version(),
        "project": project_digest(),
        "env": {name: os.environ.get(name) for name in names},
    }


def current_catalog() -> str | None:
    """The DuckDB catalog dbt-duckdb names after the warehouse file (its stem)."""
    from dbt.adapters.duckdb.credentials import DuckDBCredentials

    database = os.environ.get(_CATALOG_ENV)
    return DuckDBCredentials.path_derived_database_name(database) if database else None


def relocate_catalog(manifest: Any, parsed: str | None, catalog: str | None) -> int:
    """Point a manifest parsed for the catalog `parsed` at `catalog`; the fields changed."""
    if not parsed or not catalog or parsed == catalog:
        return 0
    old, new = f'"{parsed}".', f'"{catalog}".'
    changed = 0
    relations = [*manifest.nodes.values(), *manifest.sources.values()]
    relations += [model.node_relation for model in manifest.semantic_models.values()]
    for relation in relations:
        if relation is None:
            continue
        if getattr(relation, "database", None) == parsed:
            relation.database = catalog
            changed += 1
        name = getattr(relation, "relation_name", None)
        if name and name.startswith(old):
            relation.relation_name = new + name[len(old) :]
            changed += 1
    return changed


def _key_digest(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]


def load_stored_manifest() -> Any | None:
    """A manifest dbt parsed before under the key that holds now, else None."""
    if not MANIFEST_CACHE.exists():
        return None
    digest = project_digest()
    for key_path in sorted(MANIFEST_CACHE.glob("*.json")):
        try:
            stored = json.loads(key_path.read_text())
        except (OSError, ValueError):
            continue
        parsed_catalog = stored.pop("parsed_catalog", None)
        if stored.get("project") != digest or manifest_key(list(stored.get("env", {}))) != stored:
            continue
        state = key_path.with_suffix(".msgpack")
        from dbt.contracts.graph.manifest import Manifest
        from dbt.parser.manifest import extended_mashumuro_decoder

        try:
            manifest = Manifest.from_msgpack(state.read_bytes(), decoder=extended_mashumuro_decoder)
        except Exception:  # half written, another dbt version: parse again
            continue
        relocate_catalog(manifest, parsed_catalog, current_catalog())
        manifest.build_flat_graph()
        return manifest
    return None


def store_manifest(target_path: Path, manifest: Any) -> None:
    """Keep the manifest dbt just parsed (its partial-parse file) under its key."""
    state = target_path / PARTIAL_PARSE_FILE
    if not state.exists():
        return
    key = manifest_key(list(getattr(manifest, "env_vars", {}) or {}))
    MANIFEST_CACHE.mkdir(parents=True, exist_ok=True)
    name = _key_digest(key)
    partial = MANIFEST_CACHE / f"{name}.{os.getpid()}.tmp"
    shutil.copyfile(state, partial)
    os.replace(partial, MANIFEST_CACHE / f"{name}.msgpack")
    key["parsed_catalog"] = current_catalog()
    (MANIFEST_CACHE / f"{name}.json").write_text(json.dumps(key, indent=1))
    _prune_cache(keep=KEEP_MANIFESTS)


def _prune_cache(keep: int) -> None:
    """Keep the newest `keep` manifests (one per project state and schema names)."""
    keys = sorted(MANIFEST_CACHE.glob("*.json"), key=lambda path: path.stat().st_mtime)
    for stale in keys[:-keep]:
        stale.with_suffix(".msgpack").unlink(missing_ok=True)
        stale.unlink(missing_ok=True)


@contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """dbt reads its variables from os.environ: set them for the call only."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class _ConsoleLog:
    """dbt's console lines into the run's log file; progress to the heartbeat."""

    def __init__(self, log: IO[str], beat: Heartbeat) -> None:
        self.log = log
        self.beat = beat
        self.results = 0
        self.total = 0
        self.fault: BaseException | None = None

    def __call__(self, msg: Any) -> None:
        info = msg.info
        if info.name == "NodeFinished":  # a debug-level event: counted before the filter
            self.results += 1
            if self.results == FAULT_AFTER_RESULTS:
                try:
                    checkpoint("dbt")
                except OSError as error:  # a simulated full disk: fail the build after dbt
                    self.fault = error
            done = f"{self.results} of {self.total}" if self.total else str(self.results)
            self.beat.update(f"{done} nodes done", force=self.results % PROGRESS_EVERY == 0)
            return
        if info.level == "debug" or not info.msg:
            return
        self.total = getattr(msg.data, "total", 0) or self.total  # "3 of 481 START ..." lines
        self.log.write(f"{info.msg}\n")


def release_warehouse() -> None:
    """Close dbt-duckdb's database handle, so this process can open the file with its own
    settings (DuckDB refuses a second configuration of an open file) and others can open it."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment_ = DuckDBConnectionManager._ENV
        DuckDBConnectionManager._ENV = None
    if environment_ is not None:
        environment_.close()


def dbt_flags(target_path: Path) -> list[str]:
    return [
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path),
    ]


def run_build_in_process(
    args: list[str], env: Mapping[str, str], target_path: Path, log_path: Path
) -> int:
    """Run `dbt <args>` in this process: 0 success, 1 a node failed, 2 dbt itself failed."""
    from dbt.cli.main import dbtRunner

    target_path.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    dbt_env = {
        name: value
        for name, value in env.items()
        if name.startswith(("LEAD_FUNNEL_", "DBT_", "DO_NOT_TRACK"))
    }
    with (
        log_path.open("w") as log,
        Heartbeat("dbt", "starting dbt") as beat,
        environment(dbt_env),
    ):
        console = _ConsoleLog(log, beat)
        manifest = load_stored_manifest()
        if manifest is None:
            beat.update("parsing the project (it changed since the last run)", force=True)
            parsed = dbtRunner(callbacks=[console]).invoke(
                ["parse", *dbt_flags(target_path), "--log-level", "none"]
            )
            if not parsed.success or parsed.result is None:
                log.write(f"dbt parse failed: {parsed.exception}\n")
                return 2
            manifest = parsed.result
            store_manifest(target_path, manifest)
        beat.update("building", force=True)
        try:
            result = dbtRunner(manifest=manifest, callbacks=[console]).invoke(
                [*args, *dbt_flags(target_path), "--log-level", "none"]
            )
        finally:
            release_warehouse()
        if console.fault is not None:
            raise console.fault
        if result.exception is not None:
            log.write(f"dbt failed: {result.exception}\n")
            return 2
        return 0 if result.success else 1
