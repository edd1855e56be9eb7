-- Every raw row of marketo.lead, classified:
-- see macros/staging/classify_raw_rows.sql.
-- A lead is deleted when the connector flags it or a delete_lead activity names it,
-- and merged when a merge_leads activity lists it among the losing ids. A table, not
-- incremental: such an activity changes a row that was not synced again.
{%- set deleted_leads = ref('stg_marketo__activity_delete_lead') -%}
{%- set merge_map = ref('stg_marketo__lead_merge_map') %}

{{
    classify_raw_rows(
        source_name='marketo',
        table_name='lead',
        deleted_condition='_fivetran_deleted or id in (select marketo_lead_id from ' ~ deleted_leads ~ ')',
        merged_condition='id in (select losing_marketo_lead_id from ' ~ merge_map ~ ')',
        event_time_expression='created_at'
    )
}}
