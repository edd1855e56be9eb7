"""The dbt project as Dagster assets (seeds, models; dbt tests become asset checks)."""

import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, Failure
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from lead_funnel.gate import apply_acceptance, evaluate_sources, summarise_rule
from lead_funnel.manifest import MANIFEST_TARGET, ensure_manifest
from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel.preload import preload
from lead_funnel.progress import report
from lead_funnel.publish import recover_interrupted_publication
from lead_funnel.run_parameters import RunParameters
from lead_funnel.seed_check import require_sound_seeds
from lead_funnel.settings import BUILD_SCHEMA, META_SCHEMA, RAW_SCHEMA_ENV
from lead_funnel.warehouse import connect, relation_exists, schemas_in
from orchestration.dbt_build import events_from_run_results, raise_for_failed_nodes, run_build
from orchestration.dbt_inprocess import environment, run_build_in_process
from orchestration.resources import RunParametersResource

DBT_PROJECT = DbtProject(
    project_dir=DBT_PROJECT_DIR,
    profiles_dir=DBT_PROJECT_DIR,
    target_path=MANIFEST_TARGET.relative_to(DBT_PROJECT_DIR),
)
# Re-parsed only when a project file is newer than the stored manifest (also under
# `dagster dev`, in place of DbtProject.prepare_if_dev, which needs dbt on PATH).
ensure_manifest()

AUDIT_MODULES = ("great_expectations", "great_expectations.expectations")

# Built but not part of the nightly job: unit tests run in `make test`.
NIGHTLY_DBT_ARGS = ["build", "--exclude-resource-type", "unit_test"]
DBT_ENV_NAMES = (
    "LEAD_FUNNEL_DATABASE",
    "LEAD_FUNNEL_AS_OF",
    "LEAD_FUNNEL_MARTS_SCHEMA",
    *RAW_SCHEMA_ENV.values(),
    "DO_NOT_TRACK",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    "LEAD_FUNNEL_DBT_TARGET",
    "LEAD_FUNNEL_SPARK_WAREHOUSE_DIR",
)
# LEAD_FUNNEL_DBT_IN_PROCESS=0 runs the nightly build as a `dbt` subprocess (to compare)
IN_PROCESS_ENV = "LEAD_FUNNEL_DBT_IN_PROCESS"


class LeadFunnelTranslator(DagsterDbtTranslator):
    """Groups assets by layer (the configured schema): seeds, staging, intermediate, marts, ..."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "source":
            return "raw"
        schema = dbt_resource_props.get("config", {}).get("schema")
        return schema or "default"


TRANSLATOR = LeadFunnelTranslator()
MANIFEST = json.loads(DBT_PROJECT.manifest_path.read_text())


def last_published_as_of(database: str) -> datetime | None:
    with connect(database) as con:
        if not relation_exists(con, META_SCHEMA, "publications"):
            return None
        row = con.execute(f"select max(as_of) from {META_SCHEMA}.publications").fetchone()
    return row[0] if row else None


def require_crm_leads(database: Path, schema: str) -> None:
    """Refuse a warehouse without the CRM's lead table: every funnel starts there.

    Anything else may be missing (an export without Marketo, an org without BANT fields:
    staging fills typed nulls and audit.source_schema_gaps lists them), but a file without
    leads is the wrong file or the wrong schema name, and building on it would publish
    empty marts over the last good ones.
    """
    with connect(database) as con:
        if relation_exists(con, schema, "lead"):
            return
        present = schemas_in(con)
    raise Failure(
        description=(
            f"{database} has no table {schema}.lead (the CRM's leads, contract section 1), "
            "so nothing was built or published. Point --database at the file your EL tool "
            "lands Salesforce in, or name its schema with --salesforce-schema "
            f"(schemas in the file: {', '.join(present) or 'none'})."
        )
    )


def require_published_sources(parameters: RunParameters) -> None:
    """The gate's source_missing rule, judged before the build: fail in seconds, not minutes."""
    with connect(parameters.database) as con:
        findings = evaluate_sources(con, parameters.raw_schemas)
    apply_acceptance(findings, set(parameters.accept))
    blocking = [finding for finding in findings if finding.blocks]
    if blocking:
        raise Failure(description=summarise_rule("source_missing", blocking))


