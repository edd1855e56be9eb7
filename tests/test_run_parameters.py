"""The run parameters: one as-of normaliser, one object, one way into dbt and Dagster."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import pytest

from lead_funnel.arguments import as_of_argument
from lead_funnel.dbt_cli import dbt_environment
from lead_funnel.run_parameters import RunParameters, format_as_of, parse_as_of
from lead_funnel.settings import PipelineSettings


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2025-03-10 16:00:00", datetime(2025, 3, 10, 16, 0, 0)),
        ("2025-03-10T16:00:00", datetime(2025, 3, 10, 16, 0, 0)),
        ("  2025-03-10 16:00  ", datetime(2025, 3, 10, 16, 0, 0)),
        ("2025-03-10", datetime(2025, 3, 10, 0, 0, 0)),
        ("2025-03-10T18:30:00+02:00", datetime(2025, 3, 10, 16, 30, 0)),
        ("2025-03-10T16:00:00Z", datetime(2025, 3, 10, 16, 0, 0)),
        ("2025-03-10 16:00:00.999999", datetime(2025, 3, 10, 16, 0, 0)),  # whole seconds
        (datetime(2025, 3, 10, 16, 0, 0, 500), datetime(2025, 3, 10, 16, 0, 0)),
        (
            datetime(2025, 3, 10, 11, 0, tzinfo=timezone(timedelta(hours=-5))),
            datetime(2025, 3, 10, 16, 0, 0),
        ),
        (pd.Timestamp("2025-03-10 17:00", tz="Europe/Berlin"), datetime(2025, 3, 10, 16, 0, 0)),
        (pd.Timestamp("2025-03-10 16:00"), datetime(2025, 3, 10, 16, 0, 0)),
    ],
)
def test_every_as_of_is_naive_utc_in_whole_seconds(given: object, expected: datetime) -> None:
    parsed = parse_as_of(given)  # type: ignore[arg-type]
    assert parsed == expected
    assert type(parsed) is datetime and parsed.tzinfo is None


@pytest.mark.parametrize("bad", ["yesterday", "2025-13-01 00:00:00", "", None, pd.NaT, 20250310])
def test_what_is_no_timestamp_is_refused(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_as_of(bad)  # type: ignore[arg-type]


def test_the_cli_flag_turns_a_bad_as_of_into_a_usage_error() -> None:
    assert as_of_argument("2025-03-10T18:30:00+02:00") == datetime(2025, 3, 10, 16, 30)
    with pytest.raises(argparse.ArgumentTypeError, match="not a timestamp"):
        as_of_argument("10/03/2025")


def test_run_parameters_normalise_once_and_carry_the_schemas_to_dbt(tmp_path: Path) -> None:
    settings = PipelineSettings.resolve(
        tmp_path / "w.duckdb", salesforce_schema="crm_export", marketo_schema="map_export"
    )
    parameters = RunParameters(
        settings, as_of=datetime(2025, 3, 10, 18, 30, 5, 123, tzinfo=timezone(timedelta(hours=2)))
    )
    assert parameters.as_of == datetime(2025, 3, 10, 16, 30, 5)
    assert parameters.accept == frozenset() and parameters.full_refresh is False
    assert parameters.engine == "duckdb" and parameters.warehouse_dir is None
    env = parameters.dbt_environment(marts_schema="marts_build")
    assert env["LEAD_FUNNEL_DATABASE"] == str((tmp_path / "w.duckdb").resolve())
    assert env["LEAD_FUNNEL_AS_OF"] == "2025-03-10 16:30:05" == format_as_of(parameters.as_of)
    assert env["LEAD_FUNNEL_MARTS_SCHEMA"] == "marts_build"
    assert env["LEAD_FUNNEL_SALESFORCE_SCHEMA"] == "crm_export"
    assert env["LEAD_FUNNEL_MARKETO_SCHEMA"] == "map_export"


def test_dbt_sees_no_as_of_when_none_is_given(tmp_path: Path) -> None:
    env = dbt_environment(tmp_path / "w.duckdb", base={"LEAD_FUNNEL_AS_OF": "2020-01-01 00:00:00"})
    assert "LEAD_FUNNEL_AS_OF" not in env
    assert "LEAD_FUNNEL_SALESFORCE_SCHEMA" not in env  # the sources yml's default applies


def test_an_unknown_engine_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="engine 'trino' is not one of duckdb, spark"):
        RunParameters(
            PipelineSettings.resolve(tmp_path / "w.duckdb"),
            as_of=datetime(2025, 1, 1),
            engine="trino",  # type: ignore[arg-type]
        )


def test_spark_needs_a_warehouse_dir_and_duckdb_takes_none(tmp_path: Path) -> None:
    from lead_funnel.spark_engine import SparkEngineError

    settings = PipelineSettings.resolve(tmp_path / "w.duckdb")
    with pytest.raises(SparkEngineError, match="--engine spark needs --warehouse-dir DIR"):
        RunParameters(settings, as_of=datetime(2025, 1, 1), engine="spark")
    with pytest.raises(ValueError, match="--warehouse-dir is for --engine spark only"):
        RunParameters(settings, as_of=datetime(2025, 1, 1), warehouse_dir=tmp_path)


def test_spark_parameters_round_trip_and_reach_dbt_as_the_spark_target(tmp_path: Path) -> None:
    from lead_funnel.spark_engine import pipeline_settings
    from orchestration.resources import RunParametersResource
    from orchestration.run_context import run_tags

    warehouse = tmp_path / "spark"
    parameters = RunParameters(
        pipeline_settings(warehouse), as_of=datetime(2025, 3, 10), engine="spark",
        warehouse_dir=warehouse,
    )  # fmt: skip
    resource = RunParametersResource(**RunParametersResource.config_for(parameters))

    class Run:
        run_id = "r1"
        tags = run_tags(parameters)

    context = type("Context", (), {"run": Run(), "instance": object()})()
    resource.setup_for_execution(context)  # type: ignore[arg-type]
    assert resource.parameters == parameters
    assert resource.parameters.on_spark
    env = parameters.dbt_environment(marts_schema="marts_build")
    assert env["LEAD_FUNNEL_DBT_TARGET"] == "spark"
    assert env["LEAD_FUNNEL_SPARK_WAREHOUSE_DIR"] == str(warehouse.resolve())
    # the DuckDB path dbt is given lies inside the warehouse dir and is never created
    assert Path(env["LEAD_FUNNEL_DATABASE"]).parent == warehouse.resolve()
    assert parameters.settings.artifacts_dir == warehouse.resolve() / "spark_artifacts"


def test_the_tags_and_resource_config_round_trip_to_the_same_parameters(tmp_path: Path) -> None:
    from orchestration.resources import RunParametersResource
    from orchestration.run_context import parameters_for_run, run_tags

    settings = PipelineSettings.resolve(tmp_path / "w.duckdb", salesforce_schema="crm_export")
    parameters = RunParameters(
        settings,
        as_of=datetime(2025, 3, 10, 16, 30, 5),
        full_refresh=True,
        accept=frozenset({"mart_shrink", "unmapped_share:lead_source"}),
    )
    tags = run_tags(parameters)
    assert tags == {
        "lead_funnel/as_of": "2025-03-10 16:30:05",
        "lead_funnel/full_refresh": "true",
        "lead_funnel/accept": "mart_shrink,unmapped_share:lead_source",
    }
    resource = RunParametersResource(**RunParametersResource.config_for(parameters))

    class Run:  # what parameters_for_run reads of a DagsterRun
        run_id = "r1"

    Run.tags = tags  # type: ignore[attr-defined]
    assert parameters_for_run(resource.settings(), Run(), instance=None) == parameters


def test_a_run_without_an_as_of_tag_is_as_of_its_creation(tmp_path: Path) -> None:
    from orchestration.run_context import parameters_for_run

    created = datetime(2025, 3, 10, 16, 30, 5, 700, tzinfo=UTC)

    class Record:
        create_timestamp = created

    class Instance:
        def get_run_record_by_id(self, run_id: str) -> Record:
            assert run_id == "r2"
            return Record()

    class Run:
        run_id = "r2"
        tags: dict[str, str] = {}  # noqa: RUF012

    found = parameters_for_run(PipelineSettings.resolve(tmp_path / "w.duckdb"), Run(), Instance())
    assert found.as_of == datetime(2025, 3, 10, 16, 30, 5)
    assert found.full_refresh is False and found.accept == frozenset()
