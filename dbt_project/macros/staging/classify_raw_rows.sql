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

    Incremental (big, append-mostly tables): a run re-classifies every key with a raw
    row that is not stored yet (or a stored row that is no longer in raw), compared by
    `_row_hash`, a digest of the whole raw row; whatever its `_fivetran_synced`, a row
    the last run did not see is found. Rows quarantined as future_timestamp last time
    are re-read too (they may be due now). Everything a key has in raw is re-read, so the
    result equals a full refresh. After a type change of a raw column the stored rows
    are dropped first (`reclassify_on_raw_schema_drift`, a pre-hook of every staging
    model), so the whole table is re-classified.
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
{#- In a unit test `this` is not a relation: only an incremental model that exists can be incremental. -#}
{%- set incremental = model.resource_type != 'unit_test' and model.config.materialized == 'incremental'
    and is_incremental() and relation_has_column(this, '_row_hash') -%}

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
        {{ row_digest_except(['_fivetran_synced', '_raw_schema_digest'],
            conformed_column_names(source_name, table_name, key_columns)) }} as _row_identity
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

{% if incremental %}
batch_keys as (

    select _dedupe_key
    from (
        (select _dedupe_key, _row_hash from hashed
        except all
        select _dedupe_key, _row_hash from {{ this }})
        union all
        (select _dedupe_key, _row_hash from {{ this }}
        except all
        select _dedupe_key, _row_hash from hashed)
    ) as changed

    union

    select _dedupe_key
    from {{ this }}
    where _quarantine_reason = 'future_timestamp'

),
{% endif %}

keyed as (

    select hashed.*
    from hashed
    {% if incremental -%}
    where hashed._dedupe_key in (select batch_keys._dedupe_key from batch_keys)
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

)

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

{% endmacro %}


{#- A digest of every column of the row being selected but `excluded`. -#}
{% macro row_digest_except(excluded, columns=none) -%}
    {{ return(adapter.dispatch('row_digest_except', 'lead_funnel')(excluded, columns)) }}
{%- endmacro %}

{#- `*columns(...)` unpacks the columns as arguments (sqlfluff's duckdb dialect cannot parse it yet) -#}
{% macro duckdb__row_digest_except(excluded, columns=none) -%}
    hash(*columns(* exclude ({{ excluded | join(', ') }}))) -- noqa: PRS
{% endmacro %}

{% macro default__row_digest_except(excluded, columns=none) -%}
    {{ exceptions.raise_compiler_error("row_digest_except is written for DuckDB only: add a " ~ adapter.type() ~ "__row_digest_except macro") }}
{%- endmacro %}
