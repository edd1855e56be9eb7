-- Every raw row of salesforce.opportunity_field_history, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='opportunity_field_history',
        required_columns=['opportunity_id', 'created_date'],
        deleted_condition="is_deleted",
        event_time_expression='created_date'
    )
}}
