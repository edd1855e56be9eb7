-- Every raw row of salesforce.lead, classified:
-- see macros/staging/classify_raw_rows.sql.
{{ bucketed_incremental('_dedupe_key', drop_stale=false) }}

{{
    classify_raw_rows(
        source_name='salesforce',
        table_name='lead',
        required_columns=['created_date'],
        deleted_condition="is_deleted and master_record_id is null",
        merged_condition="master_record_id is not null",
        event_time_expression='created_date'
    )
}}