def needs_full_refresh(parameters: RunParameters) -> bool:
    """Asked for, or the as-of went back in time (quarantine of "future" rows must be redone)."""
    if parameters.full_refresh:
        return True
    previous = last_published_as_of(str(parameters.database))
    return previous is not None and parameters.as_of < previous


def _prepare_duckdb_build(context: AssetExecutionContext, parameters: RunParameters) -> bool:
    """Before a DuckDB build: recovery, seeds, the raw tables; whether to refresh fully."""
    settings = parameters.settings
    recovered = recover_interrupted_publication(settings)  # the schedule's and UI's next start
    if recovered:
        context.log.warning(recovered)
    require_sound_seeds()
    require_crm_leads(settings.database, settings.raw_schemas["salesforce"])
    require_published_sources(parameters)
    return needs_full_refresh(parameters)


def _prepare_spark_build(context: AssetExecutionContext, parameters: RunParameters) -> bool:
    """Before a Spark build (no DuckDB file is opened): the shared session, recovery of a
    killed publication, seeds, the raw databases; whether to refresh fully."""
    from lead_funnel import spark_publish
    from lead_funnel.spark_engine import SparkEngineError, open_session, require_raw_databases

    assert parameters.warehouse_dir is not None
    try:
        spark = open_session(parameters.warehouse_dir)
        recovered = spark_publish.recover_interrupted_publication(spark)
        if recovered:
            context.log.warning(recovered)
        require_sound_seeds()
        require_raw_databases(spark, parameters.raw_schemas)
    except SparkEngineError as error:
        raise Failure(description=str(error)) from error
    if parameters.full_refresh:
        return True
    previous = spark_publish.last_published_as_of(spark)
    return previous is not None and parameters.as_of < previous


def _is_whole_project(context: AssetExecutionContext) -> bool:
    assets_def = context.assets_def
    return set(context.selected_asset_keys) == set(assets_def.keys) and set(
        context.selected_asset_check_keys
    ) == set(assets_def.check_keys)


@dbt_assets(
    manifest=DBT_PROJECT.manifest_path,
    project=DBT_PROJECT,
    dagster_dbt_translator=TRANSLATOR,
    exclude="resource_type:unit_test",
)
def lead_funnel_dbt_assets(
    context: AssetExecutionContext, dbt: DbtCliResource, run_parameters: RunParametersResource
) -> Iterator[Any]:
    """`dbt build` into the warehouse file; the marts land in marts_build for the audit."""
    parameters = run_parameters.parameters
    settings = parameters.settings
    if parameters.on_spark:
        full_refresh = _prepare_spark_build(context, parameters)
    else:
        full_refresh = _prepare_duckdb_build(context, parameters)
    as_of = parameters.as_of
    env = parameters.dbt_environment(marts_schema=BUILD_SCHEMA)
    args = [
        *NIGHTLY_DBT_ARGS,
        *(["--full-refresh"] if full_refresh else []),
    ]
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    report("dbt", f"dbt {' '.join(args)} (as-of {as_of}, into {BUILD_SCHEMA})")
    preload(*AUDIT_MODULES)  # the audit's imports load while dbt runs
    if not _is_whole_project(context):
        # a selection from the UI: dagster-dbt's streaming path selects the subset; its
        # dbt subprocess inherits this process's environment, so set it for the call only
        with environment({name: env[name] for name in DBT_ENV_NAMES if name in env}):
            yield from dbt.cli(args, context=context, target_path=settings.dbt_target_dir).stream()
        return
    log_path = settings.runs_dir / f"dbt-{context.run.run_id}.log"
    if os.environ.get(IN_PROCESS_ENV, "1") == "0":
        returncode = run_build(args, env, settings.dbt_target_dir, log_path)
    else:
        returncode = run_build_in_process(args, env, settings.dbt_target_dir, log_path)
    run_results = settings.dbt_target_dir / "run_results.json"
    if run_results.exists():
        report("dbt", "recording the results as Dagster outputs and asset checks")
        yield from events_from_run_results(context, run_results, MANIFEST, TRANSLATOR, DBT_PROJECT)
    if returncode != 0:
        raise_for_failed_nodes(run_results, log_path, settings.database)
        raise Failure(f"dbt exited with code {returncode}; see {log_path}")
    report("dbt", "done")
