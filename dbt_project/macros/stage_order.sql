{#- Funnel order of the canonical stages: breaks ties between same-instant events. -#}
{% macro stage_order(stage_column) -%}
    case {{ stage_column }}
        when 'lead' then 1
        when 'nurture' then 2
        when 'unmapped' then 3
        when 'mql' then 4
        when 'sal' then 5
        when 'sql' then 6
        when 'opportunity' then 7
        when 'rejected' then 8
        when 'recycled' then 8
        when 'disqualified' then 8
        when 'won' then 9
        when 'lost' then 9
    end
{%- endmacro %}
