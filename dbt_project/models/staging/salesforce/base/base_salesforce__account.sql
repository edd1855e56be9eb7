-- Every raw row of salesforce.account, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='account',
        deleted_condition="is_deleted",
        event_time_expression='created_date'
    )
}}
