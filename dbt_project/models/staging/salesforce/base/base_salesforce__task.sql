-- Every raw row of salesforce.task, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='_dedupe_key',
        on_schema_change='sync_all_columns'
    )
}}

{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='task',
        deleted_condition="is_deleted",
        event_time_expression='greatest(created_date, completed_date_time)'
    )
}}
