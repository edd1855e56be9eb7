"""Land the Olist marketing funnel (real data, ../shared/reference-data/olist) as raw_salesforce.

Olist published 8,000 marketing qualified leads (2017-06 to 2018-05: first contact date,
landing page, origin) and the 842 that closed as deals (won date, SDR, sales rep). That is
a CRM export with gaps: no Marketo data, no BANT fields, no rejection reasons, no amounts.
Landed as a connector would, it shows what the pipeline makes of real, messy input:

* every MQL is a lead created on its first contact date whose status the MAP sync user set
  to `MQL` that day (a score-lane handoff);
* a closed deal converts the lead on its won date into an opportunity closed won (the
  first sales stages are not in the data: the marts infer them, and say so);
* `origin` lands as the lead source, as typed (`paid_search`, `unknown`, empty, ...);
  the channel_map seed maps the Olist spellings;
* one deal is won two days before its first contact: kept, and flagged out of order.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from lead_funnel_tools.raw_writer import write_raw_tables

MARKETO_TABLES = (
    "lead",
    "activity_visit_webpage",
    "activity_fill_out_form",
    "activity_click_email",
    "activity_open_email",
    "activity_change_status_in_progression",
    "activity_merge_leads",
    "activity_delete_lead",
    "activity_type",
    "program",
    "program_membership",
)
MQL_FILE = "olist_marketing_qualified_leads_dataset.csv"
DEALS_FILE = "olist_closed_deals_dataset.csv"
SYNC_USER = "005OLISTSYNC"


def import_olist(source_dir: Path, database: Path) -> dict[str, int]:
    """(Re)create raw_salesforce from the Olist CSVs; raw_marketo is left out, as in the export."""
    mqls, deals = source_dir / MQL_FILE, source_dir / DEALS_FILE
    for path in (mqls, deals):
        if not path.exists():
            raise FileNotFoundError(
                f"{path} not found: point --source-dir at the Olist funnel CSVs"
            )
    with duckdb.connect(str(database)) as con:
        write_raw_tables(con, {}, omit=[("marketo", name) for name in MARKETO_TABLES])
        con.execute("drop schema if exists raw_marketo cascade")
        # the paths are parameters, not SQL text: a quote in a directory name stays a quote
        for name, path in (("mqls", mqls), ("deals", deals)):
            con.execute(
                f"create temp table {name} as select * from"
                " read_csv(?, header = true, all_varchar = true)",
                [str(path)],
            )
        _land(con)
        return {
            table: con.execute(f'select count(*) from raw_salesforce."{table}"').fetchone()[0]
            for table in ("lead", "lead_history", "opportunity", "user", "user_role")
        }


def _land(con: duckdb.DuckDBPyConnection) -> None:
    synced = "timestamp '2018-09-01 00:00:00'"
    con.execute(
        f"""
        insert into raw_salesforce.user_role (id, name, _fivetran_synced)
        values ('00EINT', 'Integration', {synced}), ('00ESDR', 'SDR', {synced}), ('00EAE', 'AE', {synced})
        """
    )
    con.execute(
        f"""
        insert into raw_salesforce."user" (id, name, user_role_id, time_zone_sid_key, is_active, _fivetran_deleted, _fivetran_synced)
        select '{SYNC_USER}', 'Marketing automation sync', '00EINT', 'America/Sao_Paulo', true, false, {synced}
        union all
        select distinct sdr_id, 'SDR ' || left(sdr_id, 6), '00ESDR', 'America/Sao_Paulo', true, false, {synced}
        from deals where sdr_id is not null
        union all
        select distinct sr_id, 'Sales rep ' || left(sr_id, 6), '00EAE', 'America/Sao_Paulo', true, false, {synced}
        from deals where sr_id is not null and sr_id not in (select sdr_id from deals where sdr_id is not null)
        """
    )
    con.execute(
        f"""
        insert into raw_salesforce.lead (
            id, owner_id, created_date, last_modified_date, status, lead_source, company, industry,
            is_converted, converted_date, converted_opportunity_id, is_deleted, _fivetran_synced)
        select
            mqls.mql_id,
            deals.sdr_id,
            cast(mqls.first_contact_date as timestamp),
            coalesce(cast(deals.won_date as timestamp), cast(mqls.first_contact_date as timestamp)),
            case when deals.mql_id is null then 'MQL' else 'Converted' end,
            mqls.origin,
            'Olist seller ' || left(mqls.mql_id, 8),
            deals.business_segment,
            deals.mql_id is not null,
            cast(deals.won_date as date),
            case when deals.mql_id is not null then 'OPP' || left(mqls.mql_id, 15) end,
            false,
            {synced}
        from mqls
        left join deals on mqls.mql_id = deals.mql_id
        """
    )
    con.execute(
        f"""
        insert into raw_salesforce.lead_history (
            id, lead_id, created_date, created_by_id, field, old_value, new_value, is_deleted, _fivetran_synced)
        select 'MQL' || left(mql_id, 15), mql_id, cast(first_contact_date as timestamp), '{SYNC_USER}',
            'Status', 'Open - Not Contacted', 'MQL', false, {synced}
        from mqls
        union all
        select 'CNV' || left(mql_id, 15), mql_id, cast(won_date as timestamp), sdr_id,
            'Status', 'MQL', 'Converted', false, {synced}
        from deals
        """
    )
    con.execute(
        f"""
        insert into raw_salesforce.opportunity (
            id, owner_id, name, stage_name, probability, is_closed, is_won, close_date, created_date,
            lead_source, type, is_deleted, _fivetran_synced)
        select 'OPP' || left(deals.mql_id, 15), deals.sr_id, 'Olist seller ' || left(deals.mql_id, 8),
            'Closed Won', 100, true, true, cast(deals.won_date as date), cast(deals.won_date as timestamp),
            mqls.origin, deals.business_type, false, {synced}
        from deals
        left join mqls on deals.mql_id = mqls.mql_id
        """
    )
