-- Every raw row of marketo.activity_fill_out_form, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='marketo',
        table_name='activity_fill_out_form',
        required_columns=['lead_id', 'activity_date'],
        event_time_expression='activity_date'
    )
}}
