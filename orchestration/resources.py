"""Resources: the run's parameters and dbt, configured from the environment (see
lead_funnel.settings) unless a run's config says otherwise (the CLI's runs)."""

from __future__ import annotations

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
        }

    @classmethod
    def from_environment(cls) -> RunParametersResource:
        settings = PipelineSettings.resolve()
        return cls(
            database=str(settings.database),
            serve_path=str(settings.serve_path),
            artifacts_dir=str(settings.artifacts_dir),
            salesforce_schema=settings.raw_schemas["salesforce"],
            marketo_schema=settings.raw_schemas["marketo"],
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
