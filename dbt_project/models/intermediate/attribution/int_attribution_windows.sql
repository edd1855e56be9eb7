{#-
    One row per cycle x milestone x touch in the milestone's window (contract 3b),
    with what every model's credit rule needs.

    Milestones: `mql` at mql_at (every cycle), `opportunity` at
    opportunity_created_at (cycles with an opportunity; when the lead names an
    opportunity whose row has not landed yet, at the cycle's sql_at, else mql_at, so
    the funnel's opportunity is still shared out). A window holds the lead's
    lead_created touch plus every other touch at or before the milestone and after
    the close of the lead's previous cycle (cycle 1: every earlier touch), and,
    when the lookback_days setting is set, not more than that many days before the
    milestone. The lead_created touch is always in the window, so every milestone
    has a touch and credit is never lost (a milestone before the lead's creation is
    out-of-order source data, flagged on the cycle).

    Touches are ordered by time, then lead_created first, then touch_id:
    touch_position runs 1..touches_in_window. mql_touch_position is the last touch
    at or before the cycle's mql_at (the w_shaped MQL role; the first touch when
    none is). decay_weight is 2^(-d / half-life), d the days from the touch to the
    milestone, taken relative to the window's latest touch (same credit after
    normalising, and never a sum that underflows to 0).
-#}
with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

touches as (

    select * from {{ ref('int_touches') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

previous_closes as (

    select
        cycles.cycle_id,
        previous_cycles.closed_at as previous_closed_at
    from cycles
    left join cycles as previous_cycles
        on cycles.lead_id = previous_cycles.lead_id
            and previous_cycles.cycle_number = cycles.cycle_number - 1

),

milestones as (

    select
        cycles.cycle_id,
        cycles.lead_id,
        cycles.cycle_number,
        'mql' as milestone,
        cycles.mql_at as milestone_at,
        cycles.mql_at
    from cycles
    where cycles.mql_at is not null

    union all

    select
        cycles.cycle_id,
        cycles.lead_id,
        cycles.cycle_number,
        'opportunity' as milestone,
        coalesce(cycles.opportunity_created_at, cycles.sql_at, cycles.mql_at) as milestone_at,
        cycles.mql_at
    from cycles
    where cycles.opportunity_id is not null

),

windowed as (

    select
        milestones.cycle_id,
        milestones.lead_id,
        milestones.cycle_number,
        milestones.milestone,
        milestones.milestone_at,
        milestones.mql_at,
        touches.touch_id,
        touches.touch_type,
        touches.touch_type_order,
        touches.touch_at,
        touches.channel,
        touches.campaign_id,
        touches.program_id,
        {{ funnel_days_between('touches.touch_at', 'milestones.milestone_at') }} as days_before_milestone,
        settings.time_decay_half_life_days
    from milestones
    inner join previous_closes
        on milestones.cycle_id = previous_closes.cycle_id
    cross join settings
    inner join touches
        on milestones.lead_id = touches.lead_id
    where touches.touch_type = 'lead_created'
        or (
            touches.touch_at <= milestones.milestone_at
            and (previous_closes.previous_closed_at is null or touches.touch_at > previous_closes.previous_closed_at)
            and (
                settings.lookback_days is null
                or touches.touch_at >= {{ dbt.dateadd('day', '-1 * cast(settings.lookback_days as integer)', 'milestones.milestone_at') }}
            )
        )

),

positioned as (

    select
        *,
        row_number() over (
            partition by cycle_id, milestone order by touch_at, touch_type_order, touch_id
        ) as touch_position,
        count(*) over (partition by cycle_id, milestone) as touches_in_window,
        min(days_before_milestone) over (partition by cycle_id, milestone) as nearest_days_before_milestone
    from windowed

),

with_roles as (

    select
        *,
        coalesce(
            max(case when touch_at <= mql_at then touch_position end) over (partition by cycle_id, milestone),
            1
        ) as mql_touch_position
    from positioned

),

final as (

    select
        cycle_id,
        lead_id,
        cycle_number,
        milestone,
        milestone_at,
        mql_at,
        touch_id,
        touch_type,
        touch_at,
        channel,
        campaign_id,
        program_id,
        touch_position,
        touches_in_window,
        mql_touch_position,
        days_before_milestone,
        power(2.0, -(days_before_milestone - nearest_days_before_milestone) / time_decay_half_life_days)
            as decay_weight
    from with_roles

)

select * from final
