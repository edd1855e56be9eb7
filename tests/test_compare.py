"""The serve-file comparison the benchmark uses to prove an incremental night equals a full refresh."""

from __future__ import annotations

from pathlib import Path

import duckdb

from lead_funnel_tools.compare import differing_rows, table_differences


def _serve(path: Path, statements: list[str]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        for statement in statements:
            con.execute(statement)
    return path


def test_counts_rows_on_each_side_as_multisets(tmp_path: Path) -> None:
    left = _serve(
        tmp_path / "left.duckdb",
        [
            "create table marts.a as select * from (values (1, 'x'), (1, 'x'), (2, 'y')) t(k, v)",
            "create table marts.only_left as select 1 as k",
        ],
    )
    right = _serve(
        tmp_path / "right.duckdb",
        [
            # one duplicate fewer, one changed value, the columns in another order
            "create table marts.a as select * from (values ('x', 1), ('z', 2)) t(v, k)",
            "create table marts.only_right as select * from range(3) t(k)",
        ],
    )
    differences = table_differences(left, right)
    assert differences == {
        "marts.a": (3, 2, 1),  # left (1,x) once more and (2,y); right (2,z)
        "marts.only_left": (1, 1, 0),
        "marts.only_right": (0, 0, 3),
    }
    assert differing_rows(differences) == 7
    assert table_differences(left, left) == {"marts.a": (3, 0, 0), "marts.only_left": (1, 0, 0)}
