"""`lead-funnel bench`: how the nightly job's cost grows with the CRM, against the floor.

For each size (leads) it measures, each in its own process with the peak memory of the
whole process tree sampled:

* generation of the raw data;
* the floor: one DuckDB pass that reads every raw table once (every column of every row)
  and groups all activities by lead — the least work any implementation must do (the
  fastest of three passes);
* a full `lead-funnel run`, broken down into phases (start-up, dbt parse, staging,
  intermediate, marts, scoring, dbt tests, SLA, checks, publication);
* an incremental nightly `lead-funnel run` after `generate --append-days 1`;
* with `--engines duckdb,spark`, the same nights on local Spark on the same generated data
  (copy-raw, full run, the appended day, incremental run) and Spark's published marts
  compared with DuckDB's (lead_funnel_tools.bench_spark).

With `--baseline-tree PATH` (another checkout with its own `.venv`, e.g. a `git worktree` of
main) every run is made twice on the same generated data, alternating the baseline's code and
this tree's, so both sides share the machine's load; `--repeats N` repeats the full run (from
a fresh copy of the generated file). The load average is recorded with every run (the
machine is shared). Results go to docs/benchmarks/ as markdown, CSV and a log-log chart,
with the machine.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil

from lead_funnel.settings import default_serve_path
from lead_funnel_tools.compare import differing_rows, table_differences

GIB = 1024**3
TARGETS = {
    "run_seconds_at_10k": 20.0,
    "full_run_seconds_at_1m": 120.0,
    "peak_gib_at_1m": 6.0,
    "incremental_share": 0.35,
}
THIS_TREE = "this tree"
BASELINE = "baseline"
DAGSTER_STEPS = {
    "lead_funnel_dbt_assets": "dbt",
    "sla_breaches": "sla",
    "stage_definition_invariants": "checks",
    "published_marts": "publication",
}
PHASES = (
    "startup", "dbt_parse", "staging", "intermediate", "marts", "scoring", "dbt_tests",
    "sla", "checks", "publication",
)  # fmt: skip


@dataclass
class Measured:
    seconds: float
    peak_bytes: int
    returncode: int
    output: str = ""
    cpu_seconds: float = 0.0  # user + system of the whole (reaped) process tree


def _tree_rss(process: psutil.Process, cpu: dict[int, float] | None = None) -> int:
    """RSS of the process and its descendants; each member's CPU so far goes into `cpu`."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
            if cpu is not None:
                times = member.cpu_times()
                cpu[member.pid] = times.user + times.system
        except psutil.Error:
            continue
    return total


def measure(
    command: list[str], *, env: dict[str, str] | None = None, log: Path | None = None
) -> Measured:
    """Run a command; its wall time and the peak RSS of its process tree (sampled every 0.1 s).

    CPU is the larger of the reaped descendants' (getrusage) and the sampled tree's: a JVM
    its parent never waits for (pyspark's gateway) is missing from the first."""
    started = time.perf_counter()
    cpu_before = _children_cpu()
    out = log.open("w") if log else subprocess.DEVNULL
    child = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    peak = 0
    sampled_cpu: dict[int, float] = {}
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        handle = psutil.Process(child.pid)
        while not done.is_set():
            try:
                peak = max(peak, _tree_rss(handle, sampled_cpu))
            except psutil.Error:
                return
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    returncode = child.wait()
    done.set()
    sampler.join()
    if log:
        out.close()  # type: ignore[union-attr]
    output = log.read_text()[-4000:] if log else ""
    cpu = max(_children_cpu() - cpu_before, sum(sampled_cpu.values()))
    return Measured(time.perf_counter() - started, peak, returncode, output, cpu)


