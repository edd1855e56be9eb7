{#-
    Top of the funnel (contract section 3): one row per created month (UTC) x
    channel x lead_source, counting live leads created and how many of them ever
    reached MQL (opened at least one handoff cycle) by the run, and how far the
    furthest of their cycles went.
-#}
with

leads as (

    select * from {{ ref('dim_leads') }}

),

cycles as (

    select * from {{ ref('fct_lead_cycles') }}

),

lead_progress as (

    select
        lead_id,
        min(mql_at) as first_mql_at,
        bool_or(sales_decision = 'accepted') as reached_sal,
        bool_or(sql_at is not null) as reached_sql,
        bool_or(opportunity_id is not null) as reached_opportunity,
        bool_or(outcome = 'won') as reached_won
    from cycles
    group by lead_id

),

created as (

    select
        {{ funnel_month('leads.created_at') }} as created_month,
        leads.channel,
        leads.lead_source,
        lead_progress.lead_id is not null as reached_mql,
        coalesce(lead_progress.reached_sal, false) as reached_sal,
        coalesce(lead_progress.reached_sql, false) as reached_sql,
        coalesce(lead_progress.reached_opportunity, false) as reached_opportunity,
        coalesce(lead_progress.reached_won, false) as reached_won,
        case
            when lead_progress.first_mql_at is not null
                then {{ funnel_days_between('leads.created_at', 'lead_progress.first_mql_at') }}
        end as days_created_to_first_mql
    from leads
    left join lead_progress
        on leads.lead_id = lead_progress.lead_id

),

aggregated as (

    select
        created_month,
        channel,
        lead_source,
        count(*) as leads_created,
        count(*) filter (where reached_mql) as leads_reached_mql,
        count(*) filter (where reached_sal) as leads_reached_sal,
        count(*) filter (where reached_sql) as leads_reached_sql,
        count(*) filter (where reached_opportunity) as leads_reached_opportunity,
        count(*) filter (where reached_won) as leads_won,
        median(days_created_to_first_mql) as median_days_created_to_mql
    from created
    group by created_month, channel, lead_source

),

final as (

    select
        created_month,
        channel,
        lead_source,
        leads_created,
        leads_reached_mql,
        {{ funnel_ratio('leads_reached_mql', 'leads_created') }} as lead_to_mql_rate,
        leads_reached_sal,
        leads_reached_sql,
        leads_reached_opportunity,
        leads_won,
        {{ funnel_ratio('leads_reached_sql', 'leads_created') }} as lead_to_sql_rate,
        median_days_created_to_mql
    from aggregated

)

select * from final
