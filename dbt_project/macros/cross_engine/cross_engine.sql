{#-
    Engine differences, in one place: each macro renders DuckDB's SQL unchanged
    (`duckdb__` or `default__`) and Spark's equivalent (`spark__`). Models call these
    instead of an engine's own function; dbt's cross-database macros (dbt.datediff,
    dbt.date_trunc, ...) cover the rest. Spark runs with ANSI mode off (dbt-spark
    pins spark.sql.ansi.enabled=false), so a failed cast or a division by zero is null
    on both engines.
-#}

{#- The value of `value` on the row with the smallest `ordering` (DuckDB arg_min). -#}
{% macro arg_min_of(value, ordering) -%}
    {{ return(adapter.dispatch('arg_min_of', 'lead_funnel')(value, ordering)) }}
{%- endmacro %}
{% macro default__arg_min_of(value, ordering) -%}arg_min({{ value }}, {{ ordering }}){%- endmacro %}
{% macro spark__arg_min_of(value, ordering) -%}min_by({{ value }}, {{ ordering }}){%- endmacro %}


{#- Whether `text` contains a match of the regular expression `pattern` (case-insensitive on request). -#}
{% macro regexp_contains(text, pattern, case_insensitive=false) -%}
    {{ return(adapter.dispatch('regexp_contains', 'lead_funnel')(text, pattern, case_insensitive)) }}
{%- endmacro %}
{% macro default__regexp_contains(text, pattern, case_insensitive) -%}
    regexp_matches({{ text }}, {{ pattern }}{% if case_insensitive %}, 'i'{% endif %})
{%- endmacro %}
{% macro spark__regexp_contains(text, pattern, case_insensitive) -%}
    ({{ text }} rlike {% if case_insensitive %}concat('(?i)', {{ pattern }}){% else %}{{ pattern }}{% endif %})
{%- endmacro %}


{#- Whether the whole of `text` matches `pattern` (a SQL string literal). -#}
{% macro regexp_whole_match(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_whole_match', 'lead_funnel')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_whole_match(text, pattern) -%}regexp_full_match({{ text }}, {{ pattern }}){%- endmacro %}
{% macro spark__regexp_whole_match(text, pattern) -%}
    ({{ text }} rlike concat('^(?:', {{ pattern }}, ')$'))
{%- endmacro %}


{#- Every match of `pattern` in `text` replaced (DuckDB needs the 'g' flag; Spark replaces all). -#}
{% macro regexp_replace_all(text, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'lead_funnel')(text, pattern, replacement)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, 'g')
{%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }})
{%- endmacro %}


{#- `values` joined by `separator` in the order of `order_by` (an aggregate; `distinct` drops
    repeats; `where` keeps only the rows it holds for). -#}
{% macro ordered_string_agg(values, separator, order_by, distinct=false, where=none) -%}
    {{ return(adapter.dispatch('ordered_string_agg', 'lead_funnel')(values, separator, order_by, distinct, where)) }}
{%- endmacro %}
{% macro default__ordered_string_agg(values, separator, order_by, distinct, where) -%}
    string_agg({% if distinct %}distinct {% endif %}{{ values }}, {{ separator }} order by {{ order_by }})
    {%- if where is not none %} filter (where {{ where }}){% endif %}
{%- endmacro %}
{#- Spark: collect (value, sort key) pairs, sort them, keep the values; null when there is none. -#}
{% macro spark__ordered_string_agg(values, separator, order_by, distinct, where) -%}
    nullif(array_join(transform(
        array_sort({% if distinct %}collect_set{% else %}collect_list{% endif %}(
            named_struct('sort_key', {{ order_by }}, 'value', {{ values }}))
            {%- if where is not none %} filter (where {{ where }}){% endif %}),
        pair -> pair.value), {{ separator }}), '')
{%- endmacro %}


{#- A table function: one row per value from `start` to `stop` (both included) by `step`;
    use as `[lateral] {{ series(...) }} as alias (column)`. -#}
{% macro series(start, stop, step='1') -%}
    {{ return(adapter.dispatch('series', 'lead_funnel')(start, stop, step)) }}
{%- endmacro %}
{% macro default__series(start, stop, step) -%}
    unnest(generate_series({{ start }}, {{ stop }}, {{ step }}))
{%- endmacro %}
{% macro spark__series(start, stop, step) -%}
    explode(sequence({{ start }}, {{ stop }}, {{ step }}))
{%- endmacro %}


{#- A table function: one row per `separator`-delimited part of `text` (a literal separator). -#}
{% macro split_to_rows(text, separator) -%}
    {{ return(adapter.dispatch('split_to_rows', 'lead_funnel')(text, separator)) }}
{%- endmacro %}
{% macro default__split_to_rows(text, separator) -%}unnest(string_split({{ text }}, {{ separator }})){%- endmacro %}
{#- Spark's split takes a regular expression: quote the separator (the profile reads string
    literals as written, spark.sql.parser.escapedStringLiterals, like DuckDB). -#}
{% macro spark__split_to_rows(text, separator) -%}
    explode(split({{ text }}, concat('\Q', {{ separator }}, '\E')))
{%- endmacro %}


{#- Now, as a naive UTC timestamp to the second. -#}
{% macro utc_now() -%}
    {{ return(adapter.dispatch('utc_now', 'lead_funnel')()) }}
{%- endmacro %}
{% macro default__utc_now() -%}cast(date_trunc('second', timezone('UTC', now())) as timestamp){%- endmacro %}
{#- the spark profile sets spark.sql.session.timeZone=UTC -#}
{% macro spark__utc_now() -%}cast(date_trunc('second', current_timestamp()) as timestamp){%- endmacro %}


{#- The materialization of a view that one model scans many times (its bucket digests and
    its rows): DuckDB plans a view's joins into each statement at little cost, Spark
    recomputes an inlined view at every scan (31 scans of int_scoring_event_owners in
    int_scoring_person_events: 421 s of a 100k-lead build), so on Spark it is a table. -#}
{% macro reused_view_materialization() -%}
    {{ return(adapter.dispatch('reused_view_materialization', 'lead_funnel')()) }}
{%- endmacro %}
{% macro default__reused_view_materialization() -%}{{ return('view') }}{%- endmacro %}
{% macro spark__reused_view_materialization() -%}{{ return('table') }}{%- endmacro %}


{#- A type name of the sources yml (DuckDB's spelling, upper case) as the engine spells it
    in its column metadata, so a landed column's type can be compared with the declared one. -#}
{% macro engine_type_name(declared_type) -%}
    {{ return(adapter.dispatch('engine_type_name', 'lead_funnel')(declared_type)) }}
{%- endmacro %}
{% macro default__engine_type_name(declared_type) -%}{{ return(declared_type) }}{%- endmacro %}
{% macro spark__engine_type_name(declared_type) -%}
    {{ return({'VARCHAR': 'STRING', 'INTEGER': 'INT', 'TEXT': 'STRING'}.get(declared_type, declared_type)) }}
{%- endmacro %}


{#- ---- digests (staging's row identities), Spark side; DuckDB's are in
    macros/staging/classify_raw_rows.sql, the incremental models' in
    macros/incremental/bucketed_incremental.sql. -#}
{#- Spark 4 spells DuckDB's `* exclude` `* except` (no column list needed, so a unit test's
    fixture rows are digested the same way). -#}
{% macro spark__row_digest_except(excluded) -%}
    xxhash64(* except ({{ excluded | join(', ') }}))
{%- endmacro %}

{#- A digest of a whole row of the relation `alias` (DuckDB hashes the row struct). -#}
{% macro whole_row_hash(alias) -%}
    {{ return(adapter.dispatch('whole_row_hash', 'lead_funnel')(alias)) }}
{%- endmacro %}
{% macro default__whole_row_hash(alias) -%}hash({{ alias }}){%- endmacro %}
{% macro spark__whole_row_hash(alias) -%}xxhash64({{ alias }}.*){%- endmacro %}


{#- Every column of `relation` but `excluded` (DuckDB's `* exclude`; Spark lists the
    columns the relation has, so it needs a relation, not a CTE). -#}
{% macro star_except(relation, excluded) -%}
    {{ return(adapter.dispatch('star_except', 'lead_funnel')(relation, excluded)) }}
{%- endmacro %}
{% macro default__star_except(relation, excluded) -%}* exclude ({{ excluded | join(', ') }}){%- endmacro %}
{% macro spark__star_except(relation, excluded) -%}
    {%- if not execute -%}{{ return('*') }}{%- endif -%}
    {%- set names = [] -%}
    {%- for column in adapter.get_columns_in_relation(relation) if column.name | lower not in excluded -%}
        {%- do names.append(adapter.quote(column.name)) -%}
    {%- endfor -%}
    {{ names | join(', ') }}
{%- endmacro %}


{#- Spark's side of conform_value (DuckDB's rule is in macros/staging/conformed_source.sql):
    text timestamps with an offset are converted to UTC by Spark's cast (the session time
    zone is UTC, so naive text is UTC); text numbers get the same thousands-separator rule. -#}
{% macro spark__conform_value(expression, actual_type, declared_type) -%}
    {%- set numeric = declared_type.startswith(('INT', 'BIGINT', 'SMALLINT', 'TINYINT',
        'DOUBLE', 'FLOAT', 'REAL', 'DECIMAL', 'NUMERIC')) -%}
    {%- set text = actual_type == 'STRING' -%}
    {%- set trimmed = 'trim(' ~ expression ~ ')' -%}
    {%- if text and numeric -%}
        cast(
            case
                when {{ regexp_whole_match(trimmed, "'[+-]?\d{1,3}(,\d{3})+(\.\d+)?'") }}
                    or {{ regexp_whole_match(trimmed, "'[+-]?\d{1,3}([ \\x{00A0}\\x{202F}]\d{3})+(\.\d+)?'") }}
                    then {{ regexp_replace_all(trimmed, "'[, \\x{00A0}\\x{202F}]'", "''") }}
                else {{ trimmed }}
            end
            as {{ declared_type }}
        )
    {%- elif text -%}
        cast({{ trimmed }} as {{ declared_type }})
    {%- else -%}
        cast({{ expression }} as {{ declared_type }})
    {%- endif -%}
{%- endmacro %}


{#- A whole row of the relation `alias` as a JSON object (null fields kept, timestamps as DuckDB prints them). -#}
{% macro row_to_json(alias) -%}
    {{ return(adapter.dispatch('row_to_json', 'lead_funnel')(alias)) }}
{%- endmacro %}
{% macro default__row_to_json(alias) -%}to_json({{ alias }}){%- endmacro %}
{% macro spark__row_to_json(alias) -%}
    to_json(struct({{ alias }}.*), map('ignoreNullFields', 'false', 'timestampFormat', 'yyyy-MM-dd HH:mm:ss'))
{%- endmacro %}


{#- Spark seeds: dbt-spark's session method pastes bindings in unescaped and turns an empty
    cell into the text 'None'; this writes each value as a literal instead (null for an
    empty cell, a double-quoted string when the text holds an apostrophe). -#}
{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set type = column_override.get(col_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    {%- set value = row[loop.index0] -%}
                    {%- if value is none -%}{%- set literal = 'null' -%}
                    {%- elif value is boolean -%}{%- set literal = 'true' if value else 'false' -%}
                    {%- elif value is number -%}{%- set literal = value | string -%}
                    {%- elif "'" in (value | string) -%}{%- set literal = '"' ~ value ~ '"' -%}
                    {%- else -%}{%- set literal = "'" ~ value ~ "'" -%}
                    {%- endif -%}
                    cast({{ literal }} as {{ type }}){%- if not loop.last %},{% endif -%}
                {%- endfor -%}){%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}{%- do statements.append(sql) -%}{%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{#- A window's last non-null value of `expression` (put `over (...)` after it). -#}
{% macro last_value_ignoring_nulls(expression) -%}
    {{ return(adapter.dispatch('last_value_ignoring_nulls', 'lead_funnel')(expression)) }}
{%- endmacro %}
{% macro default__last_value_ignoring_nulls(expression) -%}last_value({{ expression }} ignore nulls){%- endmacro %}
{% macro spark__last_value_ignoring_nulls(expression) -%}last_value({{ expression }}, true){%- endmacro %}


{#- Every row of `left` with `columns` (alias: column) of the `right` row with the same `keys`
    and the latest `right_time` at or before `left_time` (DuckDB's ASOF LEFT JOIN); a whole
    select statement. -#}
{% macro asof_left_join(left, right, keys, left_time, right_time, columns) -%}
    {{ return(adapter.dispatch('asof_left_join', 'lead_funnel')(left, right, keys, left_time, right_time, columns)) }}
{%- endmacro %}
{% macro default__asof_left_join(left, right, keys, left_time, right_time, columns) -%}
    select
        {{ left }}.*,
        {%- for alias, column in columns.items() %}
        {{ right }}.{{ column }} as {{ alias }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ left }}
    asof left join {{ right }}
        on {% for key in keys %}{{ left }}.{{ key }} = {{ right }}.{{ key }} and {% endfor %}{{ left }}.{{ left_time }} >= {{ right }}.{{ right_time }}
{%- endmacro %}
{#- Spark: the latest right row per distinct (keys, left_time) of `left`, joined on the keys and
    the time, then joined back. Not a correlated subquery: Spark decorrelates one with a
    non-equality predicate into a cartesian product of the distinct left times and every
    right row, joining on the keys only afterwards (705 s of int_lead_cycles at 100k leads). -#}
{% macro spark__asof_left_join(left, right, keys, left_time, right_time, columns) -%}
    select
        {{ left }}.*,
        {%- for alias in columns %}
        asof_match.{{ alias }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ left }}
    left join (
        select
            {%- for key in keys %}
            asof_left.{{ key }},
            {%- endfor %}
            asof_left.{{ left_time }},
            {%- for alias, column in columns.items() %}
            max_by(asof_right.{{ column }}, asof_right.{{ right_time }}) as {{ alias }}{{ ',' if not loop.last }}
            {%- endfor %}
        from (
            select distinct {% for key in keys %}{{ key }}, {% endfor %}{{ left_time }}
            from {{ left }}
            where {{ left_time }} is not null
        ) as asof_left
        inner join {{ right }} as asof_right
            on {% for key in keys %}asof_left.{{ key }} = asof_right.{{ key }} and {% endfor %}asof_left.{{ left_time }} >= asof_right.{{ right_time }}
        group by {% for key in keys %}asof_left.{{ key }}, {% endfor %}asof_left.{{ left_time }}
    ) as asof_match
        on {% for key in keys %}{{ left }}.{{ key }} = asof_match.{{ key }} and {% endfor %}{{ left }}.{{ left_time }} = asof_match.{{ left_time }}
{%- endmacro %}
