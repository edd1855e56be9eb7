{#-
    When each opportunity closed: `is_won` / `is_closed` decide won and lost; the
    time is the last StageName change in opportunity_field_history when there is
    one, else close_date (contract section 4) at midnight, or at the opportunity's
    creation when it closed on the day it was created.
-#}
with

opportunities as (

    select * from {{ ref('int_crm__opportunities') }}

),

last_stage_changes as (

    select
        opportunity_id,
        max(changed_at) as last_stage_change_at
    from {{ ref('int_events__opportunity_stage_changes') }}
    group by opportunity_id

),

closed as (

    select
        opportunities.*,
        opportunities.is_closed or opportunities.is_won as has_closed,
        case
            when opportunities.is_closed or opportunities.is_won
                then coalesce(
                        last_stage_changes.last_stage_change_at,
                        -- close_date is a date: on the day the opportunity was created it means
                        -- "closed that day", not before the opportunity existed
                        case
                            when opportunities.close_date = cast(opportunities.created_at as date)
                                then opportunities.created_at
                            else cast(opportunities.close_date as timestamp)
                        end
                    )
        end as closed_at,
        case
            when not (opportunities.is_closed or opportunities.is_won) then null
            when last_stage_changes.last_stage_change_at is not null then 'stage_history'
            when opportunities.close_date is not null then 'close_date'
        end as closed_at_source
    from opportunities
    left join last_stage_changes
        on opportunities.opportunity_id = last_stage_changes.opportunity_id

),

final as (

    select
        opportunity_id,
        account_id,
        owner_id,
        campaign_id,
        stage_name,
        amount,
        is_closed,
        is_won,
        close_date,
        created_at,
        lead_source,
        closed_at,
        closed_at_source,
        case when has_closed and is_won then closed_at end as won_at,
        case when has_closed and not is_won then closed_at end as lost_at,
        coalesce(closed_at < created_at, false) as is_closed_before_created
    from closed

)

select * from final
