"""The scoring marts on a generated data set (15k leads, as of 2026-01-01).

Every expectation is recomputed here from the contract's definitions (CONTRACT.md section 3,
issue 8) and the seeds, independently of the SQL: the calibration counts from
fct_lead_cycles, the decayed scores from the scoring events, the open/click rule from
staging, the suggested threshold from the won cycles.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.scoring.conftest import AS_OF, Warehouse

pytestmark = pytest.mark.usefixtures("generated_warehouse")


def settings(wh: Warehouse) -> dict[str, float]:
    frame = wh.df("select setting, setting_value from seeds.scoring_settings")
    return dict(zip(frame.setting, frame.setting_value.astype(float), strict=True))


def decayed(points: pd.Series, age_seconds: pd.Series, half_life_days: float) -> pd.Series:
    return points * np.power(0.5, age_seconds / 86400.0 / half_life_days)


def rank_correlation(x: pd.Series, y: pd.Series) -> float:
    return float(np.corrcoef(x.rank().to_numpy(), y.rank().to_numpy())[0, 1])


# --------------------------------------------------------------------------- calibration


def test_calibration_counts_reconcile_with_fct_lead_cycles(generated_warehouse: Warehouse) -> None:
    wh = generated_warehouse
    cycles = wh.df(
        "select score_at_mql, sales_decision, sql_at, outcome, entry_lane from marts.fct_lead_cycles"
    )
    bands = wh.df("select * from marts.fct_score_calibration order by band_order")
    assert len(cycles) > 2_000
    assert cycles.score_at_mql.notna().all(), "every cycle has a score at MQL"
    assert bands.handoffs.sum() == len(cycles)

    # the bands tile the score line: open below, contiguous, open above
    assert np.isnan(bands.band_lower.iloc[0]) and np.isnan(bands.band_upper.iloc[-1])
    assert (bands.band_upper.iloc[:-1].to_numpy() == bands.band_lower.iloc[1:].to_numpy()).all()

    for band in bands.itertuples():
        in_band = pd.Series(True, index=cycles.index)
        if not np.isnan(band.band_lower):
            in_band &= cycles.score_at_mql >= band.band_lower
        if not np.isnan(band.band_upper):
            in_band &= cycles.score_at_mql < band.band_upper
        rows = cycles[in_band]
        accepted = int((rows.sales_decision == "accepted").sum())
        sqls = int(rows.sql_at.notna().sum())
        won = int((rows.outcome == "won").sum())
        assert band.handoffs == len(rows), band.score_band
        assert band.accepted == accepted, band.score_band
        assert band.sqls == sqls, band.score_band
        assert band.won == won, band.score_band
        assert band.score_lane_handoffs == int((rows.entry_lane == "score").sum())
        assert band.fast_lane_handoffs == int((rows.entry_lane == "fast_lane").sum())
        assert band.manual_handoffs == int((rows.entry_lane == "manual").sum())
        if len(rows) == 0:
            assert (
                pd.isna(band.acceptance_rate) and pd.isna(band.sql_rate) and pd.isna(band.win_rate)
            )
        else:
            assert band.acceptance_rate == pytest.approx(accepted / len(rows))
            assert band.sql_rate == pytest.approx(sqls / len(rows))
            assert band.win_rate == pytest.approx(won / len(rows))


def test_acceptance_and_win_rates_rise_with_the_score_band(generated_warehouse: Warehouse) -> None:
    bands = generated_warehouse.df("select * from marts.fct_score_calibration order by band_order")
    populated = bands[bands.handoffs >= 100]
    assert len(populated) >= 6
    # acceptance climbs band by band (rank correlation close to 1)
    assert rank_correlation(populated.band_order, populated.acceptance_rate) >= 0.9
    assert rank_correlation(populated.band_order, populated.sql_rate) >= 0.8

    # wins are rarer: pool the handoffs below and above the median score band
    cumulative = bands.handoffs.cumsum() / bands.handoffs.sum()
    median_order = int(bands.band_order[cumulative >= 0.5].iloc[0])
    low = bands[bands.band_order < median_order]
    high = bands[bands.band_order > median_order]
    low_win = low.won.sum() / low.handoffs.sum()
    high_win = high.won.sum() / high.handoffs.sum()
    low_accept = low.accepted.sum() / low.handoffs.sum()
    high_accept = high.accepted.sum() / high.handoffs.sum()
    assert high_win > 2 * low_win, (low_win, high_win)
    assert high_accept > low_accept + 0.2, (low_accept, high_accept)


# --------------------------------------------------------------------------- lead scores


def test_lead_scores_cover_live_leads_and_components_add_up(generated_warehouse: Warehouse) -> None:
    wh = generated_warehouse
    config = settings(wh)
    scores = wh.df("select * from marts.fct_lead_scores")
    dim = wh.df(
        "select lead_id, fit_score, engagement_score, intent_score, negative_score, total_score from marts.dim_leads"
    )
    assert sorted(scores.lead_id) == sorted(dim.lead_id)
    assert scores.lead_id.is_unique
    assert (scores.as_of == pd.Timestamp(AS_OF)).all()

    total = scores.fit_score + scores.engagement_score + scores.intent_score + scores.negative_score
    assert np.allclose(total, scores.total_score, atol=1e-9, rtol=0)
    assert (scores.negative_score <= 0).all()
    assert (scores.engagement_score >= 0).all() and (scores.intent_score >= 0).all()

    gate, threshold = config["fit_gate"], config["mql_threshold"]
    assert (scores.is_fit_gate_passed == (scores.fit_score >= gate)).all()
    assert (
        scores.is_mql_eligible == ((scores.fit_score >= gate) & (scores.total_score >= threshold))
    ).all()
    assert not (scores.is_mql_eligible & (scores.fit_score < gate)).any()
    # the generator makes both kinds of leads
    assert scores.is_mql_eligible.any() and (~scores.is_mql_eligible).any()
    assert (scores.negative_score < 0).any() and (scores.engagement_score > 0).any()

    merged = dim.merge(scores, on="lead_id", suffixes=("_dim", ""))
    for column in (
        "fit_score",
        "engagement_score",
        "intent_score",
        "negative_score",
        "total_score",
    ):
        assert np.allclose(merged[f"{column}_dim"], merged[column], equal_nan=True)


def test_engagement_and_intent_are_decayed_event_points_at_the_as_of(
    generated_warehouse: Warehouse,
) -> None:
    wh = generated_warehouse
    config = settings(wh)
    events = wh.df(
        "select lead_id, scored_at, score_component, base_points "
        "from intermediate.int_scoring_person_events where lead_id is not null"
    )
    as_of = pd.Timestamp(AS_OF)
    age = (as_of - events.scored_at).dt.total_seconds()
    counted = events[(age >= 0) & (age < config["engagement_max_age_days"] * 86400)].copy()
    counted["points"] = decayed(
        counted.base_points, age[counted.index], config["engagement_half_life_days"]
    )
    expected = counted.pivot_table(
        index="lead_id", columns="score_component", values="points", aggfunc="sum", fill_value=0.0
    )
    scores = wh.df(
        "select lead_id, engagement_score, intent_score from marts.fct_lead_scores"
    ).set_index("lead_id")
    joined = scores.join(expected, how="left").fillna(0.0)
    assert len(expected) > 1_000
    # components are rounded to 2 decimals
    assert (joined.engagement_score - joined.engagement).abs().max() <= 0.0051
    assert (joined.intent_score - joined.intent).abs().max() <= 0.0051


def test_score_at_mql_uses_only_events_before_mql_at(generated_warehouse: Warehouse) -> None:
    wh = generated_warehouse
    config = settings(wh)
    cycles = wh.df(
        "select c.cycle_id, c.lead_id, c.mql_at, c.score_at_mql, c.fit_score_at_mql, f.negative_score "
        "from marts.fct_lead_cycles as c inner join intermediate.int_lead_fit_scores as f using (lead_id)"
    )
    events = wh.df(
        "select lead_id, scored_at, base_points from intermediate.int_scoring_person_events "
        "where lead_id is not null"
    )
    paired = cycles.merge(events, on="lead_id")
    age = (paired.mql_at - paired.scored_at).dt.total_seconds()
    later = paired[age <= 0]
    assert later.cycle_id.nunique() > 100, "many leads keep engaging after their handoff"
    before = paired[(age > 0) & (age < config["engagement_max_age_days"] * 86400)].copy()
    before["points"] = decayed(
        before.base_points, age[before.index], config["engagement_half_life_days"]
    )
    expected_activity = before.groupby("cycle_id").points.sum()

    cycles = cycles.set_index("cycle_id")
    activity = cycles.score_at_mql - cycles.fit_score_at_mql - cycles.negative_score
    expected = expected_activity.reindex(cycles.index, fill_value=0.0)
    # engagement and intent are each rounded to 2 decimals
    assert (activity - expected).abs().max() <= 0.011


def test_email_opens_count_only_with_a_click_on_the_same_email_within_24_hours(
    generated_warehouse: Warehouse,
) -> None:
    wh = generated_warehouse
    opens = wh.df(
        """
        select
            a.activity_key,
            a.activity_kind,
            a.scored_at,
            (
                select min(c.activity_at)
                from staging.stg_marketo__activity_click_email as c
                where c.original_marketo_lead_id = o.original_marketo_lead_id
                    and coalesce(cast(c.email_template_id as varchar), c.primary_attribute_value)
                        = coalesce(cast(o.email_template_id as varchar), o.primary_attribute_value)
                    and c.activity_at between o.activity_at and o.activity_at + interval 24 hour
            ) as first_click_at
        from intermediate.int_scoring_activities as a
        inner join staging.stg_marketo__activity_open_email as o
            on a.activity_key = 'open:' || cast(o.activity_id as varchar)
        """
    )
    assert len(opens) == wh.scalar("select count(*) from staging.stg_marketo__activity_open_email")
    clicked = opens.first_click_at.notna()
    assert clicked.any() and (~clicked).any()
    assert (opens.activity_kind[clicked] == "email_open_with_click").all()
    assert (opens.activity_kind[~clicked] == "email_open").all()
    assert (opens.scored_at[clicked] == opens.first_click_at[clicked]).all()
    # a lone open scores nothing: it never reaches the scoring events
    assert (
        wh.scalar(
            "select count(*) from intermediate.int_scoring_person_events where activity_kind = 'email_open'"
        )
        == 0
    )


# --------------------------------------------------------------------------- threshold what-if


def test_threshold_whatif_counts_and_suggested_threshold(generated_warehouse: Warehouse) -> None:
    wh = generated_warehouse
    config = settings(wh)
    whatif = wh.df("select * from marts.fct_score_threshold_whatif order by threshold")
    cycles = wh.df(
        "select cycle_id, score_at_mql, fit_score_at_mql, sales_decision, sql_at, outcome, won_at "
        "from marts.fct_lead_cycles"
    )
    scores = wh.df("select fit_score, total_score from marts.fct_lead_scores")
    gate = config["fit_gate"]
    expected_thresholds = np.arange(
        config["whatif_threshold_min"],
        config["whatif_threshold_max"] + 1e-9,
        config["whatif_threshold_step"],
    )
    assert np.allclose(whatif.threshold, expected_thresholds)

    for row in whatif.itertuples():
        kept = cycles[(cycles.fit_score_at_mql >= gate) & (cycles.score_at_mql >= row.threshold)]
        assert row.handoffs == len(kept)
        assert row.sqls == int(kept.sql_at.notna().sum())
        assert row.won == int((kept.outcome == "won").sum())
        assert row.share_of_handoffs == pytest.approx(len(kept) / len(cycles))
        assert row.share_of_sqls == pytest.approx(
            kept.sql_at.notna().sum() / cycles.sql_at.notna().sum()
        )
        assert row.share_of_won == pytest.approx(
            (kept.outcome == "won").sum() / (cycles.outcome == "won").sum()
        )
        assert row.eligible_leads_now == int(
            ((scores.fit_score >= gate) & (scores.total_score >= row.threshold)).sum()
        )
    assert whatif.handoffs.is_monotonic_decreasing
    assert whatif.share_of_sqls.is_monotonic_decreasing
    assert whatif.is_current_threshold.sum() == 1
    assert float(whatif.threshold[whatif.is_current_threshold].iloc[0]) == config["mql_threshold"]

    won = cycles[cycles.outcome == "won"].sort_values(["won_at", "cycle_id"], ascending=False)
    latest = won.head(int(config["threshold_suggestion_won_cycles"]))
    assert len(latest) == min(len(won), 50)
    suggested = float(np.median(latest.score_at_mql))
    assert whatif.suggested_threshold.nunique() == 1
    assert whatif.suggested_threshold.iloc[0] == pytest.approx(suggested)
    assert (whatif.suggested_from_won_cycles == len(latest)).all()
    flagged = whatif[whatif.is_suggested_threshold]
    assert len(flagged) == 1
    assert (
        flagged.threshold.iloc[0]
        <= suggested
        < flagged.threshold.iloc[0] + config["whatif_threshold_step"]
    )


# --------------------------------------------------------------------------- model vs CRM


def test_model_vs_crm_handoffs_side_by_side(generated_warehouse: Warehouse) -> None:
    wh = generated_warehouse
    config = settings(wh)
    gate, threshold = config["fit_gate"], config["mql_threshold"]
    compared = wh.df("select * from marts.fct_score_vs_crm_handoffs")
    cycles = wh.df("select cycle_id, score_at_mql, fit_score_at_mql from marts.fct_lead_cycles")
    dim = wh.df("select lead_id, cycle_count from marts.dim_leads")
    scores = wh.df("select lead_id, is_mql_eligible from marts.fct_lead_scores")

    handoffs = compared[compared.is_crm_handoff].merge(cycles, on="cycle_id")
    assert len(handoffs) == len(cycles)
    assert np.allclose(handoffs.score, handoffs.score_at_mql)
    would = (handoffs.fit_score_at_mql >= gate) & (handoffs.score_at_mql >= threshold)
    assert ((handoffs.comparison == "both") == would).all()
    gaps = handoffs[handoffs.comparison == "crm_only"]
    assert ((gaps.model_gap == "below_fit_gate") == (gaps.fit_score_at_mql < gate)).all()

    never = dim[dim.cycle_count == 0].merge(scores, on="lead_id")
    expected_model_only = set(never.lead_id[never.is_mql_eligible])
    model_only = compared[compared.comparison == "model_only"]
    assert set(model_only.lead_id) == expected_model_only
    assert model_only.cycle_id.isna().all()
    assert {"both", "crm_only", "model_only"} <= set(compared.comparison)


# --------------------------------------------------------------------------- accounts


def test_account_engagement_buying_committees(generated_warehouse: Warehouse) -> None:
    wh = generated_warehouse
    config = settings(wh)
    accounts = wh.df("select * from marts.fct_account_engagement")
    assert accounts.account_id.is_unique
    crm_accounts = wh.scalar("select count(*) from staging.stg_salesforce__account")
    assert int(accounts.is_crm_account.sum()) == crm_accounts
    assert accounts.account_id[~accounts.is_crm_account].str.startswith("domain:").all()
    committee = (accounts.engaged_contacts_30d >= config["buying_committee_min_contacts"]) | (
        accounts.engaged_departments_30d >= config["buying_committee_min_departments"]
    )
    assert (accounts.is_buying_committee == committee).all()
    assert accounts.is_buying_committee.any() and (~accounts.is_buying_committee).any()
    assert (accounts.engaged_departments_30d <= accounts.engaged_contacts_30d).all()
    assert (accounts.engaged_contacts_30d <= accounts.people).all()

    # every engaged person in the window is counted on exactly one account (or on none
    # when they have no company: personal and competitor domains)
    window_start = pd.Timestamp(AS_OF) - pd.Timedelta(days=config["account_window_days"])
    engaged_people = wh.scalar(
        f"""
        select count(distinct person_id)
        from intermediate.int_scoring_person_events
        where scored_at between timestamp '{window_start}' and timestamp '{AS_OF}'
        """
    )
    assert 0 < accounts.engaged_contacts_30d.sum() <= engaged_people
