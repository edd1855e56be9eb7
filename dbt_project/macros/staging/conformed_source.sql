{#-
    Conform a raw table to the types the sources yml declares (the project's copy
    of the contract), whatever the warehouse actually holds:

    * a declared column with the declared type is selected as is;
    * a column of another type is converted by `conform_value` (engine-specific,
      below): TIMESTAMPTZ to naive UTC; text timestamps with an offset (`Z`,
      `+02:00`, `-0500`) to UTC and naive text timestamps read as UTC; text numbers
      with thousands separators (`1,646`, `1 646`, `1,646.5`) to numbers; anything
      else is try_cast;
    * `_unparseable_columns` names every column whose landed value (not null, not
      blank text) did not convert, and `_unparseable_values` keeps those values as
      landed (`column=value; ...`), so the row is quarantined with that reason and
      the value, instead of silently becoming null;
    * `landed_text_columns` (the keys) are also kept as landed text in
      `_landed_<column>`, so a key that does not parse is still known by its value;
    * `_raw_schema_digest` is a digest of the raw table's column names and types: an
      incremental base compares it with its stored rows and re-classifies the whole
      table after a type change (it is part of every bucket digest);
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


{#- The landed relation of a source, none when it has not landed. -#}
{% macro landed_source_relation(source_name, table_name) %}
    {{ return(landed_relation(source(source_name, table_name))) }}
{% endmacro %}


{#- A digest of a landed raw table's column names and types ('' for a missing table). -#}
{% macro raw_schema_digest(source_name, table_name) %}
    {%- set actual = raw_columns_by_name(landed_source_relation(source_name, table_name)) -%}
    {%- set parts = [] -%}
    {%- for name in actual | sort -%}
        {%- do parts.append(name ~ ' ' ~ (actual[name].dtype | upper)) -%}
    {%- endfor -%}
    {{ return(local_md5(parts | join(','))) }}
{% endmacro %}


{% macro conformed_source(source_name, table_name, landed_text_columns=[]) %}
    {%- set source_relation = source(source_name, table_name) -%}
    {%- if not execute -%}
        select * from {{ source_relation }}
    {%- else -%}
        {%- if model.resource_type == 'unit_test' -%}
            select
                *,
                {%- for column in landed_text_columns %}
                cast({{ adapter.quote(column) }} as string) as {{ adapter.quote('_landed_' ~ column) }},
                {%- endfor %}
                cast(null as string) as _unparseable_columns,
                cast(null as string) as _unparseable_values,
                cast(null as string) as _raw_schema_digest
            from {{ source_relation }}
        {%- else -%}
            {%- set declared = declared_source_columns(source_name, table_name) -%}
            {%- set relation = landed_source_relation(source_name, table_name) -%}
            {%- set actual = raw_columns_by_name(relation) -%}
            {%- set unparseable_checks = [] -%}
            {%- set unparseable_values = [] -%}
            select
            {%- for column in declared %}
                {%- set declared_type = engine_type_name(column.data_type | upper) -%}
                {%- set quoted = adapter.quote(column.name) -%}
                {%- if column.name | lower not in actual %}
                cast(null as {{ declared_type }}) as {{ quoted }},
                {%- else -%}
                    {%- set actual_type = actual[column.name | lower].dtype | upper -%}
                    {%- if actual_type == declared_type %}
                {{ quoted }},
                    {%- else -%}
                        {%- set conformed = conform_value(quoted, actual_type, declared_type) -%}
                        {%- set failed = '(' ~ landed_value_present(quoted, actual_type) ~ ' and ' ~ conformed ~ ' is null)' %}
                {{ conformed }} as {{ quoted }},
                        {%- do unparseable_checks.append("case when " ~ failed ~ " then '" ~ column.name ~ "' end") -%}
                        {%- do unparseable_values.append(
                            "case when " ~ failed ~ " then '" ~ column.name ~ "=' || cast(" ~ quoted ~ " as string) end") -%}
                    {%- endif -%}
                {%- endif -%}
            {%- endfor %}
            {%- for column in landed_text_columns %}
                {%- if column | lower in actual %}
                cast({{ adapter.quote(column) }} as string) as {{ adapter.quote('_landed_' ~ column) }},
                {%- else %}
                cast(null as string) as {{ adapter.quote('_landed_' ~ column) }},
                {%- endif -%}
            {%- endfor %}
            {%- if unparseable_checks | length > 0 %}
                nullif(concat_ws(',', {{ unparseable_checks | join(', ') }}), '') as _unparseable_columns,
                nullif(concat_ws('; ', {{ unparseable_values | join(', ') }}), '') as _unparseable_values,
            {%- else %}
                cast(null as string) as _unparseable_columns,
                cast(null as string) as _unparseable_values,
            {%- endif %}
                '{{ raw_schema_digest(source_name, table_name) }}' as _raw_schema_digest
            {%- if relation is none %}
            from (select 1) as missing_table
            where false
            {%- else %}
            from {{ relation }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- A raw value of `actual_type` converted to `declared_type`; null when it does not convert. -#}
{% macro conform_value(expression, actual_type, declared_type) -%}
    {{ return(adapter.dispatch('conform_value', 'lead_funnel')(expression, actual_type, declared_type)) }}
{%- endmacro %}

{% macro default__conform_value(expression, actual_type, declared_type) -%}
    try_cast({{ expression }} as {{ declared_type }})
{%- endmacro %}

{#-
    DuckDB. Text timestamps: a trailing offset (`Z`, `+02`, `+02:00`, `-0500`) after a time
    of day is honoured (cast to TIMESTAMPTZ, then to naive UTC); without one the text is
    UTC (contract section 1), never the session's time zone. Text numbers: thousands
    separators are accepted only where they group digits in threes the same way throughout
    (`1,646`, `12,345,678.5`, `1 646`, also with a no-break or narrow no-break space);
    `1,5` or `12,34` (a decimal comma?) stay unparseable, as does any other text.
-#}
{% macro duckdb__conform_value(expression, actual_type, declared_type) -%}
    {%- set numeric = declared_type.startswith(('INTEGER', 'BIGINT', 'SMALLINT', 'TINYINT', 'HUGEINT',
        'DOUBLE', 'FLOAT', 'REAL', 'DECIMAL', 'NUMERIC')) -%}
    {%- set text = actual_type == 'VARCHAR' -%}
    {%- if actual_type.startswith('TIMESTAMP WITH TIME ZONE') and declared_type == 'TIMESTAMP' -%}
        timezone('UTC', {{ expression }})
    {%- elif text and declared_type == 'TIMESTAMP' -%}
        case
            when regexp_matches(trim({{ expression }}), '\d:\d{2}(:\d{2}(\.\d+)?)?\s*([zZ]|[+-]\d{2}(:?\d{2})?)$')
                then timezone('UTC', try_cast(trim({{ expression }}) as timestamptz))
            else try_cast(trim({{ expression }}) as timestamp)
        end
    {%- elif text and numeric -%}
        try_cast(
            case
                when regexp_full_match(trim({{ expression }}), '[+-]?\d{1,3}(,\d{3})+(\.\d+)?')
                    or regexp_full_match(trim({{ expression }}), '[+-]?\d{1,3}([ \x{00A0}\x{202F}]\d{3})+(\.\d+)?')
                    then regexp_replace(trim({{ expression }}), '[, \x{00A0}\x{202F}]', '', 'g')
                else trim({{ expression }})
            end
            as {{ declared_type }}
        )
    {%- elif text -%}
        try_cast(trim({{ expression }}) as {{ declared_type }})
    {%- else -%}
        try_cast({{ expression }} as {{ declared_type }})
    {%- endif -%}
{%- endmacro %}


{#- Whether a raw value counts as landed: not null, and for text not blank. -#}
{% macro landed_value_present(expression, actual_type) -%}
    {%- if actual_type == engine_type_name('VARCHAR') -%}
        nullif(trim({{ expression }}), '') is not null
    {%- else -%}
        {{ expression }} is not null
    {%- endif -%}
{%- endmacro %}
