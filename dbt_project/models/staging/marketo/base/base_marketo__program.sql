-- Every raw row of marketo.program, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='marketo',
        table_name='program',
        deleted_condition="_fivetran_deleted",
        event_time_expression='created_at'
    )
}}
