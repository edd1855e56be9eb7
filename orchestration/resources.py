"""Resources: the run's parameters and dbt, configured from the environment (see
lead_funnel.settings) unless a run's config says otherwise (the CLI's runs)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from dagster import ConfigurableResource, InitResourceContext
from dagster_dbt import DbtCliResource
from pydantic import PrivateAttr

from lead_funnel.dbt_cli import dbt_executable
from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel.run_parameters import RunParameters
from lead_funnel.settings import DEFAULT_RAW_SCHEMAS, PipelineSettings
from orchestration.run_context import parameters_for_run


class RunParametersResource(ConfigurableResource):
    """The run's `RunParameters`, resolved once when the run's steps start: where it reads
    and writes from this config, as of when and how from the run's tags."""

    database: str
    serve_path: str
    artifacts_dir: str
    salesforce_schema: str = DEFAULT_RAW_SCHEMAS["salesforce"]
    marketo_schema: str = DEFAULT_RAW_SCHEMAS["marketo"]
    engine: str = "duckdb"
    warehouse_dir: str | None = None  # the Spark engine's catalog and tables

    _parameters: RunParameters | None = PrivateAttr(default=None)

    @staticmethod
    def config_for(parameters: RunParameters) -> dict[str, Any]:
        """This resource's config for a run with `parameters` (the CLI's runs)."""
        settings = parameters.settings
        return {
            "database": str(settings.database),
            "serve_path": str(settings.serve_path),
            "artifacts_dir": str(settings.artifacts_dir),
            "salesforce_schema": settings.raw_schemas["salesforce"],
            "marketo_schema": settings.raw_schemas["marketo"],
            "engine": parameters.engine,
            "warehouse_dir": str(parameters.warehouse_dir) if parameters.warehouse_dir else None,
        }

    @classmethod
    def from_environment(cls) -> RunParametersResource:
        """The schedule's and the UI's runs: LEAD_FUNNEL_ENGINE=spark with
        LEAD_FUNNEL_SPARK_WAREHOUSE_DIR runs them on Spark."""
        from lead_funnel.spark_engine import ENGINE_VARIABLE, WAREHOUSE_DIR_VARIABLE

        settings = PipelineSettings.resolve()
        return cls(
            database=str(settings.database),
            serve_path=str(settings.serve_path),
            artifacts_dir=str(settings.artifacts_dir),
            salesforce_schema=settings.raw_schemas["salesforce"],
            marketo_schema=settings.raw_schemas["marketo"],
            engine=os.environ.get(ENGINE_VARIABLE, "duckdb"),
            warehouse_dir=os.environ.get(WAREHOUSE_DIR_VARIABLE) or None,
        )

    def settings(self) -> PipelineSettings:
        return PipelineSettings.resolve(
            self.database,
            self.serve_path,
            self.artifacts_dir,
            salesforce_schema=self.salesforce_schema,
            marketo_schema=self.marketo_schema,
        )

    def setup_for_execution(self, context: InitResourceContext) -> None:
        if context.run is not None and context.instance is not None:
            self._parameters = parameters_for_run(
                self.settings(),
                context.run,
                context.instance,
                engine=self.engine,  # type: ignore[arg-type]
                warehouse_dir=Path(self.warehouse_dir) if self.warehouse_dir else None,
            )

    @property
    def parameters(self) -> RunParameters:
        if self._parameters is None:
            raise RuntimeError("the run parameters are known only inside a run")
        return self._parameters


def build_resources() -> dict[str, object]:
    return {
        "run_parameters": RunParametersResource.from_environment(),
        "dbt": DbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(DBT_PROJECT_DIR),
            dbt_executable=dbt_executable(),
        ),
    }
