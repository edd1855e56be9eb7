"""Decay without recomputing: an incremental night keeps the stored decayed sums of the
buckets nothing changed in (int_scoring_decayed_points, decayed to an earlier as-of) and
int_lead_scores and fct_account_engagement rescale them by 2^(-delta / half-life); changed buckets are recomputed.
Proved against a full refresh at the same as-of: the rescaled sums agree to 1e-9
relative (floating-point rounding of a product against a sum), the scores and account
scores (rounded to 2 decimals after the rescale) and int_scoring_person_events row for row.

Each case copies a warehouse the session already built (hand-built scenario, generated
data), moves it to another as-of incrementally, then fully refreshes the scoring models in
place (same upstream state, same file: dbt's partial parse stays valid) and compares.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from lead_funnel.dbt_cli import run_dbt
from lead_funnel_tools.generator import append_days

RELATIVE_TOLERANCE = 1e-9
SCORING_MODELS = (
    "stg_lead_funnel__run_context int_scoring_person_events int_scoring_decayed_points "
    "int_lead_scores fct_account_engagement"
)
SCORE_COLUMNS = (
    "lead_id, as_of, fit_score, engagement_score, intent_score, negative_score, total_score, "
    "is_fit_gate_passed, is_mql_eligible, fast_lane_signal_at, last_scored_activity_at, "
    "scored_events"
)


def _rescaled_sums(database: Path, as_of: datetime) -> dict[tuple[str, str], tuple[float, float]]:
    """Stored sums times 2^(-(as_of - decayed_to) / half-life), per score owner and person:
    what int_lead_scores and fct_account_engagement read."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            """
            select
                points.score_owner_id,
                points.person_id,
                points.engagement_points * pow(0.5, epoch(?::timestamp - points.decayed_to)
                    / 86400.0 / settings.engagement_half_life_days),
                points.intent_points * pow(0.5, epoch(?::timestamp - points.decayed_to)
                    / 86400.0 / settings.engagement_half_life_days)
            from intermediate.int_scoring_decayed_points as points
            cross join intermediate.int_settings as settings
            """,
            [as_of, as_of],
        ).fetchall()
    return {(owner, person): (engagement, intent) for owner, person, engagement, intent in rows}


def _rows(database: Path, sql: str) -> set[tuple]:
    with duckdb.connect(str(database), read_only=True) as con:
        return set(con.execute(sql).fetchall())


def _decayed_to_counts(database: Path, as_of: datetime) -> tuple[int, int]:
    """(rows kept from an earlier night, rows recomputed at as_of)."""
    with duckdb.connect(str(database), read_only=True) as con:
        kept, recomputed = con.execute(
            "select count(*) filter (where decayed_to <> ?), count(*) filter (where decayed_to = ?) "
            "from intermediate.int_scoring_decayed_points",
            [as_of, as_of],
        ).fetchone()
    return kept, recomputed


def _snapshot(database: Path, as_of: datetime) -> dict[str, object]:
    return {
        "sums": _rescaled_sums(database, as_of),
        "scores": _rows(database, f"select {SCORE_COLUMNS} from intermediate.int_lead_scores"),
        "events": _rows(database, "select * from intermediate.int_scoring_person_events"),
        "accounts": _rows(database, "select * from marts.fct_account_engagement"),
    }


def _assert_equals_full_refresh(database: Path, as_of: datetime, target: Path) -> None:
    """Fully refresh the scoring models in place (the same file keeps dbt's partial parse)
    and compare with what the incremental night left."""
    incremental = _snapshot(database, as_of)
    run_dbt(
        ["run", "--select", *SCORING_MODELS.split(), "--full-refresh"],
        database=database,
        as_of=as_of,
        target_path=target,
    )
    assert _decayed_to_counts(database, as_of)[0] == 0, (
        "a full refresh decays every sum to the as-of"
    )
    full = _snapshot(database, as_of)
    rescaled, fresh = incremental["sums"], full["sums"]
    assert isinstance(rescaled, dict) and isinstance(fresh, dict)
    assert rescaled.keys() == fresh.keys()
    for key, (engagement, intent) in fresh.items():
        assert rescaled[key] == pytest.approx(
            (engagement, intent), rel=RELATIVE_TOLERANCE, abs=1e-12
        ), key
    for part in ("scores", "events", "accounts"):
        assert incremental[part] == full[part], part


def _digests(database: Path) -> set[int]:
    return {
        row[0]
        for row in _rows(
            database, "select _bucket_digest from intermediate.int_scoring_decayed_points"
        )
    }


def _scoring_night(database: Path, as_of: datetime, target: Path) -> None:
    run_dbt(
        ["run", "--select", *SCORING_MODELS.split()],
        database=database,
        as_of=as_of,
        target_path=target,
    )


def test_handbuilt_nights_forward_and_back_equal_full_refreshes(
    handbuilt_run: dict[str, object], tmp_path: Path
) -> None:
    source, as_of = Path(str(handbuilt_run["database"])), handbuilt_run["as_of"]
    assert isinstance(as_of, datetime)
    database, target = tmp_path / "handbuilt.duckdb", tmp_path / "dbt-target"
    shutil.copyfile(source, database)
    scored_people = _decayed_to_counts(database, as_of)[1]
    assert scored_people > 0

    # 45 days later (1.5 half-lives), nothing new: every bucket is rescaled, none recomputed
    # unless an event left the window or a stored future event entered it
    later = as_of + timedelta(days=45)
    _scoring_night(database, later, target)
    kept, _ = _decayed_to_counts(database, later)
    assert kept > 0, "unchanged buckets keep their stored sums"
    _assert_equals_full_refresh(database, later, target)

    # the as-of moves back before the first night's: every stored sum (now decayed to
    # `later`) is ahead of it and is recomputed (the events after it are stored but not counted)
    earlier = as_of - timedelta(days=5)
    _scoring_night(database, earlier, target)
    assert _decayed_to_counts(database, earlier) == (0, scored_people)
    _assert_equals_full_refresh(database, earlier, target)


def test_generated_appended_day_equals_full_refresh(
    generated_run: dict[str, object], tmp_path: Path
) -> None:
    source, as_of = Path(str(generated_run["database"])), generated_run["as_of"]
    assert isinstance(as_of, datetime)
    database, target = tmp_path / "generated.duckdb", tmp_path / "dbt-target"
    shutil.copyfile(source, database)
    append_days(database, days=1, progress=False)
    next_night = as_of + timedelta(days=1)
    run_dbt(
        ["run", "--select", "+int_lead_scores", "+fct_account_engagement"],
        database=database,
        as_of=next_night,
        target_path=target,
    )
    kept, recomputed = _decayed_to_counts(database, next_night)
    assert kept > 0, "buckets without new events are rescaled, not recomputed"
    assert recomputed > 0, "buckets with the appended day's events are recomputed"
    assert kept > recomputed, "one day changes a minority of leads"
    _assert_equals_full_refresh(database, next_night, target)

    # a changed half-life (the settings row is in every bucket's digest): every bucket is
    # recomputed, with a new digest, and still equals a full refresh
    before = _digests(database)
    with duckdb.connect(str(database)) as con:
        con.execute("update intermediate.int_settings set engagement_half_life_days = 20")
    _scoring_night(database, next_night, target)
    assert before and _digests(database).isdisjoint(before)
    _assert_equals_full_refresh(database, next_night, target)
