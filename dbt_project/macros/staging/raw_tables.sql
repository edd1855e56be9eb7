{#-
    Every raw table of the contract, by source. Reconciliation, quarantine and the
    source-gap report iterate over this list; `check_raw_tables_cover_sources`
    fails the build if it ever drifts from the sources yml.
-#}
{% macro raw_tables() %}
    {{ return({
        'salesforce': [
            'lead', 'lead_history', 'contact', 'account', 'opportunity',
            'opportunity_field_history', 'task', 'user', 'user_role', 'campaign',
            'campaign_member'
        ],
        'marketo': [
            'lead', 'activity_visit_webpage', 'activity_fill_out_form',
            'activity_click_email', 'activity_open_email',
            'activity_change_status_in_progression', 'activity_merge_leads',
            'activity_delete_lead', 'activity_type', 'program', 'program_membership'
        ]
    }) }}
{% endmacro %}


{% macro check_raw_tables_cover_sources() %}
    {%- if execute -%}
        {%- set listed = [] -%}
        {%- for source_name, tables in raw_tables().items() -%}
            {%- for table_name in tables -%}{%- do listed.append(source_name ~ '.' ~ table_name) -%}{%- endfor -%}
        {%- endfor -%}
        {%- set declared = [] -%}
        {%- for node in graph.sources.values() if node.source_name in ['salesforce', 'marketo'] -%}
            {%- do declared.append(node.source_name ~ '.' ~ node.name) -%}
        {%- endfor -%}
        {%- if listed | sort != declared | sort -%}
            {{ exceptions.raise_compiler_error(
                'raw_tables() and the sources yml disagree: listed ' ~ (listed | sort) ~ ' declared ' ~ (declared | sort)) }}
        {%- endif -%}
    {%- endif -%}
{% endmacro %}


{#- count(*) of a raw table, 0 when it has not landed. -#}
{% macro raw_row_count(source_name, table_name) %}
    {%- set relation = landed_relation(source(source_name, table_name)) -%}
    {%- if relation is none -%}0{%- else -%}(select count(*) from {{ relation }}){%- endif -%}
{% endmacro %}
