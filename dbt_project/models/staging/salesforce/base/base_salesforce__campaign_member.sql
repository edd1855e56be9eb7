-- Every raw row of salesforce.campaign_member, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='campaign_member',
        deleted_condition="is_deleted",
        event_time_expression='created_date'
    )
}}
