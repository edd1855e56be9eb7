{#-
    Conform a raw table to the types the sources yml declares (the project's copy
    of the contract), whatever the warehouse actually holds:

    * a declared column with the declared type is selected as is;
    * a column of another type is try_cast (TIMESTAMPTZ is converted to naive UTC),
      and `_unparseable_columns` names every column whose non-null value did not cast,
      so the row can be quarantined with that reason instead of silently becoming null;
    * a declared column the table lacks becomes a typed null (reported by
      audit.source_schema_gaps);
    * a missing table becomes an empty relation with the declared columns, so an
      export without Marketo (or without BANT fields) still runs to the end.

    In a dbt unit test the source is a fixture built from the declared types, so
    it is selected as is.
-#}
{% macro declared_source_columns(source_name, table_name) %}
    {%- set matches = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name)
        | selectattr('name', 'equalto', table_name) | list -%}
    {%- if matches | length == 0 -%}
        {{ exceptions.raise_compiler_error('Unknown source ' ~ source_name ~ '.' ~ table_name) }}
    {%- endif -%}
    {%- set columns = [] -%}
    {%- for column in matches[0].columns.values() -%}
        {%- do columns.append({'name': column.name, 'data_type': column.data_type}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{% endmacro %}


{#- Columns by lower-cased name; compare `.dtype` (DuckDB's own type name, e.g. VARCHAR):
    dbt's `.data_type` spells text as "character varying(256)". -#}
{% macro raw_columns_by_name(relation) %}
    {%- set found = {} -%}
    {%- if relation is not none -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do found.update({column.name | lower: column}) -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(found) }}
{% endmacro %}


{% macro conformed_source(source_name, table_name) %}
    {%- set source_relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        select * from {{ source_relation }}
    {%- else -%}
        {%- if model.resource_type == 'unit_test' -%}
            select *, cast(null as varchar) as _unparseable_columns
            from {{ source_relation }}
        {%- else -%}
            {%- set declared = declared_source_columns(source_name, table_name) -%}
            {%- set relation = adapter.get_relation(
                database=source_relation.database,
                schema=source_relation.schema,
                identifier=source_relation.identifier) -%}
            {%- set actual = raw_columns_by_name(relation) -%}
            {%- set unparseable_checks = [] -%}
            select
            {%- for column in declared %}
                {%- set declared_type = column.data_type | upper -%}
                {%- set quoted = adapter.quote(column.name) -%}
                {%- if column.name | lower not in actual %}
                cast(null as {{ declared_type }}) as {{ quoted }},
                {%- else -%}
                    {%- set actual_type = actual[column.name | lower].dtype | upper -%}
                    {%- if actual_type == declared_type %}
                {{ quoted }},
                    {%- elif actual_type.startswith('TIMESTAMP WITH TIME ZONE') and declared_type == 'TIMESTAMP' %}
                timezone('UTC', {{ quoted }}) as {{ quoted }},
                    {%- else %}
                try_cast({{ quoted }} as {{ declared_type }}) as {{ quoted }},
                        {%- do unparseable_checks.append(
                            "case when " ~ quoted ~ " is not null and try_cast(" ~ quoted ~ " as "
                            ~ declared_type ~ ") is null then '" ~ column.name ~ "' end") -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor %}
            {%- if unparseable_checks | length > 0 %}
                nullif(concat_ws(',', {{ unparseable_checks | join(', ') }}), '') as _unparseable_columns
            {%- else %}
                cast(null as varchar) as _unparseable_columns
            {%- endif %}
            {%- if relation is none %}
            from (select 1) as missing_table
            where false
            {%- else %}
            from {{ relation }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}
