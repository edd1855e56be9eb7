{#-
    Classify every raw row of a table into exactly one disposition, so that
    audit.reconciliation_raw_rows can prove nothing disappears silently:

      staged       the latest sync of a usable row
      duplicate    an older sync of the same key (the latest `_fivetran_synced` wins;
                   ties are broken by a hash of the row, so the choice is stable)
      merged       a merged-away record (merged_condition); it wins over a soft
                   delete, because connectors delete merge losers (Marketo does)
      deleted      a soft delete (deleted_condition)
      quarantined  unusable: null key, null required column, a value that did not
                   cast to the declared type, or an event time after the run's as-of

    Incremental (big, append-mostly tables): only keys with a row synced after the
    stored watermark minus `incremental_lookback_days` are re-classified, together
    with rows quarantined as future_timestamp last time (they may be due now).
    Everything a key has in raw is re-read, so the result equals a full refresh.
-#}
{% macro classify_raw_rows(
        source_name,
        table_name,
        key_columns=['id'],
        required_columns=[],
        deleted_condition=none,
        merged_condition=none,
        event_time_expression=none) %}

{%- set null_checks = [] -%}
{%- for column in key_columns -%}{%- do null_checks.append(column ~ ' is null') -%}{%- endfor -%}
{%- set key_is_null = '(' ~ null_checks | join(' or ') ~ ')' -%}
{#- In a unit test `this` is not a relation: only an incremental model that exists can be incremental. -#}
{%- set incremental = model.resource_type != 'unit_test' and model.config.materialized == 'incremental' and is_incremental() -%}
{%- set key_expression -%}
    {%- if key_columns | length == 1 -%}
        cast({{ key_columns[0] }} as varchar)
    {%- else -%}
        concat_ws('|', {% for column in key_columns %}cast({{ column }} as varchar){% if not loop.last %}, {% endif %}{% endfor %})
    {%- endif -%}
{%- endset -%}

with

run_context as (

    select as_of from {{ ref('stg_lead_funnel__run_context') }}

),

raw_rows as (

    {{ conformed_source(source_name, table_name) }}

),

keys as (

    select
        raw_rows.*,
        case
            when {{ key_is_null }} then 'null_key:' || cast(hash(raw_rows) as varchar)
            else {{ key_expression }}
        end as _dedupe_key
    from raw_rows

),

{% if incremental %}
watermark as (

    select
        coalesce(
            max(_fivetran_synced) filter (where _fivetran_synced <= (select as_of from run_context))
            - interval {{ var('incremental_lookback_days') }} day,
            timestamp '1900-01-01'
        ) as reread_from
    from {{ this }}

),

batch_keys as (

    select _dedupe_key
    from keys
    where _fivetran_synced is null
        or _fivetran_synced > (select reread_from from watermark)

    union

    select _dedupe_key
    from {{ this }}
    where _quarantine_reason = 'future_timestamp'

),
{% endif %}

keyed as (

    {#- the row hash breaks ties between syncs of one key; only the batch needs it -#}
    select
        keys.*,
        hash(keys) as _row_hash
    from keys
    {% if incremental -%}
    where keys._dedupe_key in (select batch_keys._dedupe_key from batch_keys)
    {%- endif %}

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
            when {{ key_is_null }} then 'null_key'
            when _version_rank > 1 then null
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

)

select
    * exclude (_row_hash),
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

{% endmacro %}
