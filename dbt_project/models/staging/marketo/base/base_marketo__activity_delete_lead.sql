-- Every raw row of marketo.activity_delete_lead, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='marketo',
        table_name='activity_delete_lead',
        required_columns=['lead_id', 'activity_date'],
        event_time_expression='activity_date'
    )
}}
