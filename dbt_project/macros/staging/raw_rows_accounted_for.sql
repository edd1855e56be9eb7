{#-
    The post-hook of audit.reconciliation_raw_rows: a raw table whose rows do not add up
    fails the build with a sentence that says which table, by how much, and what to run
    (the accepted_values test on unaccounted_rows only names itself). Incremental bases
    re-read every raw row they have not classified, so what is left is a base holding rows
    the raw table no longer has (rows deleted or re-landed in raw): a full refresh
    classifies that table again from raw.
-#}
{% macro fail_unless_every_raw_row_is_accounted_for() %}
    {%- if not execute -%}{{ return('') }}{%- endif -%}
    {%- set result = run_query(
        "select source_name || '.' || table_name, raw_rows, classified_rows from " ~ this
        ~ " where coalesce(unaccounted_rows, 0) <> 0 order by 1") -%}
    {%- if result.rows | length > 0 -%}
        {%- set tables = [] -%}
        {%- for row in result.rows -%}
            {%- do tables.append(row[0] ~ ' (raw ' ~ row[1] ~ ', classified ' ~ row[2] ~ ')') -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'raw rows unaccounted for in ' ~ tables | join(', ')
            ~ '. Run `lead-funnel run --full-refresh` to classify these tables again from raw'
            ~ ' (staging holds rows raw no longer has, or misses rows raw has);'
            ~ ' details in audit.reconciliation_raw_rows.') }}
    {%- endif -%}
    {{ return('') }}
{% endmacro %}
