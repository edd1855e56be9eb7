{#-
    Every staged Marketo web visit, form fill, email click and email open, classified
    once into a scoring activity_kind (seeds/activity_points.csv gives the points):

    * web visits: the page_rules seed on the URL path (lowest priority that matches
      wins; no match = web_visit). Rules run once per distinct URL, not per visit;
    * form fills: a fast_lane_forms form is a hand_raise_form, else the form_rules
      seed on the form name (no match = form_fill);
    * email clicks: email_click;
    * email opens: email_open_with_click when a click on the same email by the same
      Marketo person follows within open_click_window_hours (bots and image
      preloading open without clicking), scored at that click's time (it is only
      known to be a real open then, which keeps scores at MQL point in time);
      otherwise email_open, which no seed row gives points to.

    The Marketo person is kept as landed (original_marketo_lead_id): merge_map and the
    link to the CRM are resolved downstream (int_scoring_person_events), so a later
    merge or sync never leaves a stale row here.

    Incremental, like the staging bases it reads: a run re-classifies the rows synced
    since the stored maximum minus incremental_lookback_days, rows whose activity
    time is past the stored maximum minus the lookback (they may have been
    quarantined as future timestamps until this as-of), and the opens a new click
    may confirm. When the rules change (page_rules, form_rules, fast_lane_forms or
    the open-click window: rules_fingerprint), every row is re-classified, so the
    table always equals a full refresh.
-#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='activity_key',
        on_schema_change='sync_all_columns'
    )
}}

{%- set rules_fingerprint_sql -%}
    select md5(concat_ws(
        '#',
        (
            select {{ ordered_string_agg(
                "concat_ws('|', priority, url_pattern, activity_kind)", "';'",
                "concat_ws('|', priority, url_pattern, activity_kind)") }}
            from {{ ref('page_rules') }}
        ),
        (
            select {{ ordered_string_agg(
                "concat_ws('|', priority, form_pattern, activity_kind)", "';'",
                "concat_ws('|', priority, form_pattern, activity_kind)") }}
            from {{ ref('form_rules') }}
        ),
        (
            select {{ ordered_string_agg('form_name', "';'", 'form_name') }}
            from {{ ref('fast_lane_forms') }}
        ),
        (
            select cast(open_click_window_hours as string)
            from {{ ref('int_settings') }}
        )
    )) as rules_fingerprint
{%- endset -%}

{%- set incremental_batch = false -%}
{%- if is_incremental() and execute -%}
    {%- if relation_has_column(this, 'rules_fingerprint') -%}
        {%- set stored = run_query('select rules_fingerprint from ' ~ this ~ ' limit 1') -%}
        {%- set current = run_query(rules_fingerprint_sql) -%}
        {%- if stored.rows | length > 0 and stored.rows[0][0] == current.rows[0][0] -%}
            {%- set incremental_batch = true -%}
        {%- endif -%}
    {%- endif -%}
{%- endif -%}

{%- set in_batch -%}
    (
        {alias}.synced_at is null
        or {alias}.synced_at > (select synced_from from watermark)
        or {alias}.activity_at > (select activity_from from watermark)
    )
{%- endset %}

with

settings as (

    select * from {{ ref('int_settings') }}

),

rules_fingerprint as (

    {{ rules_fingerprint_sql }}

),

{% if incremental_batch -%}
watermark as (

    select
        max(synced_at) - interval {{ var('incremental_lookback_days') }} day as synced_from,
        max(activity_at) - interval {{ var('incremental_lookback_days') }} day as activity_from
    from {{ this }}

),
{%- endif %}

visits as (

    select
        visits.activity_id,
        visits.original_marketo_lead_id,
        visits.activity_at,
        visits.webpage_url,
        visits.synced_at
    from {{ ref('stg_marketo__activity_visit_webpage') }} as visits
    {%- if incremental_batch %}
    where {{ in_batch | replace('{alias}', 'visits') }}
    {%- endif %}

),

page_rules as (

    select
        priority,
        lower(trim(url_pattern)) as url_pattern,
        activity_kind
    from {{ ref('page_rules') }}

),

urls as (

    select distinct
        webpage_url,
        {{ url_path('webpage_url') }} as webpage_path
    from visits

),

url_kinds as (

    select
        urls.webpage_url,
        {{ arg_min_of('page_rules.activity_kind', 'page_rules.priority') }} as activity_kind
    from urls
    inner join page_rules
        on contains(urls.webpage_path, page_rules.url_pattern)
    group by urls.webpage_url

),

visit_activities as (

    select
        'visit:' || cast(visits.activity_id as string) as activity_key,
        visits.original_marketo_lead_id,
        visits.activity_at,
        visits.activity_at as scored_at,
        coalesce(url_kinds.activity_kind, 'web_visit') as activity_kind,
        visits.synced_at
    from visits
    left join url_kinds
        on visits.webpage_url = url_kinds.webpage_url

),