def _children_cpu() -> float:
    """CPU seconds of every reaped descendant so far: on a shared machine, less noisy than wall time."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------------------------------- floor

FLOOR_ACTIVITY_TABLES = (
    "activity_visit_webpage", "activity_fill_out_form", "activity_click_email", "activity_open_email",
    "activity_change_status_in_progression", "activity_merge_leads", "activity_delete_lead",
)  # fmt: skip


FLOOR_REPEATS = 3


def floor_pass(database: Path, repeats: int = FLOOR_REPEATS) -> float:
    """The fastest of `repeats` passes: a single pass varies by ±25 % on a 2-core machine."""
    return min(_one_floor_pass(database) for _ in range(repeats))


def _one_floor_pass(database: Path) -> float:
    """Read every raw table once (hashing every column of every row) and group activities by lead."""
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in ('raw_salesforce', 'raw_marketo')"
        ).fetchall()
        started = time.perf_counter()
        for schema, table in tables:
            if schema == "raw_marketo" and table in FLOOR_ACTIVITY_TABLES:
                continue  # read below, grouped by lead
            con.execute(f'select count(*), sum(hash(t)) from {schema}."{table}" as t').fetchall()
        unioned = " union all ".join(
            f"select lead_id, hash(t) as h from raw_marketo.{table} as t"
            for table in FLOOR_ACTIVITY_TABLES
        )
        con.execute(
            f"select count(*), sum(activities), sum(digest) from ("
            f"select lead_id, count(*) as activities, sum(h) as digest from ({unioned}) group by lead_id)"
        ).fetchall()
        return time.perf_counter() - started


# ----------------------------------------------------------------------------------- run phases


def _merged_span(intervals: list[tuple[float, float]]) -> float:
    """Wall time covered by a set of (start, end) intervals (overlaps counted once)."""
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start  # type: ignore[operator]
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start  # type: ignore[operator]
    return total


def _layer(unique_id: str, path: str) -> str:
    kind = unique_id.split(".")[0]
    if kind == "test":
        return "dbt_tests"
    if kind == "seed":
        return "staging"
    if "/scoring/" in f"/{path}":
        return "scoring"
    for layer in ("staging", "intermediate"):
        if path.startswith(layer):
            return layer
    return "marts"  # marts and audit


def dbt_phases(run_results: Path, manifest: Path) -> dict[str, float]:
    """Wall time per dbt layer from run_results.json (node start/end, threads overlapping)."""
    nodes = json.loads(manifest.read_text())["nodes"]
    results = json.loads(run_results.read_text())["results"]
    spans: dict[str, list[tuple[float, float]]] = {}
    every: list[tuple[float, float]] = []
    for result in results:
        timing = {t["name"]: t for t in result.get("timing", [])}
        if "execute" not in timing or not timing["execute"].get("started_at"):
            continue
        start = datetime.fromisoformat(
            timing.get("compile", timing["execute"])["started_at"].rstrip("Z")
        ).timestamp()
        end = datetime.fromisoformat(timing["execute"]["completed_at"].rstrip("Z")).timestamp()
        path = nodes.get(result["unique_id"], {}).get("path", "")
        spans.setdefault(_layer(result["unique_id"], path), []).append((start, end))
        every.append((start, end))
    phases = {layer: _merged_span(intervals) for layer, intervals in spans.items()}
    phases["_nodes_wall"] = _merged_span(every)
    return phases


def _step_phase(step_key: str) -> str:
    """Dagster step keys carry the asset's key path (publication__published_marts)."""
    for name, phase in DAGSTER_STEPS.items():
        if step_key == name or step_key.endswith(f"__{name}"):
            return phase
    return step_key


def run_phases(database: Path, total_seconds: float) -> dict[str, float]:
    """Phases of the latest run of `database` from its run summary and dbt's run results."""
    from lead_funnel.settings import PipelineSettings

    settings = PipelineSettings.resolve(database)
    return artifact_phases(settings.runs_dir, settings.dbt_target_dir, total_seconds)


def artifact_phases(runs_dir: Path, dbt_target: Path, total_seconds: float) -> dict[str, float]:
    """Phases of the latest run summary in `runs_dir` and dbt's results in `dbt_target`
    (a DuckDB run's artifacts, or a Spark run's under DIR/spark_artifacts)."""
    summary_path = max(runs_dir.glob("*.json"), key=lambda p: p.stat().st_mtime)
    summary = json.loads(summary_path.read_text())
    steps = {_step_phase(key): seconds for key, seconds in summary["step_seconds"].items()}
    layers = dbt_phases(dbt_target / "run_results.json", dbt_target / "manifest.json")
    nodes_wall = layers.pop("_nodes_wall")
    phases = {name: 0.0 for name in PHASES}
    phases.update({k: v for k, v in layers.items() if k in phases})
    # dbt start-up (parse, manifest, connections) is the dbt step's time outside its nodes
    phases["dbt_parse"] = max(steps.get("dbt", 0.0) - nodes_wall, 0.0)
    for name in ("sla", "checks", "publication"):
        phases[name] = steps.get(name, 0.0)
    phases["startup"] = max(total_seconds - sum(steps.values()), 0.0)
    return phases


