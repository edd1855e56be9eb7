-- Every raw row of marketo.activity_merge_leads, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='marketo',
        table_name='activity_merge_leads',
        required_columns=['lead_id', 'activity_date'],
        event_time_expression='activity_date'
    )
}}
