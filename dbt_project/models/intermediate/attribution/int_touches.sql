{#-
    Touches (contract section 3b): the marketing interactions that can earn credit,
    one row per touch, source-neutral (nothing downstream names a CRM or MAP table).

    * lead_created: every live lead, at its created time, channel = the lead's channel.
    * campaign_response: a campaign member that responded, at first_responded_date,
      channel = the campaign's type through the channel seed (`other` when unmapped
      or the campaign is not staged). Members of a merged-away lead count for the
      surviving lead; members of a lead that is gone, or with no response date, are
      not touches.
    * program_success: a Marketo program membership that reached success, at the
      first progression activity that was a success (the membership date when the
      MAP exported no such activity), channel = the program's channel through the
      channel seed; the person is linked to the CRM lead by int_marketo_lead_crm_links.
      A program synced to a Salesforce campaign (sfdc_id) whose member response is
      already a touch of the same lead is not counted twice.

    touch_type_order puts lead_created first among touches at the same time (the
    contract's ordering: time, then lead_created, then touch_id).
-#}
with

leads as (

    select
        lead_id,
        created_at,
        channel
    from {{ ref('int_lead_attributes') }}

),

lead_merges as (

    select * from {{ ref('int_crm__lead_merges') }}

),

campaign_members as (

    select * from {{ ref('int_crm__campaign_members') }}
    where has_responded and first_responded_date is not null

),

campaigns as (

    select
        campaign_id,
        campaign_type_key
    from {{ ref('int_crm__campaigns') }}

),

campaign_channels as (

    select
        value_key,
        channel
    from {{ ref('int_channel_mappings') }}
    where kind = 'campaign_type'

),

program_channels as (

    select
        value_key,
        channel
    from {{ ref('int_channel_mappings') }}
    where kind = 'program_channel'

),

programs as (

    select
        program_id,
        sfdc_campaign_id,
        {{ picklist_key('program_channel') }} as program_channel_key
    from {{ ref('int_map__programs') }}

),

memberships as (

    select
        marketo_lead_id,
        program_id,
        membership_at
    from {{ ref('int_map__program_memberships') }}
    where reached_success

),

success_changes as (

    select
        marketo_lead_id,
        primary_attribute_value_id as program_id,
        min(activity_at) as succeeded_at
    from {{ ref('int_events__program_status_changes') }}
    where is_success
    group by marketo_lead_id, primary_attribute_value_id

),

crm_links as (

    select
        marketo_lead_id,
        lead_id
    from {{ ref('int_marketo_lead_crm_links') }}

),

lead_created as (

    select
        {{ dbt.concat(["'lead_created:'", 'lead_id']) }} as touch_id,
        lead_id,
        'lead_created' as touch_type,
        0 as touch_type_order,
        created_at as touch_at,
        channel,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as program_id
    from leads

),

campaign_responses as (

    select
        {{ dbt.concat(["'campaign_response:'", 'campaign_members.campaign_member_id']) }} as touch_id,
        leads.lead_id,
        'campaign_response' as touch_type,
        1 as touch_type_order,
        campaign_members.first_responded_date as touch_at,
        coalesce(campaign_channels.channel, 'other') as channel,
        campaign_members.campaign_id,
        cast(null as {{ dbt.type_string() }}) as program_id
    from campaign_members
    left join lead_merges
        on campaign_members.lead_id = lead_merges.losing_lead_id
    inner join leads
        on coalesce(lead_merges.winning_lead_id, campaign_members.lead_id) = leads.lead_id
    left join campaigns
        on campaign_members.campaign_id = campaigns.campaign_id
    left join campaign_channels
        on campaigns.campaign_type_key = campaign_channels.value_key

),

program_successes as (

    select
        {{ dbt.concat([
            "'program_success:'", 'cast(memberships.marketo_lead_id as ' ~ dbt.type_string() ~ ')',
            "':'", 'cast(memberships.program_id as ' ~ dbt.type_string() ~ ')'
        ]) }} as touch_id,
        crm_links.lead_id,
        'program_success' as touch_type,
        1 as touch_type_order,
        coalesce(success_changes.succeeded_at, memberships.membership_at) as touch_at,
        coalesce(program_channels.channel, 'other') as channel,
        programs.sfdc_campaign_id as campaign_id,
        cast(memberships.program_id as {{ dbt.type_string() }}) as program_id
    from memberships
    inner join crm_links
        on memberships.marketo_lead_id = crm_links.marketo_lead_id
    left join success_changes
        on memberships.marketo_lead_id = success_changes.marketo_lead_id
            and memberships.program_id = success_changes.program_id
    left join programs
        on memberships.program_id = programs.program_id
    left join program_channels
        on programs.program_channel_key = program_channels.value_key

),

program_successes_not_synced as (

    select program_successes.*
    from program_successes
    left join campaign_responses
        on program_successes.lead_id = campaign_responses.lead_id
            and program_successes.campaign_id = campaign_responses.campaign_id
    where campaign_responses.touch_id is null
        and program_successes.touch_at is not null

),

final as (

    select * from lead_created
    union all
    select * from campaign_responses
    union all
    select * from program_successes_not_synced

)

select * from final
