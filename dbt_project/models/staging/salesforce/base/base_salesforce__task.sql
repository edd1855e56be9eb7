-- Every raw row of salesforce.task, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='task',
        deleted_condition="is_deleted",
        event_time_expression='greatest(created_date, completed_date_time)'
    )
}}
