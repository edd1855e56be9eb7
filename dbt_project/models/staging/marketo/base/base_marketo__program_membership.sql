-- Every raw row of marketo.program_membership, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='marketo',
        table_name='program_membership',
        key_columns=['lead_id', 'program_id'],
        event_time_expression='membership_date'
    )
}}
