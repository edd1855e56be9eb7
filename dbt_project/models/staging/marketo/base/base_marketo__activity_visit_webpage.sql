-- Every raw row of marketo.activity_visit_webpage, classified:
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
        source_name='marketo',
        table_name='activity_visit_webpage',
        required_columns=['lead_id', 'activity_date'],
        event_time_expression='activity_date'
    )
}}
