{#-
    What the warehouse lacks compared with the contract: raw tables that have not
    landed and declared columns a landed table does not have (staging fills them
    with typed nulls). A real CRM export without Marketo or BANT fields still runs;
    this table says what it is missing, and the run summary prints it.
-#}
{%- set gaps = [] -%}
{%- if execute -%}
    {%- for source_name, tables in raw_tables().items() -%}
        {%- for table_name in tables -%}
            {%- set relation = landed_relation(source(source_name, table_name)) -%}
            {%- set actual = raw_columns_by_name(relation) -%}
            {%- for column in declared_source_columns(source_name, table_name) -%}
                {%- if relation is none -%}
                    {%- if loop.first -%}{%- do gaps.append([source_name, table_name, none, 'table_missing']) -%}{%- endif -%}
                {%- elif column.name | lower not in actual -%}
                    {%- do gaps.append([source_name, table_name, column.name, 'column_missing']) -%}
                {%- elif actual[column.name | lower].dtype | upper != column.data_type | upper -%}
                    {%- do gaps.append([source_name, table_name, column.name,
                        'type_' ~ (actual[column.name | lower].dtype | lower) ~ '_cast_to_' ~ column.data_type]) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
{%- else -%}
    {#- register the sources as parents at parse time -#}
    {%- for source_name, tables in raw_tables().items() -%}
        {%- for table_name in tables -%}{%- do source(source_name, table_name) -%}{%- endfor -%}
    {%- endfor -%}
{%- endif %}

select
    cast(gaps.source_name as string) as source_name,
    cast(gaps.table_name as string) as table_name,
    cast(gaps.column_name as string) as column_name,
    cast(gaps.gap as string) as gap
from (
    values
    {%- for gap in gaps %}
        (
            '{{ gap[0] }}', '{{ gap[1] }}', {% if gap[2] %}'{{ gap[2] }}'{% else %}null{% endif %}, '{{ gap[3] }}'
        ){% if not loop.last %}
            ,
        {% endif %}
    {%- endfor %}
    {%- if gaps | length == 0 %}
        (null, null, null, null)
    {%- endif %}
) as gaps (source_name, table_name, column_name, gap)
{%- if gaps | length == 0 %}
where false
{%- endif %}
