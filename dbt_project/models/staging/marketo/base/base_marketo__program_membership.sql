-- Every raw row of marketo.program_membership, classified:
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
        table_name='program_membership',
        key_columns=['lead_id', 'program_id'],
        event_time_expression='membership_date'
    )
}}