# ------------------------------------------------------------------------------------ the bench


@dataclass(frozen=True)
class Tree:
    """Whose code runs: this tree's interpreter, or another checkout's `.venv`."""

    label: str
    python: str

    @classmethod
    def baseline(cls, path: Path) -> Tree:
        python = Path(path) / ".venv" / "bin" / "python"
        if not python.exists():
            raise FileNotFoundError(f"{python} not found: run `make setup` in {path} first")
        return cls(BASELINE, str(python))


def _cli(*args: str, python: str = sys.executable) -> list[str]:
    # -P: `-m` would put the working directory first on sys.path, so a baseline tree's
    # interpreter started from this checkout would import this checkout's code
    return [python, "-P", "-m", "lead_funnel", *args]


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def _reset(directory: Path) -> None:
    subprocess.run(["rm", "-rf", str(directory)], check=True)
    directory.mkdir(parents=True)


def _copy_warehouse(source: Path, directory: Path) -> Path:
    """A fresh directory holding only a copy of `source` (no artifacts, no serve file)."""
    _reset(directory)
    target = directory / "warehouse.duckdb"
    subprocess.run(["cp", str(source), str(target)], check=True)
    return target


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _timed_run(tree: Tree, database: Path, as_of: datetime, kind: str, log: Path, env: dict[str, str]) -> tuple[Measured, float]:  # fmt: skip
    load = _load()
    run = measure(
        _cli("run", "--database", str(database), "--as-of", f"{as_of:%Y-%m-%d %H:%M:%S}", "--quiet", python=tree.python),
        env=env, log=log,
    )  # fmt: skip
    _require(run, f"{tree.label}: {kind} run")
    return run, load


