{#-
    Every status a live lead has had, as a sequence of changes mapped to stages.

    * A lead's status before its first Status history row is that row's old_value
      (an `initial` change at created_at); a lead with no Status history has had its
      current status since created_at.
    * Source rows are kept in time order, never reordered: a row dated before the
      lead was created, or whose old_value is not the previous row's new_value
      (the chain is broken: a row is missing or mis-timed), is flagged, and the
      cycles it touches carry has_out_of_order_source.
    * Statuses the lead_status_map seed does not know map to stage `unmapped`
      (counted in audit.unmapped_values); they never open or close a cycle.
    * is_integration_change: made by a user whose role is in integration_user_roles
      (the MAP sync user): an MQL it makes is the score lane.

    Incremental by lead bucket (macros/incremental/bucketed_incremental.sql): a run
    rebuilds the buckets whose lead rows or history changed, and every bucket when the
    status map, the users or this model's code changed.
-#}
{{ bucketed_incremental('lead_id') }}

with

{{ bucket_digests('lead_id') }}

leads as (

    select
        lead_id,
        created_at,
        status
    from {{ ref('int_crm__leads') }}
    {{- in_rebuilt_buckets('lead_id') }}

),

status_history as (

    select
        history.status_change_id as lead_history_id,
        history.lead_id,
        history.changed_at,
        history.changed_by_user_id,
        history.old_status as old_value,
        history.new_status as new_value,
        leads.created_at as lead_created_at
    from {{ ref('int_events__status_changes') }} as history
    inner join leads
        on history.lead_id = leads.lead_id

),

status_map as (

    select
        {{ picklist_key('status_value') }} as status_key,
        stage
    from {{ ref('lead_status_map') }}

),

integration_users as (

    select users.user_id
    from {{ ref('int_crm__users') }} as users
    where users.role_key in (
            select {{ picklist_key('role_name') }} from {{ ref('integration_user_roles') }}
        )

),

ordered_history as (

    select
        *,
        row_number() over (
            partition by lead_id order by changed_at, lead_history_id
        ) as history_sequence,
        lag(new_value) over (
            partition by lead_id order by changed_at, lead_history_id
        ) as previous_new_value
    from status_history

),

initial_statuses as (

    select
        leads.lead_id,
        'initial:' || leads.lead_id as status_change_id,
        leads.created_at as changed_at,
        cast(null as string) as changed_by_user_id,
        case
            when first_change.lead_history_id is null then leads.status
            else first_change.old_value
        end as status,
        'initial' as change_source,
        0 as history_sequence,
        false as is_before_lead_creation,
        false as breaks_status_chain
    from leads
    left join ordered_history as first_change
        on leads.lead_id = first_change.lead_id
            and first_change.history_sequence = 1
    -- a first row without old_value is itself the first status
    where first_change.lead_history_id is null
        or first_change.old_value is not null

),

recorded_changes as (

    select
        lead_id,
        lead_history_id as status_change_id,
        changed_at,
        changed_by_user_id,
        new_value as status,
        'history' as change_source,
        history_sequence,
        changed_at < lead_created_at as is_before_lead_creation,
        history_sequence > 1 and (old_value is distinct from previous_new_value) as breaks_status_chain
    from ordered_history

),

all_changes as (

    select * from initial_statuses
    union all
    select * from recorded_changes

),

mapped as (

    select
        all_changes.lead_id,
        all_changes.status_change_id,
        all_changes.changed_at,
        all_changes.changed_by_user_id,
        all_changes.status,
        coalesce(status_map.stage, 'unmapped') as stage,
        status_map.stage is not null as is_stage_mapped,
        integration_users.user_id is not null as is_integration_change,
        all_changes.change_source,
        all_changes.history_sequence,
        all_changes.is_before_lead_creation,
        all_changes.breaks_status_chain
    from all_changes
    left join status_map
        on lower(all_changes.status) = status_map.status_key
    left join integration_users
        on all_changes.changed_by_user_id = integration_users.user_id

)

{{ select_with_bucket_digest('mapped', 'lead_id') }}
