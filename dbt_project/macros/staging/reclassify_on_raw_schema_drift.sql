{#-
    A pre-hook of every staging model (dbt_project.yml). For an incremental base
    (`base_<source>__<table>`), it deletes the stored rows classified under another
    shape of the raw table: rows whose `_raw_schema_digest` (column names and types,
    see conformed_source) is not the raw table's current one, or every row when the
    stored table predates the digest. The model then finds nothing stored and
    re-classifies the whole raw table, so a type change (a timestamp landing as text,
    a column dropped, a table gone) is detected at once, not waited out by the
    incremental window. Nothing for views, tables and full refreshes.
-#}
{% macro reclassify_on_raw_schema_drift() %}
    {%- if not execute or model.config.materialized != 'incremental' or flags.FULL_REFRESH -%}
        {{ return('') }}
    {%- endif -%}
    {%- set parts = model.name.split('__', 1) -%}
    {%- set source_name = parts[0].replace('base_', '', 1) -%}
    {%- if not model.name.startswith('base_') or parts | length != 2 -%}
        {{ return('') }}
    {%- endif -%}
    {%- set existing = adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier) -%}
    {%- if existing is none -%}
        {{ return('') }}
    {%- endif -%}
    {%- if relation_has_column(existing, '_raw_schema_digest') and relation_has_column(existing, '_row_hash') -%}
        delete from {{ this }}
        where _raw_schema_digest is null
            or _raw_schema_digest <> '{{ raw_schema_digest(source_name, parts[1]) }}'
    {%- else -%}
        delete from {{ this }}
    {%- endif -%}
{% endmacro %}
