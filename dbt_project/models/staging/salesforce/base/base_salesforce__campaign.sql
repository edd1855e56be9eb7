-- Every raw row of salesforce.campaign, classified:
-- see macros/staging/classify_raw_rows.sql.
{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='campaign',
        deleted_condition="is_deleted"
    )
}}