def bench_size(
    leads: int,
    workdir: Path,
    log: list[str],
    trees: list[Tree] | None = None,
    repeats: int = 1,
    engines: tuple[str, ...] = ("duckdb",),
) -> list[dict[str, Any]]:
    """One row per tree: the same generated data, the trees' runs alternating; with
    `spark` in engines, this tree's row gets the Spark side's figures (bench_spark)."""
    trees = trees or [Tree(THIS_TREE, sys.executable)]
    directory = workdir / f"{leads}"
    _reset(directory)
    pristine = directory / "generated.duckdb"
    env = {**os.environ, "DO_NOT_TRACK": "1"}
    # each tree's own settings (the Dagster instance, say), not the caller's
    env.pop("LEAD_FUNNEL_DAGSTER_INSTANCE", None)
    env.pop("DAGSTER_HOME", None)
    shared: dict[str, Any] = {"leads": leads}

    generation = measure(_cli("generate", "--database", str(pristine), "--leads", str(leads), "--quiet"), env=env,
                         log=directory / "generate.log")  # fmt: skip
    _require(generation, "generate")
    shared["generate_s"], shared["generate_peak_gib"] = (
        generation.seconds,
        generation.peak_bytes / GIB,
    )
    full_as_of = _window_end(pristine) + timedelta(hours=2)
    log.append(f"{leads:>9,} leads: generated in {generation.seconds:.1f}s")

    floor = measure([sys.executable, "-c", f"from lead_funnel_tools.bench import floor_pass; print(floor_pass(__import__('pathlib').Path({str(pristine)!r})))"],
                    env=env, log=directory / "floor.log")  # fmt: skip
    _require(floor, "floor")
    shared["floor_s"] = float(floor.output.strip().splitlines()[-1])
    shared["floor_peak_gib"] = floor.peak_bytes / GIB
    shared["raw_rows"] = _raw_rows(pristine)

    rows = {tree.label: {**shared, "tree": tree.label} for tree in trees}
    databases: dict[str, Path] = {}
    full_runs: dict[str, list[float]] = {tree.label: [] for tree in trees}
    for repeat in range(repeats):
        for tree in trees:
            slug = tree.label.replace(" ", "_")
            database = _copy_warehouse(pristine, directory / slug)
            databases[tree.label] = database
            run, load = _timed_run(
                tree, database, full_as_of, "full", directory / f"run-full-{slug}-{repeat}.log", env
            )
            full_runs[tree.label].append(run.seconds)
            row = rows[tree.label]
            row.setdefault("full_cpu", []).append(run.cpu_seconds)
            row["full_peak_gib"] = max(row.get("full_peak_gib", 0.0), run.peak_bytes / GIB)
            row.setdefault("full_load", []).append(load)
            log.append(f"{leads:>9,} leads, {tree.label}: full run {run.seconds:.1f}s "
                       f"(load {load}), peak {run.peak_bytes / GIB:.2f} GiB")  # fmt: skip
            print(log[-1], flush=True)
            if repeat == repeats - 1:
                for phase, seconds in run_phases(database, run.seconds).items():
                    row[f"full_{phase}_s"] = seconds
    for tree in trees:
        row = rows[tree.label]
        row["full_s"] = _median(full_runs[tree.label])
        row["full_runs"] = " ".join(f"{seconds:.1f}" for seconds in full_runs[tree.label])
        row["full_load"] = " ".join(str(load) for load in row["full_load"])
        row["full_cpu_s"] = _median(row.pop("full_cpu"))

    # one appended day, written by this tree's generator into every copy: the same rows
    appended_rows = set()
    for tree in trees:
        slug = tree.label.replace(" ", "_")
        database = databases[tree.label]
        append = measure(_cli("generate", "--database", str(database), "--append-days", "1", "--quiet"), env=env,
                         log=directory / f"append-{slug}.log")  # fmt: skip
        _require(append, "append")
        rows[tree.label]["append_s"] = append.seconds
        appended_rows.add(_raw_rows(database))
    if len(appended_rows) != 1:
        raise RuntimeError(f"the appended day differs between the copies: {appended_rows} raw rows")
    # the same appended raw data, kept aside for this tree's full refresh after its night
    this = databases[trees[-1].label]
    refreshed = _copy_warehouse(this, directory / "full_refresh")
    for tree in trees:
        slug = tree.label.replace(" ", "_")
        database = databases[tree.label]
        as_of = _window_end(database) + timedelta(hours=2)
        run, load = _timed_run(
            tree, database, as_of, "incremental", directory / f"run-incremental-{slug}.log", env
        )
        row = rows[tree.label]
        row["incremental_s"], row["incremental_peak_gib"] = run.seconds, run.peak_bytes / GIB
        row["incremental_load"] = load
        row["incremental_cpu_s"] = run.cpu_seconds
        for phase, seconds in run_phases(database, run.seconds).items():
            row[f"incremental_{phase}_s"] = seconds
        log.append(f"{leads:>9,} leads, {tree.label}: incremental run {run.seconds:.1f}s "
                   f"(load {load}), peak {run.peak_bytes / GIB:.2f} GiB")  # fmt: skip
        print(log[-1], flush=True)
    rows[trees[-1].label] |= _incremental_against_full_refresh(
        this, refreshed, as_of, env, log, leads
    )
    if "spark" in engines:
        from lead_funnel_tools.bench_spark import SparkNight, bench_spark_night

        night = SparkNight(
            leads, pristine, full_as_of, as_of, appended_rows.pop(), this, default_serve_path(this), directory
        )  # fmt: skip
        rows[trees[-1].label] |= bench_spark_night(night, env, log)
    return [rows[tree.label] for tree in trees]


def _incremental_against_full_refresh(
    incremental: Path,
    refreshed: Path,
    as_of: datetime,
    env: dict[str, str],
    log: list[str],
    leads: int,
) -> dict[str, Any]:
    """The night's published marts and audit against a `--full-refresh` of the same raw data."""
    run = measure(
        _cli("run", "--database", str(refreshed), "--as-of", f"{as_of:%Y-%m-%d %H:%M:%S}",
             "--full-refresh", "--quiet"),
        env=env, log=refreshed.parent / "run.log",
    )  # fmt: skip
    _require(run, "full refresh after the night")
    differences = table_differences(
        default_serve_path(incremental), default_serve_path(refreshed), schemas=("marts", "audit")
    )
    compared = {
        "refresh_s": run.seconds,
        "refresh_tables": len(differences),
        "refresh_rows": sum(rows for rows, _, _ in differences.values()),
        "refresh_differing_rows": differing_rows(differences),
    }
    moved = {name: counts for name, counts in differences.items() if counts[1] or counts[2]}
    log.append(
        f"{leads:>9,} leads: the incremental night against a full refresh: "
        f"{compared['refresh_tables']} tables, {compared['refresh_rows']:,} rows, "
        f"{compared['refresh_differing_rows']} differing{f' {moved}' if moved else ''}"
    )
    print(log[-1], flush=True)
    return compared


