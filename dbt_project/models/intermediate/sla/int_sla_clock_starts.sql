{#-
    One row per cycle and SLA policy that applies to it (sla_policies seed,
    contract section 2): when the clock started, what meets it and when that
    happened. The working-hours clock itself (time zones, weekends, holidays,
    daylight saving) runs in Python (lead_funnel.sla), which turns these rows into
    fct_sla_evaluations and fct_sla_breaches.

    * clock_starts mql_at / sal_at: the cycle's handoff or acceptance (recorded or
      inferred); a policy whose start never happened does not apply.
    * met_by sales_decision: the cycle's sales decision (accept, reject, recycle,
      disqualify).
    * met_by first_completed_task: the first completed sales task on the lead at or
      after the clock start.
    * met_by completed_tasks_before_no_response_rejection (attempts): applies to
      cycles rejected for no_response, and is a finished fact, not a clock (contract
      section 2): attempts_made counts the completed tasks on the lead from the clock
      start (SAL acceptance) to the rejection, attempts_required is the policy's N;
      deadline_at = met_at = the rejection. Fewer attempts than required is a closed
      breach at the rejection (decided in lead_funnel.sla).
    * time_zone: the lead owner's (user.time_zone_sid_key); null means UTC.
-#}
with

cycles as (

    select * from {{ ref('int_lead_cycles') }}

),

policies as (

    select * from {{ ref('sla_policies') }}

),

owners as (

    select
        user_id,
        time_zone
    from {{ ref('int_crm__users') }}

),

completed_tasks as (

    select
        lead_id,
        completed_at
    from {{ ref('int_sales_touches') }}

),

applicable as (

    select
        cycles.cycle_id,
        cycles.lead_id,
        cycles.owner_id,
        cycles.entry_lane,
        cycles.rejection_reason,
        cycles.rejected_at,
        cycles.sales_decision_at,
        policies.sla,
        policies.met_by,
        policies.within_value,
        policies.within_unit,
        case policies.clock_starts
            when 'mql_at' then cycles.mql_at
            when 'sal_at' then cycles.sal_at
        end as started_at
    from cycles
    inner join policies
        on policies.entry_lane in (cycles.entry_lane, 'any')

),

started as (

    select *
    from applicable
    where started_at is not null
        and (
            met_by <> 'completed_tasks_before_no_response_rejection'
            or (rejection_reason = 'no_response' and rejected_at is not null)
        )

),

first_tasks as (

    select
        started.cycle_id,
        started.sla,
        min(completed_tasks.completed_at) as completed_at
    from started
    inner join completed_tasks
        on started.lead_id = completed_tasks.lead_id
            and started.started_at <= completed_tasks.completed_at
    where started.met_by = 'first_completed_task'
    group by started.cycle_id, started.sla

),

attempts as (

    select
        started.cycle_id,
        started.sla,
        count(completed_tasks.completed_at) as attempts_made
    from started
    left join completed_tasks
        on started.lead_id = completed_tasks.lead_id
            and started.started_at <= completed_tasks.completed_at
            and started.rejected_at >= completed_tasks.completed_at
    where started.met_by = 'completed_tasks_before_no_response_rejection'
    group by started.cycle_id, started.sla

),

met as (

    select
        started.*,
        attempts.attempts_made,
        case started.met_by
            when 'sales_decision' then started.sales_decision_at
            when 'first_completed_task' then first_tasks.completed_at
            when 'completed_tasks_before_no_response_rejection' then started.rejected_at
        end as met_at
    from started
    left join first_tasks
        on started.cycle_id = first_tasks.cycle_id
            and started.sla = first_tasks.sla
    left join attempts
        on started.cycle_id = attempts.cycle_id
            and started.sla = attempts.sla

),

final as (

    select
        met.cycle_id,
        met.lead_id,
        met.owner_id,
        met.sla,
        met.entry_lane,
        owners.time_zone,
        met.started_at,
        case when met.within_unit = 'working_hours' then met.within_value end as within_working_hours,
        case when met.within_unit = 'attempts' then met.rejected_at end as deadline_at,
        met.met_at,
        cast(met.attempts_made as integer) as attempts_made,
        case when met.within_unit = 'attempts' then cast(met.within_value as integer) end as attempts_required
    from met
    left join owners
        on met.owner_id = owners.user_id

)

select * from final
