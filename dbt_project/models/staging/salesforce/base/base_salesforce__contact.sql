-- Every raw row of salesforce.contact, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='contact',
        deleted_condition="is_deleted",
        event_time_expression='created_date'
    )
}}
