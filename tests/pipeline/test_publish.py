"""Publication without the pipeline: what gets published, and what stops it."""

from __future__ import annotations

import os
import time
from collections import namedtuple
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from lead_funnel import publish
from lead_funnel.publish import (
    PublicationRefused,
    prune_old_artifacts,
    publish_marts,
    temp_serve_path,
)
from lead_funnel.settings import PipelineSettings

AS_OF = datetime(2025, 5, 1, 2, 0)


def build(database: Path, *, extra_sql: str = "") -> PipelineSettings:
    with duckdb.connect(str(database)) as con:
        con.execute("create schema if not exists marts_build")
        con.execute(
            "create or replace table marts_build.fct_lead_cycles as select 'L1-1' as cycle_id, 'acme.com' as email_domain"
        )
        con.execute(
            "create or replace table marts_build.dim_leads as select 'L1' as lead_id, 'VP Sales' as title"
        )
        if extra_sql:
            con.execute(extra_sql)
    return PipelineSettings.resolve(database)


def test_publication_writes_the_serve_file_and_the_warehouse_marts(tmp_path: Path) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    result = publish_marts(settings, run_id="r1", as_of=AS_OF)
    assert result.relations == {"dim_leads": 1, "fct_lead_cycles": 1}
    with duckdb.connect(str(settings.serve_path), read_only=True) as con:
        assert con.execute("select cycle_id from marts.fct_lead_cycles").fetchall() == [("L1-1",)]
        assert con.execute("select run_id, as_of from lead_funnel_meta.publication").fetchall() == [
            ("r1", AS_OF)
        ]
    with duckdb.connect(str(settings.database), read_only=True) as con:
        assert con.execute("select lead_id from marts.dim_leads").fetchall() == [("L1",)]
        assert con.execute("select run_id from lead_funnel_meta.publications").fetchall() == [
            ("r1",)
        ]


def test_a_relation_dropped_from_the_build_leaves_the_published_set(tmp_path: Path) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    with duckdb.connect(str(settings.database)) as con:
        con.execute("drop table marts_build.dim_leads")
    publish_marts(settings, run_id="r2", as_of=AS_OF)
    for path in (settings.serve_path, settings.database):
        with duckdb.connect(str(path), read_only=True) as con:
            tables = con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
            assert tables == [("fct_lead_cycles",)]


@pytest.mark.parametrize(
    ("sql", "finding"),
    [
        (
            "create table marts_build.leaky as select 'L1' as lead_id, 'Ann' as first_name",
            "leaky.first_name",
        ),
        (
            "create table marts_build.leaky as select 'L1' as lead_id, 'ann@acme.com' as contact",
            "leaky.contact: 1 values",
        ),
    ],
)
def test_personal_data_is_never_published(tmp_path: Path, sql: str, finding: str) -> None:
    settings = build(tmp_path / "warehouse.duckdb", extra_sql=sql)
    with pytest.raises(PublicationRefused, match="personal data") as refused:
        publish_marts(settings, run_id="r1", as_of=AS_OF)
    assert finding in str(refused.value)
    assert not settings.serve_path.exists()


