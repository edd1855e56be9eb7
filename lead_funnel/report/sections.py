"""The report's sections, one function each, every figure read from the published marts.

A section whose marts are absent (a partial project, a mart another release adds)
returns None and is left out; a section whose marts are empty says so.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import plotly.colors
import plotly.graph_objects as go

from lead_funnel.report.labels import (
    ATTRIBUTION_MODEL_LABELS,
    RESPONSE_BUCKET_LABELS,
    SLA_LABELS,
    STAGE_LABELS,
    humanize,
    label,
)
from lead_funnel.report.model import Chart, ReportContext, Section, Table, Tile, month_text

M = "marts"
STAGES = tuple(STAGE_LABELS)
PALETTE = plotly.colors.qualitative.Plotly + plotly.colors.qualitative.Pastel
TOP_OWNERS = 15
DIAGNOSTIC_QUARTERS = 2


def figure(title: str, context: ReportContext, *, height: int = 380) -> go.Figure:
    """An empty chart with the report's look; the title says what it shows and the as-of."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": f"{title}<br><sup>{context.as_of_text}</sup>", "x": 0.01},
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 110, "b": 60},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
        colorway=PALETTE,
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    return fig


def quarter_text(value: date) -> str:
    return f"{value:%Y}-Q{(value.month - 1) // 3 + 1}"


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    return None if not denominator else (numerator or 0) / denominator


def headline(context: ReportContext) -> Section | None:
    """Last full month's MQL cohort against the month before."""
    if not context.has(M, "fct_funnel_by_source"):
        return None
    months = (context.last_full_month, context.month_before)
    sums = {
        row["cohort_month"]: row
        for row in context.rows(
            f"""select cohort_month, sum(mqls) as mqls, sum(sals) as sals, sum(sqls) as sqls,
                       sum(won) as won, sum(spend) as spend
                from {M}.fct_funnel_by_source where cohort_month in (?, ?) group by cohort_month""",
            months,
        )
    }
    now, before = (sums.get(month, {}) for month in months)

    def tile(key: str, text: str, kind: str, pick: Callable[[dict[str, Any]], Any]) -> Tile:
        return Tile(key, text, pick(now) if now else None, pick(before) if before else None, kind)

    tiles = [
        tile(stage, STAGE_LABELS[stage], "count", lambda r, s=stage: r[s])
        for stage in ("mqls", "sals", "sqls", "won")
    ] + [
        tile("mql_to_sal_rate", "MQL → SAL", "rate", lambda r: ratio(r["sals"], r["mqls"])),
        tile("sal_to_sql_rate", "SAL → SQL", "rate", lambda r: ratio(r["sqls"], r["sals"])),
        tile("mql_to_sql_rate", "MQL → SQL", "rate", lambda r: ratio(r["sqls"], r["mqls"])),
        tile("spend", "Spend", "money", lambda r: r["spend"]),
        tile("cost_per_sql", "Cost per SQL", "money", lambda r: ratio(r["spend"], r["sqls"])),
    ]
    return Section(
        "headline",
        f"{month_text(months[0])} at a glance",
        f"The MQL cohort of {month_text(months[0])} (the last full month, {context.as_of_text}) "
        f"against {month_text(months[1])}. Counts are cycles handed off that month and what "
        "became of them so far; spend is the month's campaign spend.",
        tiles=tiles,
    )


