-- Every raw row of salesforce.user, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='user',
        deleted_condition="_fivetran_deleted"
    )
}}