def test_not_enough_disk_says_so_and_keeps_the_previous_publication(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    before = settings.serve_path.read_bytes()
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(publish.shutil, "disk_usage", lambda _: usage(10**9, 10**9 - 1000, 1000))
    with pytest.raises(
        PublicationRefused, match=r"needs about .* GB free .* only 0\.00 GB is free"
    ):
        publish_marts(settings, run_id="r2", as_of=AS_OF)
    assert settings.serve_path.read_bytes() == before


def test_the_free_space_needed_is_twice_the_marts(tmp_path: Path) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    with duckdb.connect(str(settings.database)) as con:
        estimate = publish.estimated_bytes(con, "marts_build")
        # two tables x one row x two columns x 8 bytes; the previous serve file is larger
        assert estimate == 2 * 1 * 2 * 8
        assert (
            publish.required_free_bytes(con, settings.serve_path)
            == 2 * settings.serve_path.stat().st_size
        )


def test_leftovers_of_killed_publications_are_removed(tmp_path: Path) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    leftover = temp_serve_path(settings.serve_path, "killed-run")
    leftover.write_bytes(b"half a database")
    leftover.with_name(leftover.name + ".wal").write_bytes(b"wal")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    assert [p.name for p in tmp_path.iterdir() if ".publishing" in p.name] == []


def test_old_run_artifacts_are_pruned(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    runs.mkdir()
    now = time.time()
    for index in range(5):
        path = runs / f"run-{index}.json"
        path.write_text("{}")
        os.utime(path, (now + index, now + index))
    removed = prune_old_artifacts([runs, tmp_path / "missing"], keep=2)
    assert sorted(p.name for p in removed) == ["run-0.json", "run-1.json", "run-2.json"]
    assert sorted(p.name for p in runs.iterdir()) == ["run-3.json", "run-4.json"]


def _rows(path: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_an_unchanged_mart_is_not_copied_but_still_served_identically(tmp_path: Path) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    first = publish_marts(settings, run_id="r1", as_of=AS_OF)
    assert first.serve_copied == ["dim_leads", "fct_lead_cycles"]
    with duckdb.connect(str(settings.database)) as con:
        con.execute("insert into marts_build.fct_lead_cycles values ('L2-1', 'beta.io')")
        # rebuilt by the next night's dbt run, to the same content
        con.execute(
            "create or replace table marts_build.dim_leads as select 'L1' as lead_id, 'VP Sales' as title"
        )
    second = publish_marts(settings, run_id="r2", as_of=AS_OF)
    assert second.serve_copied == ["fct_lead_cycles"]
    assert second.warehouse_copied == ["dim_leads", "fct_lead_cycles"]
    assert second.relations == {"dim_leads": 1, "fct_lead_cycles": 2}
    for path in (settings.serve_path, settings.database):
        assert _rows(path, "select * from marts.dim_leads") == [("L1", "VP Sales")]
        assert _rows(path, "select * from marts.fct_lead_cycles order by 1") == [
            ("L1-1", "acme.com"),
            ("L2-1", "beta.io"),
        ]
    assert _rows(
        settings.serve_path,
        "select relation, row_count, copied_by_run_id from lead_funnel_meta.mart_digests order by 1",
    ) == [("dim_leads", 1, "r1"), ("fct_lead_cycles", 2, "r2")]
    assert _rows(settings.serve_path, "select run_id from lead_funnel_meta.publication") == [
        ("r2",)
    ]
    # nothing else of the old serve file survives in the copy
    assert _rows(
        settings.serve_path,
        "select count(*) from lead_funnel_meta.publication",
    ) == [(1,)]


def test_a_changed_column_type_or_name_is_a_changed_mart(tmp_path: Path) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    with duckdb.connect(str(settings.database)) as con:
        con.execute(
            "create or replace table marts_build.dim_leads as select 'L1' as lead_id, 'VP Sales' as job_title"
        )
    second = publish_marts(settings, run_id="r2", as_of=AS_OF)
    assert second.serve_copied == ["dim_leads"]
    assert _rows(
        settings.serve_path,
        "select column_name from duckdb_columns() where table_name = 'dim_leads' order by column_index",
    ) == [("lead_id",), ("job_title",)]


def test_the_personal_data_scan_reads_only_the_changed_marts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    scanned: list[list[str]] = []
    real_scan = publish.personal_data_findings

    def recording_scan(con: duckdb.DuckDBPyConnection, schema: str, relations: list[str]):  # type: ignore[no-untyped-def]
        scanned.append(list(relations))
        return real_scan(con, schema, relations)

    monkeypatch.setattr(publish, "personal_data_findings", recording_scan)
    with duckdb.connect(str(settings.database)) as con:
        con.execute("insert into marts_build.fct_lead_cycles values ('L2-1', 'ann@beta.io')")
    with pytest.raises(PublicationRefused, match=r"fct_lead_cycles\.email_domain: 1 values"):
        publish_marts(settings, run_id="r2", as_of=AS_OF)
    assert scanned == [["fct_lead_cycles"]]
    assert _rows(settings.serve_path, "select run_id from lead_funnel_meta.publication") == [
        ("r1",)
    ]


def test_a_mart_edited_in_the_warehouse_by_hand_is_replaced(tmp_path: Path) -> None:
    """An analytics engineer's `dbt build` writes `marts` directly: the warehouse's marts
    are replaced whatever the served digests say."""
    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    with duckdb.connect(str(settings.database)) as con:
        con.execute("update marts.dim_leads set title = 'edited'")
    second = publish_marts(settings, run_id="r2", as_of=AS_OF)
    assert second.serve_copied == []
    assert second.warehouse_copied == ["dim_leads", "fct_lead_cycles"]
    assert _rows(settings.database, "select title from marts.dim_leads") == [("VP Sales",)]


@pytest.mark.slow
def test_a_serve_file_updated_in_place_still_opens_in_duckdb_1(tmp_path: Path) -> None:
    from tests.readers.duckdb1 import DUCKDB_1_VERSIONS, read_with_duckdb1

    settings = build(tmp_path / "warehouse.duckdb")
    publish_marts(settings, run_id="r1", as_of=AS_OF)
    with duckdb.connect(str(settings.database)) as con:
        con.execute("insert into marts_build.fct_lead_cycles values ('L2-1', 'beta.io')")
    publish_marts(settings, run_id="r2", as_of=AS_OF)
    sql = {
        "cycles": "select cycle_id from marts.fct_lead_cycles order by 1",
        "leads": "select lead_id from marts.dim_leads",
        "run": "select run_id from lead_funnel_meta.publication",
    }
    old = read_with_duckdb1(DUCKDB_1_VERSIONS[0], settings.serve_path, sql)
    assert old["results"] == {"cycles": [["L1-1"], ["L2-1"]], "leads": [["L1"]], "run": [["r2"]]}
