{#-
    Lead-partitioned incremental models: the lead chain (int_lead_status_changes →
    int_lead_handoff_events → int_lead_cycle_events → int_lead_stage_intervals).

    Every row carries lead_digest: a digest of every input row of its lead, of the
    rules the model reads (seeds, integration users) and of the model's own code.
    An incremental run

    1. computes the digest of every live lead from the inputs (one cheap pass);
    2. rebuilds only the leads whose digest is not stored (new leads, leads with a new
       or changed input row, and every lead when a rule or the model's code changed),
       with delete+insert on lead_id;
    3. deletes the rows of leads that are no longer live (deleted, merged away) in a
       post-hook (delete_gone_leads).

    There is no watermark: a missed night, a failed run, a late-arriving row or an
    edited seed all show up as a changed digest, so the table always equals a full
    refresh. A model whose output can lose every row of a live lead must not use it
    (each of these has at least the lead's initial status row).
-#}

{% macro lead_chain_config(live_leads_model) -%}
    {#- The config every lead-chain model shares; live_leads_model holds the live leads
        (the model's lead-level input), whose absence drops a lead here. -#}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='lead_id',
        on_schema_change='sync_all_columns',
        post_hook="{{ delete_gone_leads(ref('" ~ live_leads_model ~ "')) }}"
    ) }}
{%- endmacro %}


{% macro lead_chain_is_incremental() -%}
    {#- In a unit test `this` is not a relation: only a model that exists can be incremental;
        a table stored before lead_digest existed is rebuilt whole (once). A model calls
        this once and passes the answer on (it asks the catalog). -#}
    {%- if model.resource_type == 'unit_test' or not is_incremental() or not execute -%}
        {{- return(false) -}}
    {%- endif -%}
    {{- return(relation_has_column(this, 'lead_digest')) -}}
{%- endmacro %}


{% macro row_digest(expressions) -%}
    {{ return(adapter.dispatch('row_digest', 'lead_funnel')(expressions)) }}
{%- endmacro %}

{#- A 64-bit hash of a row's values: DuckDB's hash() is an order of magnitude faster than md5. -#}
{% macro duckdb__row_digest(expressions) -%}
    hash({{ expressions | join(', ') }})
{%- endmacro %}

{% macro default__row_digest(expressions) -%}
    {{ exceptions.raise_compiler_error("row_digest is written for DuckDB only: add a " ~ adapter.type() ~ "__row_digest macro") }}
{%- endmacro %}


{% macro set_digest(expressions) -%}
    {#- An order-free digest of a lead's rows: the sum of their row digests. -#}
    {{ return(adapter.dispatch('set_digest', 'lead_funnel')(expressions)) }}
{%- endmacro %}

{% macro duckdb__set_digest(expressions) -%}
    coalesce(sum(cast({{ row_digest(expressions) }} as hugeint)), 0)
{%- endmacro %}

{% macro default__set_digest(expressions) -%}
    {{ exceptions.raise_compiler_error("set_digest is written for DuckDB only: add a " ~ adapter.type() ~ "__set_digest macro") }}
{%- endmacro %}


{% macro code_digest() -%}
    {#- The model's own code: an edited model rebuilds every lead once. -#}
    '{{ local_md5(model.raw_code) }}'
{%- endmacro %}


{% macro leads_to_rebuild(current_digests, incremental) -%}
    {#- The CTE leads_to_rebuild (with its trailing comma) on an incremental run: live
        leads whose current digest is not among the stored ones. Nothing otherwise. -#}
    {%- if incremental %}
leads_to_rebuild as (

    select current_digests.lead_id
    from {{ current_digests }} as current_digests
    where not exists (
        select 1
        from {{ this }} as stored
        where stored.lead_id = current_digests.lead_id
            and stored.lead_digest = current_digests.lead_digest
    )

),
    {%- endif %}
{%- endmacro %}


{% macro only_leads_to_rebuild(incremental, keyword='where') -%}
    {#- The filter that keeps an input to the leads being rebuilt (incremental runs only). -#}
    {%- if incremental %}
    {{ keyword }} lead_id in (select lead_id from leads_to_rebuild)
    {%- endif %}
{%- endmacro %}


{% macro delete_gone_leads(live_leads) -%}
    {%- if lead_chain_is_incremental() -%}
        delete from {{ this }} as stored
        where not exists (
            select 1 from {{ live_leads }} as live where live.lead_id = stored.lead_id
        )
    {%- endif -%}
{%- endmacro %}
