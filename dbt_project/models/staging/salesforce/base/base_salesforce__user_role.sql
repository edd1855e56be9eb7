-- Every raw row of salesforce.user_role, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='user_role'
    )
}}
