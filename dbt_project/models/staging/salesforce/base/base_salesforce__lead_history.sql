-- Every raw row of salesforce.lead_history, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='lead_history',
        required_columns=['lead_id', 'created_date'],
        deleted_condition="is_deleted",
        event_time_expression='created_date'
    )
}}
