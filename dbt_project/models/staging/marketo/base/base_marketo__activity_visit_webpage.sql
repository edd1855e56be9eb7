-- Every raw row of marketo.activity_visit_webpage, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='marketo',
        table_name='activity_visit_webpage',
        required_columns=['lead_id', 'activity_date'],
        event_time_expression='activity_date'
    )
}}