def funnel_by_channel(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_funnel_by_source"):
        return None
    rows = context.rows(
        f"""select channel, {", ".join(f"sum({s}) as {s}" for s in STAGES)},
                   min(cohort_month) as first_month, max(cohort_month) as last_month
            from {M}.fct_funnel_by_source where mqls > 0 group by channel order by mqls desc, channel"""
    )
    section = Section(
        "funnel_by_channel",
        "Funnel by channel",
        "Cycles of every MQL cohort in the marts by channel: handed off (MQL), accepted by sales "
        "(SAL), qualified (SQL), with an opportunity, won.",
    )
    if not rows:
        section.notes.append("No MQL in the marts yet.")
        return section
    span = f"{month_text(min(r['first_month'] for r in rows))} to {month_text(max(r['last_month'] for r in rows))}"
    fig = figure(
        f"Cycles by channel and stage, MQL cohorts {span}", context, height=220 + 56 * len(rows)
    )
    channels = [context.channel(r["channel"]) for r in rows]
    for stage in STAGES:
        values = [int(r[stage]) for r in rows]
        fig.add_bar(name=STAGE_LABELS[stage], y=channels, x=values, text=values, orientation="h")
    fig.update_traces(
        textposition="outside", cliponaxis=False, textfont_size=11, constraintext="none"
    )
    fig.update_layout(
        barmode="group",
        xaxis_title="cycles",
        yaxis={"autorange": "reversed"},
        margin={"l": 160},
        uniformtext={"mode": False},
    )
    section.charts.append(Chart("funnel_by_channel", fig))
    return section


def conversion_by_cohort(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_funnel_by_source"):
        return None
    rows = context.rows(
        f"""select cohort_month, sum(mqls) as mqls, sum(sals) as sals, sum(sqls) as sqls
            from {M}.fct_funnel_by_source group by cohort_month having sum(mqls) > 0
            order by cohort_month"""
    )
    section = Section(
        "conversion_by_cohort",
        "Conversion by cohort month",
        "Stage conversion of each month's MQLs (ratios of sums over every channel). Recent "
        "cohorts are still maturing: their SQL rates rise as sales works them.",
    )
    if not rows:
        section.notes.append("No MQL in the marts yet.")
        return section
    fig = figure("Conversion rates by MQL cohort month", context)
    months = [month_text(r["cohort_month"]) for r in rows]
    for key, text, numerator, denominator in (
        ("mql_to_sal_rate", "MQL → SAL", "sals", "mqls"),
        ("sal_to_sql_rate", "SAL → SQL", "sqls", "sals"),
        ("mql_to_sql_rate", "MQL → SQL", "sqls", "mqls"),
    ):
        values = [ratio(r[numerator], r[denominator]) for r in rows]
        fig.add_scatter(name=text, x=months, y=values, mode="lines+markers", meta=key)
    fig.update_layout(yaxis={"tickformat": ".0%", "rangemode": "tozero"})
    section.charts.append(Chart("conversion_by_cohort", fig))
    section.tables.append(
        Table(
            "MQLs per cohort month",
            ["cohort", "MQLs", "SALs", "SQLs"],
            [[month_text(r["cohort_month"]), r["mqls"], r["sals"], r["sqls"]] for r in rows],
        )
    )
    return section


def rejection_reasons(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_rejection_reasons"):
        return None
    rows = context.rows(
        f"""select channel, rejection_reason, sum(rejections) as rejections
            from {M}.fct_rejection_reasons group by all order by rejection_reason, channel"""
    )
    fixes = context.rows(
        f"""select rejection_reason, sum(rejections) as rejections, any_value(marketing_fix) as fix
            from {M}.fct_rejection_reasons group by rejection_reason
            order by rejections desc, rejection_reason"""
    )
    section = Section(
        "rejection_reasons",
        "Why sales turned MQLs down",
        "Rejected and disqualified cycles by channel and reason, with the marketing fix each "
        "reason calls for (seed rejection_reasons).",
    )
    if not rows:
        section.notes.append("No rejected or disqualified cycle in the marts.")
        return section
    channel_count = len({r["channel"] for r in rows})
    fig = figure(
        "Rejections by channel and reason, all MQL cohorts",
        context,
        height=360 + 40 * channel_count,
    )
    for reason in [r["rejection_reason"] for r in fixes]:  # the biggest reason first
        mine = [r for r in rows if r["rejection_reason"] == reason]
        values = [int(r["rejections"]) for r in mine]
        fig.add_bar(
            name=humanize(reason),
            y=[context.channel(r["channel"]) for r in mine],
            x=values,
            text=values,
            orientation="h",
        )
    fig.update_traces(textposition="inside")
    fig.update_layout(
        barmode="stack",
        xaxis_title="cycles",
        margin={"l": 160, "b": 150},
        legend={"y": -0.12, "yanchor": "top", "traceorder": "normal"},
    )
    section.charts.append(Chart("rejection_reasons", fig))
    section.tables.append(
        Table(
            "What to fix",
            ["reason", "rejections", "marketing fix"],
            [[humanize(r["rejection_reason"]), r["rejections"], r["fix"]] for r in fixes],
        )
    )
    return section


def sla_breaches(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_sla_breaches"):
        return None
    section = Section(
        "sla_breaches",
        "SLA breaches",
        "Handoffs sales did not review or touch within the agreed working hours of the owner's "
        "time zone. Open breaches are still unmet at the as-of time.",
    )
    open_rows = context.rows(
        f"""with owners as (
                select owner_id, count(*) as owner_breaches from {M}.fct_sla_breaches
                where status = 'open' group by owner_id
                order by owner_breaches desc, owner_id limit {TOP_OWNERS}
            )
            select owner_id, sla, count(*) as breaches, any_value(owner_breaches) as total
            from {M}.fct_sla_breaches join owners using (owner_id)
            where status = 'open' group by all order by total desc, owner_id, sla"""
    )
    weekly = context.rows(
        f"""select cast({_week("met_at")} as date) as week, sla, count(*) as breaches
            from {M}.fct_sla_breaches where status = 'closed' group by all order by week, sla"""
    )
    medians = context.rows(
        f"""select sla, status, count(*) as breaches,
                   median(hours_late) as median_hours_late
            from {M}.fct_sla_breaches group by all order by sla, status"""
    )
    if not medians:
        section.notes.append("No SLA breach: every handoff was reviewed and touched in time.")
        return section
    if open_rows:
        owners = list(dict.fromkeys(r["owner_id"] for r in open_rows))
        fig = figure(
            f"Open SLA breaches by owner (the {len(owners)} with most)",
            context,
            height=240 + 24 * len(owners),
        )
        for sla in dict.fromkeys(r["sla"] for r in open_rows):
            mine = [r for r in open_rows if r["sla"] == sla]
            values = [int(r["breaches"]) for r in mine]
            fig.add_bar(
                name=label(SLA_LABELS, sla),
                y=[r["owner_id"] for r in mine],
                x=values,
                text=values,
                orientation="h",
            )
        fig.update_traces(textposition="inside")
        fig.update_layout(
            barmode="stack",
            yaxis={
                "title": "owner (user id)",
                "categoryorder": "array",
                "categoryarray": owners[::-1],
            },
            xaxis_title="open breaches",
            margin={"l": 150},
        )
        section.charts.append(Chart("sla_open_by_owner", fig))
    if weekly:
        fig = figure("Closed SLA breaches by week they were met", context, height=340)
        for sla in dict.fromkeys(r["sla"] for r in weekly):
            mine = [r for r in weekly if r["sla"] == sla]
            fig.add_bar(
                name=label(SLA_LABELS, sla),
                x=[r["week"].isoformat() for r in mine],
                y=[int(r["breaches"]) for r in mine],
            )
        fig.update_layout(barmode="stack", xaxis_title="week (Monday)", yaxis_title="breaches")
        section.charts.append(Chart("sla_closed_by_week", fig))
    section.tables.append(
        Table(
            "Median working hours late",
            ["SLA", "status", "breaches", "median hours late"],
            [
                [label(SLA_LABELS, r["sla"]), r["status"], r["breaches"], r["median_hours_late"]]
                for r in medians
            ],
        )
    )
    return section


def _week(column: str) -> str:
    return f"date_trunc('week', {column})"


def score_calibration(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_score_calibration"):
        return None
    rows = context.rows(
        f"""select score_band, band_lower, handoffs, acceptance_rate, win_rate
            from {M}.fct_score_calibration order by band_order"""
    )
    threshold = None
    if context.has(M, "fct_score_threshold_whatif"):
        found = context.rows(
            f"select threshold from {M}.fct_score_threshold_whatif where is_current_threshold"
        )
        threshold = found[0]["threshold"] if found else None
    section = Section(
        "score_calibration",
        "Is the score right?",
        "Acceptance and win rate of the handoffs in each band of the score they had just "
        "before the handoff. A good score climbs left to right; the dashed line is today's MQL "
        "threshold (seed scoring_settings).",
    )
    scored = [r for r in rows if r["handoffs"]]
    if not scored:
        section.notes.append("No scored handoff in the marts yet.")
        return section
    first = rows.index(scored[0])
    last = rows.index(scored[-1])
    shown = rows[min(first, _band_index(rows, threshold) or first) : last + 1]
    fig = figure("Acceptance and win rate by score band at MQL", context)
    bands = [r["score_band"] for r in shown]
    fig.add_bar(name="Acceptance rate", x=bands, y=[r["acceptance_rate"] for r in shown])
    fig.add_bar(name="Win rate", x=bands, y=[r["win_rate"] for r in shown])
    fig.add_scatter(
        name="Handoffs",
        x=bands,
        y=[int(r["handoffs"]) for r in shown],
        yaxis="y2",
        mode="lines+markers",
    )
    fig.update_layout(
        barmode="group",
        yaxis={"tickformat": ".0%", "range": [0, 1.05], "title": "rate"},
        yaxis2={
            "overlaying": "y",
            "side": "right",
            "title": "handoffs",
            "rangemode": "tozero",
            "tickformat": "d",
            "showgrid": False,
        },
        xaxis_title="score at MQL",
    )
    index = _band_index(shown, threshold)
    if index is not None:
        fig.add_vline(
            x=index - 0.5,
            line_dash="dash",
            line_color="#b91c1c",
            annotation_text=f"MQL threshold {threshold:g}",
            annotation_position="top right",
        )
    section.charts.append(Chart("score_calibration", fig))
    return section


def _band_index(rows: Sequence[dict[str, Any]], threshold: float | None) -> int | None:
    if threshold is None:
        return None
    for index, row in enumerate(rows):
        if row["band_lower"] is not None and row["band_lower"] >= threshold:
            return index
    return None


def diagnostics(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_funnel_diagnostics"):
        return None
    all_rows = context.rows(
        f"""select quarter_start, channel, findings, recommended_actions
            from {M}.fct_funnel_diagnostics where findings_count > 0
            order by quarter_start desc, channel"""
    )
    quarters = sorted({r["quarter_start"] for r in all_rows}, reverse=True)[:DIAGNOSTIC_QUARTERS]
    rows = [r for r in all_rows if r["quarter_start"] in quarters]
    section = Section(
        "diagnostics",
        "What the diagnostics found",
        "The named funnel patterns (seed funnel_diagnostic_rules) that fired per quarter and "
        "channel, with what to do about them.",
    )
    if not rows:
        section.notes.append("No diagnostic rule fired in any quarter.")
        return section
    section.tables.append(
        Table(
            "Findings",
            ["quarter", "channel", "finding", "recommended action"],
            [
                [
                    quarter_text(r["quarter_start"]),
                    context.channel(r["channel"]),
                    r["findings"],
                    r["recommended_actions"],
                ]
                for r in rows
            ],
        )
    )
    if len(rows) < len(all_rows):
        section.notes.append(
            f"{len(all_rows) - len(rows)} findings of earlier quarters: "
            "marts.fct_funnel_diagnostics."
        )
    return section


def attribution(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_attribution_by_channel"):
        return None
    rows = context.rows(
        f"""select model, channel, sum(attributed_opportunities) as opportunities,
                   sum(attributed_won_amount) as won_amount, sum(spend) as spend
            from {M}.fct_attribution_by_channel group by all order by model, channel"""
    )
    section = Section(
        "attribution",
        "Which channels earn the pipeline",
        "Opportunities credited to each channel by each attribution model (credits per cycle "
        "sum to 1, so every model shares out the same opportunities).",
    )
    if not rows:
        section.notes.append("No attributed cycle in the marts.")
        return section
    fig = figure("Attributed opportunities by channel and model, all MQL cohorts", context)
    for model in dict.fromkeys(r["model"] for r in rows):
        mine = [r for r in rows if r["model"] == model]
        fig.add_bar(
            name=label(ATTRIBUTION_MODEL_LABELS, model),
            x=[context.channel(r["channel"]) for r in mine],
            y=[r["opportunities"] for r in mine],
        )
    fig.update_layout(barmode="group", yaxis_title="attributed opportunities")
    section.charts.append(Chart("attribution", fig))
    models = list(dict.fromkeys(r["model"] for r in rows))
    by_channel: dict[str, dict[str, dict[str, float]]] = {}
    for r in rows:
        by_channel.setdefault(r["channel"], {})[r["model"]] = r
    section.tables.append(
        Table(
            "Return on spend by channel and model (attributed won amount / spend)",
            ["channel", "spend", *(label(ATTRIBUTION_MODEL_LABELS, m) for m in models)],
            [
                [
                    context.channel(channel),
                    next(iter(per_model.values()))["spend"],
                    *(
                        ratio(per_model[m]["won_amount"], per_model[m]["spend"])
                        if m in per_model
                        else None
                        for m in models
                    ),
                ]
                for channel, per_model in by_channel.items()
            ],
        )
    )
    return section


def targets(context: ReportContext) -> Section | None:
    has_targets = context.has(M, "fct_funnel_targets")
    has_coverage = context.has(M, "fct_pipeline_coverage")
    if not (has_targets or has_coverage):
        return None
    section = Section(
        "targets",
        "Against the plan",
        "Cohort counts against the targets of seed funnel_targets: attainment, pace (actual / "
        "what the share of the month elapsed would expect) and pipeline coverage per quarter.",
    )
    if has_targets:
        target_sql = f"""select metric, target, actual, attainment, expected_to_date, pace,
                                projected
                         from {M}.fct_funnel_targets where channel = 'all' and month = ?
                         order by metric"""
        last_month = context.rows(target_sql, [context.last_full_month])
        this_month = context.rows(target_sql, [context.current_month])
        if last_month:
            fig = figure(
                f"Attainment of {context.last_full_month:%b %Y}'s targets (all channels)",
                context,
                height=340,
            )
            fig.add_bar(
                name="Attainment",
                x=[humanize(r["metric"]) for r in last_month],
                y=[r["attainment"] for r in last_month],
            )
            fig.add_hline(y=1, line_dash="dash", line_color="#475569")
            fig.update_layout(yaxis={"tickformat": ".0%"})
            section.charts.append(Chart("targets", fig))
            section.tables.append(
                Table(
                    f"{context.last_full_month:%b %Y}: targets and actuals (all channels)",
                    ["metric", "target", "actual", "attainment"],
                    [
                        [humanize(r["metric"]), r["target"], r["actual"], r["attainment"]]
                        for r in last_month
                    ],
                )
            )
        if this_month:
            section.tables.append(
                Table(
                    f"{context.current_month:%b %Y} so far: pace against the share of the month "
                    "elapsed (all channels)",
                    ["metric", "target", "actual", "expected to date", "pace", "projected"],
                    [
                        [
                            humanize(r["metric"]),
                            r["target"],
                            r["actual"],
                            r["expected_to_date"],
                            r["pace"],
                            r["projected"],
                        ]
                        for r in this_month
                    ],
                )
            )
        if not (last_month or this_month):
            section.notes.append("No target set for the last full month or this month.")
    if has_coverage:
        coverage = context.rows(
            f"""select quarter_start, won_amount_target, won_amount, open_pipeline_amount,
                       remaining_target, coverage
                from {M}.fct_pipeline_coverage order by quarter_start"""
        )
        section.tables.append(
            Table(
                "Pipeline coverage (open pipeline / remaining won-amount target)",
                ["quarter", "won target", "won", "open pipeline", "remaining", "coverage"],
                [
                    [
                        quarter_text(r["quarter_start"]),
                        r["won_amount_target"],
                        r["won_amount"],
                        r["open_pipeline_amount"],
                        r["remaining_target"],
                        r["coverage"],
                    ]
                    for r in coverage
                ],
            )
        )
    return section


def speed_to_lead(context: ReportContext) -> Section | None:
    if not context.has(M, "fct_speed_to_lead"):
        return None
    rows = context.rows(
        f"""select response_bucket, min(bucket_order) as bucket_order, sum(cycles) as cycles,
                   sum(sqls) as sqls
            from {M}.fct_speed_to_lead group by response_bucket order by bucket_order"""
    )
    section = Section(
        "speed_to_lead",
        "Speed to lead",
        "Wall-clock time from the handoff to the first completed sales task, and how often "
        "each response time ends in an SQL.",
    )
    if not rows:
        section.notes.append("No cycle in the marts.")
        return section
    fig = figure("Cycles and SQL rate by time to first touch", context)
    buckets = [label(RESPONSE_BUCKET_LABELS, r["response_bucket"]) for r in rows]
    fig.add_bar(name="Cycles", x=buckets, y=[int(r["cycles"]) for r in rows])
    fig.add_scatter(
        name="SQL rate",
        x=buckets,
        y=[ratio(r["sqls"], r["cycles"]) for r in rows],
        yaxis="y2",
        mode="lines+markers",
    )
    fig.update_layout(
        yaxis_title="cycles",
        yaxis2={"overlaying": "y", "side": "right", "tickformat": ".0%", "rangemode": "tozero"},
    )
    section.charts.append(Chart("speed_to_lead", fig))
    return section


def data_health(context: ReportContext) -> Section | None:
    """What proves the marts can be trusted (schema `audit` of the serve file)."""
    section = Section(
        "data_health",
        "Data health",
        "Every raw row accounted for, what was quarantined and why, picklist values no seed "
        "maps, columns the sources lack, and the verdict of each stage-definition invariant "
        "for this publication.",
    )
    if context.has("audit", "reconciliation_raw_rows"):
        rows = context.rows(
            """select source_name, table_name, raw_rows, staged_rows, duplicate_rows,
                      deleted_rows, merged_rows, quarantined_rows, unaccounted_rows
               from audit.reconciliation_raw_rows order by source_name, table_name"""
        )
        unaccounted = sum(r["unaccounted_rows"] for r in rows)
        raw = sum(r["raw_rows"] for r in rows)
        section.tiles.append(Tile("raw_rows", "Raw rows", raw, None, "count"))
        section.tiles.append(Tile("unaccounted_rows", "Unaccounted", unaccounted, None, "count"))
        landed = [r for r in rows if r["raw_rows"]]
        section.tables.append(
            Table(
                "Reconciliation of raw rows",
                [
                    "source",
                    "table",
                    "raw",
                    "staged",
                    "duplicate",
                    "deleted",
                    "merged",
                    "quarantined",
                    "unaccounted",
                ],
                [list(r.values()) for r in landed],
            )
        )
        empty = [f"{r['source_name']}.{r['table_name']}" for r in rows if not r["raw_rows"]]
        if empty:
            section.notes.append(f"{len(empty)} raw tables landed no rows: {', '.join(empty)}.")
    if context.has("audit", "quarantine_by_reason"):
        rows = context.rows(
            """select source_name, table_name, reason, quarantined_rows
               from audit.quarantine_by_reason order by quarantined_rows desc, 1, 2, 3"""
        )
        section.tables.append(
            Table(
                "Quarantined rows by reason",
                ["source", "table", "reason", "rows"],
                [list(r.values()) for r in rows],
            )
        )
    if context.has("audit", "unmapped_values"):
        rows = context.rows(
            """select seed, picklist, picklist_value, rows_affected, leads_affected
               from audit.unmapped_values order by rows_affected desc, 1, 2, 3"""
        )
        section.tables.append(
            Table(
                "Picklist values no seed maps (add them to the seed)",
                ["seed", "picklist", "value", "rows", "leads"],
                [list(r.values()) for r in rows],
            )
        )
    if context.has("audit", "source_schema_gaps"):
        rows = context.rows(
            """select source_name, table_name, column_name, gap
               from audit.source_schema_gaps order by 1, 2, 3"""
        )
        section.tables.append(
            Table(
                "Source gaps (filled with typed nulls)",
                ["source", "table", "column", "gap"],
                [list(r.values()) for r in rows],
            )
        )
    if context.has("audit", "invariant_verdicts"):
        rows = context.rows(
            """select check_name, severity, mart, passed, unexpected_count
               from audit.invariant_verdicts order by passed, severity, check_name"""
        )
        failed = [r for r in rows if not r["passed"]]
        blocking = sum(1 for r in failed if r["severity"] == "blocking")
        section.tiles += [
            Tile("invariants_passed", "Invariants passed", len(rows) - len(failed), None, "count"),
            Tile("invariants_blocking_failed", "Blocking failed", blocking, None, "count"),
            Tile("invariants_warnings", "Warnings", len(failed) - blocking, None, "count"),
        ]
        section.tables.append(
            Table(
                "Stage-definition invariants",
                ["invariant", "severity", "mart", "verdict", "offending rows"],
                [
                    [
                        humanize(r["check_name"]),
                        r["severity"],
                        r["mart"],
                        "passed" if r["passed"] else "FAILED",
                        r["unexpected_count"],
                    ]
                    for r in rows
                ],
            )
        )
    if not section.tables:
        return None
    return section


SECTIONS: tuple[Callable[[ReportContext], Section | None], ...] = (
    headline,
    funnel_by_channel,
    conversion_by_cohort,
    rejection_reasons,
    sla_breaches,
    score_calibration,
    diagnostics,
    attribution,
    targets,
    speed_to_lead,
    data_health,
)
