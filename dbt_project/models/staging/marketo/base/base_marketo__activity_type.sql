-- Every raw row of marketo.activity_type, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='marketo',
        table_name='activity_type'
    )
}}
