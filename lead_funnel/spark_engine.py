"""The Spark engine: a local Spark session whose catalog and tables live in one directory.

The session's settings are the `spark` output of dbt_project/profiles.yml (one place):
this module renders that output's `server_side_parameters` with the same environment
dbt sees, so copy-raw, the tests and dbt-spark's session method open the same
warehouse (Parquet tables under DIR/warehouse, a Derby metastore in DIR/metastore_db).

pyspark is imported only inside the functions that need it: the CLI starts fast and
a DuckDB-only install never imports it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lead_funnel.paths import DBT_PROJECT_DIR

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

WAREHOUSE_DIR_VARIABLE = "LEAD_FUNNEL_SPARK_WAREHOUSE_DIR"
ENGINE_VARIABLE = "LEAD_FUNNEL_ENGINE"  # the schedule's and the UI's runs: duckdb | spark
DBT_TARGET_VARIABLE = "LEAD_FUNNEL_DBT_TARGET"
RAW_DATABASES = ("raw_salesforce", "raw_marketo")
# Spark's configuration directory when the user sets none: errors-only logging
SPARK_CONF_DIR = Path(__file__).resolve().parent / "spark_conf"
# pyspark 4.3 warns on pandas 3; the Arrow path used here does not go through pandas
PANDAS_NOTICE = "PySpark does not yet fully support pandas"


class SparkEngineError(RuntimeError):
    """A Spark run cannot start or cannot find its input: the message names what to fix."""


def spark_environment(warehouse_dir: Path, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment dbt (target `spark`) and this module read for one warehouse directory."""
    env = dict(os.environ if base is None else base)
    env[WAREHOUSE_DIR_VARIABLE] = str(Path(warehouse_dir).resolve())
    env[DBT_TARGET_VARIABLE] = "spark"
    return with_spark_process_defaults(env)


def with_spark_process_defaults(env: dict[str, str]) -> dict[str, str]:
    """What a Spark JVM started from this environment inherits, unless the user set it: the
    Python workers (applyInPandas) run this interpreter without PANDAS_NOTICE, and Spark
    logs errors only."""
    env.setdefault("PYSPARK_PYTHON", sys.executable)
    env.setdefault("PYTHONWARNINGS", f"ignore:{PANDAS_NOTICE}")
    env.setdefault("SPARK_CONF_DIR", str(SPARK_CONF_DIR))
    return env


def spark_settings(warehouse_dir: Path) -> dict[str, str]:
    """The `spark` output's server_side_parameters, rendered for warehouse_dir."""
    import jinja2
    import yaml

    env = spark_environment(warehouse_dir)

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise SparkEngineError(f"profiles.yml needs the environment variable {name}")
        return default

    profile = yaml.safe_load((DBT_PROJECT_DIR / "profiles.yml").read_text())
    parameters = profile["lead_funnel"]["outputs"]["spark"]["server_side_parameters"]
    template = jinja2.Environment(undefined=jinja2.StrictUndefined)
    template.globals["env_var"] = env_var
    settings = {str(k): template.from_string(str(v)).render() for k, v in parameters.items()}
    # dbt-spark pins ANSI mode off for its sessions; a session of ours reads the same way
    settings["spark.sql.ansi.enabled"] = "false"
    return settings


def require_java() -> str:
    """The java Spark will start, or a clear error (pyspark 4 needs Java 17 or 21)."""
    java_home = os.environ.get("JAVA_HOME")
    java = str(Path(java_home) / "bin" / "java") if java_home else shutil.which("java")
    if not java or not Path(java).exists():
        raise SparkEngineError(
            "no Java found: the Spark engine needs Java 17 or 21 on PATH or in JAVA_HOME "
            "(Debian/Ubuntu: apt-get install openjdk-17-jre-headless)"
        )
    return java


def require_warehouse_dir(warehouse_dir: Path | None) -> Path:
    if warehouse_dir is None:
        raise SparkEngineError(
            "--engine spark needs --warehouse-dir DIR: the directory that holds the Spark "
            "tables (DIR/warehouse) and their catalog (DIR/metastore_db)"
        )
    return Path(warehouse_dir).resolve()


def open_session(warehouse_dir: Path) -> SparkSession:
    """The process's Spark session on warehouse_dir, started on first use and kept.

    dbt-spark's session method gets the same session (SparkSession.builder.getOrCreate), so
    dbt and the run's Python steps share one JVM and one hold on the Derby metastore. Raises
    SparkEngineError naming what to fix when Java, pyspark or the session is missing.
    """
    require_java()
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkEngineError(
            "pyspark is not installed: pip install -c constraints.txt -e '.[spark]'"
        ) from error
    warehouse_dir = Path(warehouse_dir).resolve()
    active = SparkSession.getActiveSession()
    settings = spark_settings(warehouse_dir)
    if active is not None:
        wanted = settings["spark.sql.warehouse.dir"].rstrip("/")
        if not str(active.conf.get("spark.sql.warehouse.dir")).rstrip("/").endswith(wanted):
            raise SparkEngineError(
                f"this process already runs a Spark session on another warehouse "
                f"({active.conf.get('spark.sql.warehouse.dir')}); one warehouse per process"
            )
        return active
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    # the JVM and its Python workers inherit this process's environment
    os.environ.update(with_spark_process_defaults(dict(os.environ)))
    warnings.filterwarnings("ignore", message=PANDAS_NOTICE)
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in settings.items():
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
        session.sql("show databases").collect()  # the metastore opens (or its lock fails) here
    except Exception as error:  # py4j/JVM start-up failures have many types
        raise SparkEngineError(
            f"the Spark session did not start ({type(error).__name__}: {str(error)[:500]}); "
            f"check Java (17 or 21), that no other process holds "
            f"{warehouse_dir / 'metastore_db'}, and the LEAD_FUNNEL_SPARK_* settings"
        ) from error
    session.sparkContext.setLogLevel("ERROR")
    return session


