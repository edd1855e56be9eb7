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

    Incremental by lead (macros/funnel/lead_incremental.sql): a run rebuilds the leads
    whose lead row or Status history changed, and every lead when the status map, the
    integration users or this model's code changed.
-#}
{{ lead_chain_config(live_leads_model='stg_salesforce__lead') }}
{%- set incremental = lead_chain_is_incremental() %}

with

all_leads as (

    select
        lead_id,
        created_at,
        status
    from {{ ref('stg_salesforce__lead') }}

),

all_status_history as (

    select
        history.lead_history_id,
        history.lead_id,
        history.changed_at,
        history.changed_by_user_id,
        history.old_value,
        history.new_value,
        leads.created_at as lead_created_at
    from {{ ref('stg_salesforce__lead_history') }} as history
    inner join all_leads as leads
        on history.lead_id = leads.lead_id
    where history.field_key = 'status'

),

status_map as (

    select
        {{ picklist_key('status_value') }} as status_key,
        stage
    from {{ ref('lead_status_map') }}

),

integration_users as (

    select users.user_id
    from {{ ref('stg_salesforce__user') }} as users
    inner join {{ ref('stg_salesforce__user_role') }} as roles
        on users.user_role_id = roles.user_role_id
    where roles.role_key in (
            select {{ picklist_key('role_name') }} from {{ ref('integration_user_roles') }}
        )

),

rules_digest as (

    select
        {{ row_digest([
            "(select " ~ set_digest(['status_key', 'stage']) ~ " from status_map)",
            "(select " ~ set_digest(['user_id']) ~ " from integration_users)",
            code_digest(),
        ]) }} as rules_digest

),

history_digests as (

    select
        lead_id,
        {{ set_digest(['lead_history_id', 'changed_at', 'changed_by_user_id', 'old_value', 'new_value']) }}
            as history_digest
    from all_status_history
    group by lead_id

),

lead_digests as (

    select
        all_leads.lead_id,
        {{ row_digest([
            'all_leads.created_at',
            'all_leads.status',
            'coalesce(history_digests.history_digest, 0)',
            'rules_digest.rules_digest',
        ]) }} as lead_digest
    from all_leads
    cross join rules_digest
    left join history_digests
        on all_leads.lead_id = history_digests.lead_id

),

{{ leads_to_rebuild('lead_digests', incremental) }}

leads as (

    select *
    from all_leads
    {{- only_leads_to_rebuild(incremental) }}

),

status_history as (

    select *
    from all_status_history
    {{- only_leads_to_rebuild(incremental) }}

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
        all_changes.breaks_status_chain,
        lead_digests.lead_digest
    from all_changes
    inner join lead_digests
        on all_changes.lead_id = lead_digests.lead_id
    left join status_map
        on lower(all_changes.status) = status_map.status_key
    left join integration_users
        on all_changes.changed_by_user_id = integration_users.user_id

)

select * from mapped
