"""Resources, configured from the environment (see lead_funnel.settings)."""

from __future__ import annotations

from dagster import ConfigurableResource
from dagster_dbt import DbtCliResource

from lead_funnel.dbt_cli import dbt_executable
from lead_funnel.paths import DBT_PROJECT_DIR
from lead_funnel.settings import PipelineSettings


class WarehouseResource(ConfigurableResource):
    """The warehouse file, where BI reads the published marts, and where run artifacts go."""

    database: str
    serve_path: str
    artifacts_dir: str

    @classmethod
    def from_environment(cls) -> WarehouseResource:
        settings = PipelineSettings.resolve()
        return cls(
            database=str(settings.database),
            serve_path=str(settings.serve_path),
            artifacts_dir=str(settings.artifacts_dir),
        )

    def settings(self) -> PipelineSettings:
        return PipelineSettings.resolve(self.database, self.serve_path, self.artifacts_dir)


def build_resources() -> dict[str, object]:
    return {
        "warehouse": WarehouseResource.from_environment(),
        "dbt": DbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(DBT_PROJECT_DIR),
            dbt_executable=dbt_executable(),
        ),
    }