def stop_session() -> None:
    """Stop the process's Spark session (releases the Derby metastore for other processes)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


@contextmanager
def spark_session(warehouse_dir: Path) -> Iterator[SparkSession]:
    """A local Spark session on warehouse_dir (the settings dbt's `spark` target uses),
    stopped on exit."""
    session = open_session(warehouse_dir)
    try:
        yield session
    finally:
        session.stop()


def pipeline_settings(
    warehouse_dir: Path, *, salesforce_schema: str | None = None, marketo_schema: str | None = None
) -> Any:
    """A Spark run's PipelineSettings: artifacts (Data Docs, alerts, run logs, dbt's target)
    under DIR/spark_artifacts. The `database` it names is never opened (a Spark run touches
    no DuckDB file); LEAD_FUNNEL_DATABASE points there so nothing reaches a real file."""
    from lead_funnel.settings import PipelineSettings

    warehouse_dir = Path(warehouse_dir).resolve()
    return PipelineSettings.resolve(
        warehouse_dir / "spark.duckdb",
        warehouse_dir / "spark.serve.duckdb",
        warehouse_dir / "spark_artifacts",
        salesforce_schema=salesforce_schema,
        marketo_schema=marketo_schema,
    )


def databases(spark: SparkSession) -> set[str]:
    return {row[0].lower() for row in spark.sql("show databases").collect()}


def tables_in(spark: SparkSession, database: str) -> list[str]:
    """The tables and views of a Spark database (lower case), [] when it does not exist."""
    if database.lower() not in databases(spark):
        return []
    rows = spark.sql(f"show tables in `{database}`").collect()
    return sorted(row.tableName.lower() for row in rows if not row.isTemporary)


def require_raw_databases(spark: SparkSession, raw_schemas: Mapping[str, str]) -> None:
    """Refuse a warehouse without the CRM's lead table (the Spark side of require_crm_leads)."""
    salesforce = raw_schemas["salesforce"]
    if "lead" in tables_in(spark, salesforce):
        return
    present = sorted(databases(spark))
    raise SparkEngineError(
        f"the Spark warehouse has no table {salesforce}.lead (the CRM's leads, contract "
        "section 1), so nothing was built or published. Land the raw data first: "
        "`lead-funnel copy-raw --database FILE --engine spark --warehouse-dir DIR` "
        f"(databases in the warehouse: {', '.join(present) or 'none'})."
    )


@dataclass(frozen=True)
class CopiedTable:
    database: str
    table: str
    rows: int


def _spark_ready(table: Any) -> Any:
    """Naive DuckDB timestamps are UTC: hand them to Spark as UTC instants (TIMESTAMP)."""
    import pyarrow as pa

    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_timestamp(field.type) and field.type.tz is None:
            column = column.cast(pa.timestamp("us", tz="UTC"))
        columns.append(column)
    return pa.table(columns, names=table.schema.names)


def copy_raw(
    database: Path, warehouse_dir: Path, schemas: tuple[str, ...] = RAW_DATABASES
) -> list[CopiedTable]:
    """Land every table of the DuckDB file's raw schemas as a Spark Parquet table.

    Each raw schema becomes a Spark database of the same name; a table that already
    exists there is replaced. Raises SparkEngineError when the file or its raw
    schemas are absent (nothing is written then).
    """
    import duckdb

    database = Path(database)
    if not database.exists():
        raise SparkEngineError(f"no DuckDB file at {database}: run `lead-funnel generate` first")
    with duckdb.connect(str(database), read_only=True) as con:
        listed = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name in (select unnest(?)) order by schema_name, table_name",
            [list(schemas)],
        ).fetchall()
        present = {schema for schema, _ in listed}
        if not present:
            raise SparkEngineError(
                f"{database} has no raw tables in {', '.join(schemas)}: "
                "land raw data first (lead-funnel generate, or your EL tool)"
            )
        copied: list[CopiedTable] = []
        with spark_session(warehouse_dir) as spark:
            for schema in schemas:
                spark.sql(f"create database if not exists {schema}")
            for schema, table in listed:
                arrow = con.sql(f'select * from "{schema}"."{table}"').to_arrow_table()
                frame = spark.createDataFrame(_spark_ready(arrow))
                frame.write.mode("overwrite").format("parquet").saveAsTable(f"{schema}.`{table}`")
                copied.append(CopiedTable(schema, table, arrow.num_rows))
    return copied


def run_dbt_on_spark(
    args: Sequence[str],
    *,
    warehouse_dir: Path,
    as_of: datetime,
    target_path: Path,
    full_refresh: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`dbt <args>` on the `spark` target for warehouse_dir (with `--full-refresh` unless
    full_refresh is false: the incremental models then rebuild their changed buckets,
    insert_overwrite of their `_bucket` partitions)."""
    from lead_funnel.dbt_cli import dbt_environment, dbt_executable

    require_java()
    # LEAD_FUNNEL_DATABASE is not read on the spark target; point it inside the warehouse
    # directory so nothing can reach a DuckDB file by accident
    env = spark_environment(
        warehouse_dir,
        dbt_environment(Path(warehouse_dir) / "unused.duckdb", as_of=as_of),
    )
    command = [
        dbt_executable(),
        *args,
        *(["--full-refresh"] if full_refresh else []),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_path),
        "--log-path",
        str(Path(target_path) / "logs"),
    ]
    return subprocess.run(
        command, cwd=DBT_PROJECT_DIR, env=env, text=True, capture_output=True, check=False
    )