forms as (

    select
        forms.activity_id,
        forms.original_marketo_lead_id,
        forms.activity_at,
        forms.primary_attribute_value as form_name,
        forms.synced_at
    from {{ ref('stg_marketo__activity_fill_out_form') }} as forms
    {%- if incremental_batch %}
    where {{ in_batch | replace('{alias}', 'forms') }}
    {%- endif %}

),

fast_lane_forms as (

    select {{ picklist_key('form_name') }} as form_key
    from {{ ref('fast_lane_forms') }}

),

form_rules as (

    select
        priority,
        lower(trim(form_pattern)) as form_pattern,
        activity_kind
    from {{ ref('form_rules') }}

),

form_names as (

    select distinct form_name from forms

),

form_rule_matches as (

    select
        form_names.form_name,
        {{ arg_min_of('form_rules.activity_kind', 'form_rules.priority') }} as activity_kind
    from form_names
    inner join form_rules
        on contains(lower(form_names.form_name), form_rules.form_pattern)
    group by form_names.form_name

),

form_kinds as (

    select
        form_names.form_name,
        case
            when fast_lane_forms.form_key is not null then 'hand_raise_form'
            else coalesce(form_rule_matches.activity_kind, 'form_fill')
        end as activity_kind
    from form_names
    left join fast_lane_forms
        on lower(form_names.form_name) = fast_lane_forms.form_key
    left join form_rule_matches
        on form_names.form_name = form_rule_matches.form_name

),

form_activities as (

    select
        'form:' || cast(forms.activity_id as string) as activity_key,
        forms.original_marketo_lead_id,
        forms.activity_at,
        forms.activity_at as scored_at,
        coalesce(form_kinds.activity_kind, 'form_fill') as activity_kind,
        forms.synced_at
    from forms
    left join form_kinds
        on forms.form_name = form_kinds.form_name

),

all_clicks as (

    select
        clicks.activity_id,
        clicks.original_marketo_lead_id,
        clicks.activity_at,
        coalesce(
            cast(clicks.email_template_id as string),
            clicks.primary_attribute_value,
            cast(clicks.primary_attribute_value_id as string)
        ) as email_key,
        clicks.synced_at
    from {{ ref('stg_marketo__activity_click_email') }} as clicks

),

clicks as (

    select * from all_clicks
    {%- if incremental_batch %}
    where {{ in_batch | replace('{alias}', 'all_clicks') }}
    {%- endif %}

),

click_activities as (

    select
        'click:' || cast(activity_id as string) as activity_key,
        original_marketo_lead_id,
        activity_at,
        activity_at as scored_at,
        'email_click' as activity_kind,
        synced_at
    from clicks

),

all_opens as (

    select
        opens.activity_id,
        opens.original_marketo_lead_id,
        opens.activity_at,
        coalesce(
            cast(opens.email_template_id as string),
            opens.primary_attribute_value,
            cast(opens.primary_attribute_value_id as string)
        ) as email_key,
        opens.synced_at
    from {{ ref('stg_marketo__activity_open_email') }} as opens

),

opens as (

    {% if incremental_batch -%}
    select * from all_opens as opens
    where {{ in_batch | replace('{alias}', 'opens') }}

    union

    -- older opens that a click of this batch confirms
    select all_opens.*
    from all_opens
    inner join clicks
        on all_opens.original_marketo_lead_id = clicks.original_marketo_lead_id
        and all_opens.email_key = clicks.email_key
        and clicks.activity_at >= all_opens.activity_at
    cross join settings
    where clicks.activity_at <= all_opens.activity_at + settings.open_click_window_hours * interval 1 hour
    {%- else -%}
        select * from all_opens
    {%- endif %}

),

open_confirmations as (

    select
        opens.activity_id,
        min(all_clicks.activity_at) as confirmed_at
    from opens
    inner join all_clicks
        on opens.original_marketo_lead_id = all_clicks.original_marketo_lead_id
            and opens.email_key = all_clicks.email_key
            and opens.activity_at <= all_clicks.activity_at
    cross join settings
    where all_clicks.activity_at <= opens.activity_at + settings.open_click_window_hours * interval 1 hour
    group by opens.activity_id

),

open_activities as (

    select
        'open:' || cast(opens.activity_id as string) as activity_key,
        opens.original_marketo_lead_id,
        opens.activity_at,
        coalesce(open_confirmations.confirmed_at, opens.activity_at) as scored_at,
        case
            when open_confirmations.confirmed_at is not null then 'email_open_with_click'
            else 'email_open'
        end as activity_kind,
        opens.synced_at
    from opens
    left join open_confirmations
        on opens.activity_id = open_confirmations.activity_id

),

all_activities as (

    select * from visit_activities
    union all
    select * from form_activities
    union all
    select * from click_activities
    union all
    select * from open_activities

),

final as (

    select
        all_activities.activity_key,
        all_activities.original_marketo_lead_id,
        all_activities.activity_at,
        all_activities.scored_at,
        all_activities.activity_kind,
        all_activities.synced_at,
        rules_fingerprint.rules_fingerprint
    from all_activities
    cross join rules_fingerprint

)

select * from final
