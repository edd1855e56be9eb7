{#-
    Classify every raw row of a table into exactly one disposition, so that
    audit.reconciliation_raw_rows can prove nothing disappears silently:

      staged       the latest sync of a usable row
      duplicate    an older sync of the same key (the latest `_fivetran_synced` wins;
                   ties are broken by a hash of the row, so the choice is stable)
      merged       a merged-away record (merged_condition); it wins over a soft
                   delete, because connectors delete merge losers (Marketo does)
      deleted      a soft delete (deleted_condition)
      quarantined  unusable: null key (`null_key`), a key that does not parse
                   (`unparseable:<key>`, known by its landed text), null required
                   column, a value that did not cast to the declared type, or an event
                   time after the run's as-of

    The key of a row without one is a digest of the whole row but its sync time, so a
    re-sync of a null-key row is a duplicate of it, not a new row.

    Incremental (big, append-mostly tables) by bucket of `_dedupe_key`
    (macros/incremental/bucketed_incremental.sql): the digest of a bucket is the sum of
    its raw rows' `_row_hash` (a digest of the whole raw row), the base's code and the
    raw table's column names and types (`_raw_schema_digest`). A run re-classifies the
    buckets with a raw row not classified yet or a classified row raw no longer has,
    whatever its `_fivetran_synced`, plus the buckets holding a row quarantined as
    future_timestamp last time (it may be due now); everything a key has in raw is
    re-read, so the result equals a full refresh. After a type change of a raw column
    every bucket's digest changes, so the whole table is re-classified.
-#}
{% macro classify_raw_rows(
        source_name,
        table_name,
        key_columns=['id'],
        required_columns=[],
        deleted_condition=none,
        merged_condition=none,
        event_time_expression=none) %}

{%- set landed_keys = [] -%}
{%- set key_parts = [] -%}
{%- for column in key_columns -%}
    {%- do landed_keys.append(adapter.quote('_landed_' ~ column) ~ ' is null') -%}
    {%- do key_parts.append('coalesce(cast(' ~ column ~ ' as string), ' ~ adapter.quote('_landed_' ~ column) ~ ')') -%}
{%- endfor -%}
{%- set key_is_null = '(' ~ landed_keys | join(' or ') ~ ')' -%}
{%- set key_did_not_parse = '(' ~ key_columns | join(' is null or ') ~ ' is null)' -%}
{%- set key_expression -%}
    {%- if key_columns | length == 1 -%}
        {{ key_parts[0] }}
    {%- else -%}
        concat_ws('|', {{ key_parts | join(', ') }})
    {%- endif -%}
{%- endset -%}
{%- set bucketed = model.config.materialized == 'incremental' -%}

with

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

raw_rows as (

    {{ conformed_source(source_name, table_name, landed_text_columns=key_columns) }}

),

identified as (

    {#- all a row holds but when it was synced (and the digest of the raw table's shape,
        so a type change keeps it): the identity of a row without a key -#}
    select
        raw_rows.*,
        {{ row_digest_except(['_fivetran_synced', '_raw_schema_digest']) }} as _row_identity
    from raw_rows

),

keys as (

    select
        identified.*,
        case
            when {{ key_is_null }} then 'null_key:' || cast(_row_identity as string)
            else {{ key_expression }}
        end as _dedupe_key
    from identified

),

hashed as (

    {#- the row hash finds the rows not classified yet and breaks ties between syncs of one key -#}
    select
        keys.*,
        {{ whole_row_hash('keys') }} as _row_hash
    from keys

),

{% if bucketed -%}
{{ bucket_digests(
    '_dedupe_key',
    inputs=[{'relation': 'hashed', 'row_hash': '_row_hash'}],
    also_rebuild="stored._quarantine_reason = 'future_timestamp'",
    salt=raw_schema_digest(source_name, table_name) if execute else ''
) }}
{%- endif %}

keyed as (

    select hashed.*
    from hashed
    {%- if bucketed %}{{ in_rebuilt_buckets('hashed._dedupe_key') }}{% endif %}

),

ranked as (

    select
        *,
        row_number() over (
            partition by _dedupe_key
            order by _fivetran_synced desc nulls last, _row_hash desc
        ) as _version_rank
    from keyed

),

classified as (

    select
        ranked.*,
        case
            when _version_rank > 1 then null
            when {{ key_is_null }} then 'null_key'
            when {{ key_did_not_parse }} then 'unparseable:' || _unparseable_columns
            {%- if merged_condition %}
            when coalesce({{ merged_condition }}, false) then null
            {%- endif %}
            {%- if deleted_condition %}
            when coalesce({{ deleted_condition }}, false) then null
            {%- endif %}
            {%- for column in required_columns %}
            when {{ column }} is null then 'null_required:{{ column }}'
            {%- endfor %}
            when _unparseable_columns is not null then 'unparseable:' || _unparseable_columns
            {%- if event_time_expression %}
            when {{ event_time_expression }} > (select as_of from run_context) then 'future_timestamp'
            {%- endif %}
        end as _quarantine_reason
    from ranked

),

dispositioned as (

    select
        *,
        case
            when _quarantine_reason is not null then 'quarantined'
            when _version_rank > 1 then 'duplicate'
            {%- if merged_condition %}
            when coalesce({{ merged_condition }}, false) then 'merged'
            {%- endif %}
            {%- if deleted_condition %}
            when coalesce({{ deleted_condition }}, false) then 'deleted'
            {%- endif %}
            else 'staged'
        end as _disposition
    from classified

)

{{ select_with_bucket_digest('dispositioned', '_dedupe_key') }}

{% endmacro %}


{#- A digest of every column of the row being selected but `excluded`. -#}
{% macro row_digest_except(excluded) -%}
    {{ return(adapter.dispatch('row_digest_except', 'lead_funnel')(excluded)) }}
{%- endmacro %}

{#- `*columns(...)` unpacks the columns as arguments (sqlfluff's duckdb dialect cannot parse it yet) -#}
{% macro duckdb__row_digest_except(excluded) -%}
    hash(*columns(* exclude ({{ excluded | join(', ') }}))) -- noqa: PRS
{% endmacro %}

{% macro default__row_digest_except(excluded) -%}
    {{ exceptions.raise_compiler_error("row_digest_except is written for DuckDB only: add a " ~ adapter.type() ~ "__row_digest_except macro") }}
{%- endmacro %}
