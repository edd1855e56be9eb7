"""An independent measurement of funnel stage rates, straight from the raw tables.

This does not use the dbt models; it reconstructs handoff cycles with one SQL query so the
generator's realism can be tested on its own. The approximation:

* rows are de-duplicated by id (latest ``_fivetran_synced``), null ids and soft-deleted or
  merged-away leads are dropped; a lead's channel is its ``lead_source`` mapped by the
  contract's channel list (case-insensitive; unmapped -> ``other``);
* events per lead, in time order: ``Status`` history rows, Marketo fast-lane form fills
  joined through ``raw_marketo.lead.sfdc_lead_id`` and the close of the lead's converted
  opportunity (its last ``StageName`` change to Closed Won/Lost, else ``close_date``);
* a cycle opens at a change to ``MQL`` or a fast-lane fill when the last opener/closer before
  it was a closer (or there was none), and closes at ``Rejected``, ``Recycled``,
  ``Disqualified`` or the opportunity's close; stage events belong to the open cycle;
* a cycle reached SAL if it has ``Sales Accepted``, ``Sales Qualified`` or ``Converted``
  (skipped stages count as reached), SQL if ``Sales Qualified`` or ``Converted``,
  opportunity if ``Converted``;
* **resolved denominators**: a transition X->Y counts only cycles that reached X and either
  reached Y or are closed (cycles still open at the window end are left out, so recent
  cohorts do not drag the rates down); opportunity->won is won / (won + lost);
  lead->MQL is the share of live leads that ever opened a cycle (not resolved: recent leads
  count, which lowers it a little).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from lead_funnel_tools.generator.vocab import CHANNELS, FAST_LANE_FORMS, LEAD_SOURCES

_CHANNEL_VALUES = ", ".join(
    f"('{text.lower()}', '{CHANNELS[code]}')"
    for text, code in LEAD_SOURCES
    if CHANNELS[code] != "other"
)
_FAST = ", ".join(f"'{form}'" for form in FAST_LANE_FORMS)

CYCLES_SQL = f"""
WITH
channel_map(source_value, channel) AS (VALUES {_CHANNEL_VALUES}),
sf_lead AS (
    SELECT * FROM raw_salesforce.lead WHERE id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1
),
leads AS (
    SELECT l.id AS lead_id, coalesce(m.channel, 'other') AS channel, l.created_date,
           l.converted_opportunity_id
    FROM sf_lead AS l
    LEFT JOIN channel_map AS m ON lower(trim(l.lead_source)) = m.source_value
    WHERE NOT coalesce(l.is_deleted, false)
),
users AS (
    SELECT u.id, r.name AS role
    FROM (SELECT * FROM raw_salesforce."user" WHERE id IS NOT NULL
          QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1) AS u
    LEFT JOIN (SELECT * FROM raw_salesforce.user_role WHERE id IS NOT NULL
          QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1) AS r
      ON r.id = u.user_role_id
),
hist AS (
    SELECT * FROM raw_salesforce.lead_history WHERE id IS NOT NULL AND field = 'Status'
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1
),
mk AS (
    SELECT id, sfdc_lead_id FROM raw_marketo.lead WHERE id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1
),
fills AS (
    SELECT * FROM raw_marketo.activity_fill_out_form
    WHERE id IS NOT NULL AND primary_attribute_value IN ({_FAST})
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1
),
opp AS (
    SELECT * FROM raw_salesforce.opportunity WHERE id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1
),
opp_close AS (
    SELECT o.id, o.is_won,
           coalesce(max(h.created_date), CAST(o.close_date AS TIMESTAMP)) AS closed_at
    FROM opp AS o
    LEFT JOIN raw_salesforce.opportunity_field_history AS h
      ON h.opportunity_id = o.id AND h.field = 'StageName'
     AND h.new_value IN ('Closed Won', 'Closed Lost')
    WHERE o.is_closed AND NOT coalesce(o.is_deleted, false)
    GROUP BY o.id, o.is_won, o.close_date
),
events AS (
    SELECT h.lead_id, h.created_date AS t, h.new_value AS status,
           CASE WHEN u.role = 'Integration' THEN 'score' ELSE 'manual' END AS lane
    FROM hist AS h JOIN leads AS l ON l.lead_id = h.lead_id
    LEFT JOIN users AS u ON u.id = h.created_by_id
    UNION ALL
    SELECT mk.sfdc_lead_id, f.activity_date, 'FAST', 'fast_lane'
    FROM fills AS f JOIN mk ON mk.id = f.lead_id JOIN leads AS l ON l.lead_id = mk.sfdc_lead_id
    UNION ALL
    SELECT l.lead_id, c.closed_at, CASE WHEN c.is_won THEN 'WON' ELSE 'LOST' END, NULL
    FROM leads AS l JOIN opp_close AS c ON c.id = l.converted_opportunity_id
),
typed AS (
    SELECT *,
        CASE WHEN status IN ('MQL', 'FAST') THEN 'O'
             WHEN status IN ('Rejected', 'Recycled', 'Disqualified', 'WON', 'LOST') THEN 'C'
        END AS oc,
        CASE WHEN status IN ('MQL', 'FAST') THEN 0
             WHEN status IN ('Rejected', 'Recycled', 'Disqualified', 'WON', 'LOST') THEN 2
             ELSE 1 END AS ord
    FROM events
),
flagged AS (
    SELECT *,
        last_value(oc IGNORE NULLS) OVER (
            PARTITION BY lead_id ORDER BY t, ord
            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_oc
    FROM typed
),
numbered AS (
    SELECT *,
        (oc = 'O' AND coalesce(prev_oc, 'C') = 'C') AS opens,
        sum(CASE WHEN oc = 'O' AND coalesce(prev_oc, 'C') = 'C' THEN 1 ELSE 0 END) OVER (
            PARTITION BY lead_id ORDER BY t, ord ROWS UNBOUNDED PRECEDING) AS cycle_number
    FROM flagged
),
in_cycle AS (
    SELECT * FROM numbered WHERE cycle_number > 0 AND (opens OR prev_oc = 'O')
)
SELECT c.lead_id, l.channel, c.cycle_number,
       arg_min(c.lane, c.t) FILTER (WHERE c.opens) AS entry_lane,
       min(c.t) FILTER (WHERE c.opens) AS mql_at,
       bool_or(c.status IN ('Sales Accepted', 'Sales Qualified', 'Converted')) AS sal,
       bool_or(c.status IN ('Sales Qualified', 'Converted')) AS sql,
       bool_or(c.status = 'Converted') AS opp,
       bool_or(c.status = 'WON') AS won,
       bool_or(c.status = 'LOST') AS lost,
       bool_or(c.oc = 'C') AS closed
FROM in_cycle AS c JOIN leads AS l USING (lead_id)
GROUP BY 1, 2, 3
ORDER BY 1, 3
"""

LEADS_SQL = f"""
WITH channel_map(source_value, channel) AS (VALUES {_CHANNEL_VALUES})
SELECT coalesce(m.channel, 'other') AS channel, count(*) AS leads
FROM (SELECT * FROM raw_salesforce.lead WHERE id IS NOT NULL
      QUALIFY row_number() OVER (PARTITION BY id ORDER BY _fivetran_synced DESC) = 1) AS l
LEFT JOIN channel_map AS m ON lower(trim(l.lead_source)) = m.source_value
WHERE NOT coalesce(l.is_deleted, false)
GROUP BY ALL
"""


def measure_cycles(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per reconstructed handoff cycle (see the module docstring)."""
    return con.execute(CYCLES_SQL).df()


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    return (num / den.where(den > 0)).astype(float)


def _rates(cycles: pd.DataFrame, leads: pd.Series, group: pd.Series) -> pd.DataFrame:
    c = cycles.assign(
        sal_res=cycles.sal | cycles.closed,
        sql_from_sal=cycles.sal & (cycles.sql | cycles.closed),
        opp_from_sql=cycles.sql & (cycles.opp | cycles.closed),
        sql_res=cycles.sql | cycles.closed,
        decided=cycles.won | cycles.lost,
    )
    g = c.groupby(group, observed=True)
    out = pd.DataFrame(
        {
            "leads": leads,
            "mql_leads": g.lead_id.nunique(),
            "cycles": g.size(),
            "sal": g.sal.sum(),
            "sql": g.sql.sum(),
            "opportunities": g.opp.sum(),
            "won": g.won.sum(),
            "lost": g.lost.sum(),
        }
    ).fillna(0)
    out["lead_to_mql"] = _ratio(out.mql_leads, out.leads)
    out["mql_to_sal"] = _ratio(g.sal.sum(), g.sal_res.sum())
    out["sal_to_sql"] = _ratio(g.sql.sum(), g.sql_from_sal.sum())
    out["sql_to_opportunity"] = _ratio(g.opp.sum(), g.opp_from_sql.sum())
    out["opportunity_to_won"] = _ratio(g.won.sum(), g.decided.sum())
    out["mql_to_sql"] = _ratio(g.sql.sum(), g.sql_res.sum())
    return out


def measure_stage_rates(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per-channel stage rates (index: channel, plus an ``all`` row) from the raw tables."""
    cycles = measure_cycles(con)
    leads = con.execute(LEADS_SQL).df().set_index("channel")["leads"]
    per_channel = _rates(cycles, leads, cycles["channel"])
    overall = _rates(cycles, pd.Series({"all": leads.sum()}), pd.Series("all", index=cycles.index))
    out = pd.concat([per_channel, overall])
    out.index.name = "channel"
    counts = ["leads", "mql_leads", "cycles", "sal", "sql", "opportunities", "won", "lost"]
    out[counts] = out[counts].astype("int64")
    return out
