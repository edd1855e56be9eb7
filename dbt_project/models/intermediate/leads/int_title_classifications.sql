{#-
    Seniority and persona for every distinct job title (leads, contacts, Marketo
    people), from the title_seniority_rules and title_persona_rules seeds: the
    matching rule with the lowest priority wins (case-insensitive regex); no match
    is individual_contributor / other. Distinct titles first: the regexes run once
    per title, not once per lead.
-#}
with

titles as (

    select distinct title
    from (
        select title from {{ ref('int_crm__leads') }}
        union all
        select title from {{ ref('int_crm__contacts') }}
        union all
        select title from {{ ref('int_map__people') }}
    ) as all_titles
    where title is not null

),

seniority_rules as (

    select
        priority,
        title_pattern,
        seniority
    from {{ ref('title_seniority_rules') }}

),

persona_rules as (

    select
        priority,
        title_pattern,
        persona
    from {{ ref('title_persona_rules') }}

),

seniority_matches as (

    select
        titles.title,
        {{ arg_min_of('seniority_rules.seniority', 'seniority_rules.priority') }} as seniority
    from titles
    inner join seniority_rules
        on {{ regexp_contains('titles.title', 'seniority_rules.title_pattern', case_insensitive=true) }}
    group by titles.title

),

persona_matches as (

    select
        titles.title,
        {{ arg_min_of('persona_rules.persona', 'persona_rules.priority') }} as persona
    from titles
    inner join persona_rules
        on {{ regexp_contains('titles.title', 'persona_rules.title_pattern', case_insensitive=true) }}
    group by titles.title

),

final as (

    select
        titles.title,
        coalesce(seniority_matches.seniority, 'individual_contributor') as seniority,
        coalesce(persona_matches.persona, 'other') as persona
    from titles
    left join seniority_matches
        on titles.title = seniority_matches.title
    left join persona_matches
        on titles.title = persona_matches.title

)

select * from final