def _require(measured: Measured, what: str) -> None:
    if measured.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{measured.output}")


def _window_end(database: Path) -> datetime:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        state = json.loads(
            con.execute(
                "select value from lead_funnel_generator.state where key = 'world'"
            ).fetchone()[0]
        )
    return datetime.fromtimestamp(state["window_end"], UTC).replace(tzinfo=None)


def _raw_rows(database: Path) -> int:
    import duckdb

    with duckdb.connect(str(database), read_only=True) as con:
        return int(con.execute(
            "select sum(estimated_size) from duckdb_tables() where schema_name in ('raw_salesforce', 'raw_marketo')"
        ).fetchone()[0])  # fmt: skip


def dbt_parse_seconds(workdir: Path) -> dict[str, float]:
    """dbt start-up: a full parse (new target path) and a partial parse (the stored state)."""
    from lead_funnel.dbt_cli import run_dbt

    target = workdir / "parse-target"
    subprocess.run(["rm", "-rf", str(target)], check=True)
    database = workdir / "parse.duckdb"
    timings = {}
    for label in ("full_parse_s", "partial_parse_s"):
        started = time.perf_counter()
        run_dbt(["parse"], database=database, target_path=target)
        timings[label] = time.perf_counter() - started
    return timings


# ---------------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import dbt.version
    import duckdb

    return {
        "cpu": cpu,
        "cores": str(psutil.cpu_count(logical=True)),
        "memory_gib": f"{psutil.virtual_memory().total / GIB:.1f}",
        "os": platform.platform(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": dbt.version.get_installed_version().to_version_string(skip_matcher=True),
        "measured_at": datetime.now().strftime("%Y-%m-%d %H:%M"),
    }


def targets(rows: list[dict[str, Any]]) -> list[tuple[str, str, str, str, bool | None]]:
    """(tree, target, goal, measured, met) for the sizes the targets name."""
    checks: list[tuple[str, str, str, str, bool | None]] = []
    for row in rows:
        tree = row.get("tree", THIS_TREE)
        if row["leads"] == 10_000:
            goal = TARGETS["run_seconds_at_10k"]
            checks.append((tree, "run at 10k leads (after generation)", f"≤ {goal:.0f} s",
                           f"{row['full_s']:.1f} s", row["full_s"] <= goal))  # fmt: skip
        if row["leads"] == 1_000_000:
            goal = TARGETS["full_run_seconds_at_1m"]
            checks.append((tree, "full run at 1M leads", f"≤ {goal:.0f} s", f"{row['full_s']:.0f} s",
                           row["full_s"] <= goal))  # fmt: skip
            peak = max(row["full_peak_gib"], row["incremental_peak_gib"])
            goal = TARGETS["peak_gib_at_1m"]
            checks.append((tree, "peak memory at 1M leads", f"≤ {goal:.0f} GiB", f"{peak:.2f} GiB",
                           peak <= goal))  # fmt: skip
            share = row["incremental_s"] / row["full_s"]
            goal = TARGETS["incremental_share"]
            checks.append((tree, "incremental one-day run at 1M", f"≤ {goal:.0%} of full",
                           f"{share:.0%}", share <= goal))  # fmt: skip
    return checks


def write_report(rows: list[dict[str, Any]], parse: dict[str, float], output: Path) -> None:
    from lead_funnel_tools.bench_spark import report_lines as spark_report_lines

    output.mkdir(parents=True, exist_ok=True)
    columns = sorted(
        {key for row in rows for key in row}, key=lambda k: (k not in ("leads", "tree"), k)
    )
    with (output / "results.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()}
            )
    _chart([row for row in rows if row.get("tree", THIS_TREE) == THIS_TREE], output / "phases.png")
    info = machine()
    lines = [
        "# Benchmarks",
        "",
        "Reproduce: `make bench` (or `lead-funnel bench --sizes 10000,100000,1000000"
        " [--baseline-tree PATH] [--repeats N]`).",
        "",
        "What dominates, what was changed and which targets are met: [ANALYSIS.md](ANALYSIS.md).",
        "",
    ]
    lines += ["## Machine", "", *[f"- {k}: {v}" for k, v in info.items()], ""]
    lines += [
        "## Targets",
        "",
        "| tree | target | goal | measured | met |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {tree} | {name} | {goal} | {value} | {'yes' if ok else 'no'} |"
        for tree, name, goal, value, ok in targets(rows)
    ]
    lines += [
        "",
        "## Results (seconds, GiB; load = 1-minute load average when the run started)",
        "",
    ]
    header = ["leads", "tree", "raw rows", "generate", "floor", "full run", "full runs", "load", "full CPU", "full peak",
              "incremental", "load", "incr. CPU", "incr. peak", "incr. ÷ full"]  # fmt: skip
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        lines.append(
            f"| {row['leads']:,} | {row.get('tree', THIS_TREE)} | {row['raw_rows']:,} | {row['generate_s']:.1f} | "
            f"{row['floor_s']:.2f} | {row['full_s']:.1f} | {row.get('full_runs', '')} | {row.get('full_load', '')} | "
            f"{row.get('full_cpu_s', 0.0):.1f} | "
            f"{row['full_peak_gib']:.2f} | {row['incremental_s']:.1f} | {row.get('incremental_load', '')} | "
            f"{row.get('incremental_cpu_s', 0.0):.1f} | "
            f"{row['incremental_peak_gib']:.2f} | {row['incremental_s'] / row['full_s']:.0%} |"
        )
    refreshed = [row for row in rows if "refresh_tables" in row]
    if refreshed:
        lines += [
            "",
            "## The incremental night against a full refresh of the same raw data",
            "",
            "Every table of the published `marts` and `audit` schemas, `except all` both ways.",
            "",
            "| leads | tree | tables | rows | differing rows | full refresh (s) |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {row['leads']:,} | {row.get('tree', THIS_TREE)} | {row['refresh_tables']} | "
            f"{row['refresh_rows']:,} | {row['refresh_differing_rows']} | {row['refresh_s']:.1f} |"
            for row in refreshed
        ]
    for kind in ("full", "incremental"):
        lines += ["", f"## {kind.capitalize()} run by phase (seconds)", ""]
        lines += [
            "| phase | "
            + " | ".join(f"{row['leads']:,} {row.get('tree', THIS_TREE)}" for row in rows)
            + " |",
            "|---|" + "---|" * len(rows),
        ]
        for phase in PHASES:
            cells = [f"{row[f'{kind}_{phase}_s']:.1f}" for row in rows]
            lines.append(f"| {phase} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "dbt layers are wall time of their nodes (threads overlap, so layers can overlap); "
        "`dbt_parse` is dbt's start-up: the dbt step's time outside any node. A full run is the "
        "median of its repeats; its phases are from the last repeat.",
        "",
    ]
    if parse:
        lines += [
            f"dbt parse: full {parse['full_parse_s']:.1f} s (new target path), "
            f"partial {parse['partial_parse_s']:.1f} s (stored state).",
            "",
        ]
    lines += ["![time per phase against leads](phases.png)"]
    lines += [*spark_report_lines(rows), ""]
    (output / "README.md").write_text("\n".join(lines))


def _chart(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    leads = [row["leads"] for row in rows]
    figure, axis = plt.subplots(figsize=(8, 5))
    series = {
        "floor": "floor_s",
        "full run": "full_s",
        "incremental run": "incremental_s",
        "generate": "generate_s",
    }
    series |= {f"full: {phase}": f"full_{phase}_s" for phase in PHASES if phase not in ("startup",)}
    for label, key in series.items():
        values = [max(row[key], 0.01) for row in rows]
        style = "-o" if not label.startswith("full:") else "--."
        axis.plot(leads, values, style, label=label, linewidth=2 if style == "-o" else 1)
    axis.set_xscale("log")
    axis.set_yscale("log")
    axis.set_xlabel("leads")
    axis.set_ylabel("seconds")
    axis.set_title("lead-funnel: time per phase against leads (log-log)")
    axis.grid(True, which="both", alpha=0.3)
    axis.legend(fontsize=7, ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)


def main(args: argparse.Namespace) -> int:
    sizes = [int(size) for size in str(args.sizes).split(",") if size]
    workdir, output = Path(args.workdir), Path(args.output)
    workdir.mkdir(parents=True, exist_ok=True)
    trees = [Tree(THIS_TREE, sys.executable)]
    if getattr(args, "baseline_tree", None):
        trees.insert(0, Tree.baseline(args.baseline_tree))
    log: list[str] = []
    rows = []
    engines = getattr(args, "engines", ("duckdb",))  # parsed by the CLI (parse_engines)
    for leads in sizes:
        rows += bench_size(
            leads, workdir, log, trees, repeats=getattr(args, "repeats", 1), engines=engines
        )
    parse = dbt_parse_seconds(workdir) if not getattr(args, "skip_parse", False) else {}
    write_report(rows, parse, output)
    print((output / "README.md").read_text())
    return 0


# ------------------------------------------------------------------------- assertions per node


def assertion_inventory(manifest: dict[str, Any]) -> list[tuple[str, ...]]:
    """Every assertion the manifest's data tests make, one tuple each, whatever node holds it.

    A `column_checks` or `raw_checks` node is expanded into the tests it folds (not_null,
    unique, accepted_values, value_between, relationships, unique_combination,
    expression_is_true; raw_table_landed, not_null_where_landed), each as the tuple its own
    node would give, so the inventory of a project before and after folding can be compared
    as sets."""
    out: list[tuple[str, ...]] = []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test":
            continue
        meta = node.get("test_metadata") or {}
        kwargs = dict(meta.get("kwargs") or {})
        attached = node.get("attached_node") or ",".join(
            node.get("depends_on", {}).get("nodes", [])
        )
        config = node.get("config") or {}
        settings = json.dumps({k: config.get(k) for k in ("severity", "where")}, sort_keys=True)
        name = meta.get("name") or "singular:" + node["name"]
        if name in ("column_checks", "raw_checks"):
            out += [(attached, *row, settings) for row in _folded_assertions(kwargs)]
            continue
        column = kwargs.pop("column_name", None) or node.get("column_name") or ""
        kwargs.pop("model", None)
        if name == "accepted_values":
            detail = json.dumps([kwargs.get("values"), kwargs.get("quote", True)])
        elif name in ("not_null", "unique") and not kwargs:
            detail = ""
        else:
            detail = json.dumps(kwargs, sort_keys=True, default=str)
        out.append((attached, name, str(column), detail, settings))
    return sorted(out)


def _folded_assertions(kwargs: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(rule, column, detail) of each assertion a folded test's arguments make."""
    rows: list[tuple[str, str, str]] = []
    for column in kwargs.get("not_null") or []:
        rows.append(("not_null", column, ""))
    for column in kwargs.get("unique") or []:
        rows.append(("unique", column, ""))
    for column, spec in (kwargs.get("accepted_values") or {}).items():
        values = spec["values"] if isinstance(spec, dict) else spec
        quote = spec.get("quote", True) if isinstance(spec, dict) else True
        rows.append(("accepted_values", column, json.dumps([values, quote])))
    for column, bounds in (kwargs.get("value_between") or {}).items():
        rows.append(("value_between", column, json.dumps(bounds, sort_keys=True, default=str)))
    for relationship in kwargs.get("relationships") or []:
        spec = dict(relationship)
        column = spec.pop("column_name")
        rows.append(("relationships", column, json.dumps(spec, sort_keys=True, default=str)))
    for columns in kwargs.get("unique_combination") or []:
        rows.append(("unique_combination", "", json.dumps({"columns": columns})))
    for expression in kwargs.get("expression_is_true") or []:
        rows.append(("expression_is_true", "", json.dumps({"expression": expression})))
    if kwargs.get("table_landed"):
        rows.append(("raw_table_landed", "", "{}"))
    for column in kwargs.get("not_null_where_landed") or []:
        rows.append(("not_null_where_landed", column, "{}"))
    return rows
