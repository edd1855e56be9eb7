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

    Incremental by Marketo person bucket (macros/incremental/bucketed_incremental.sql):
    a person's opens and clicks are rebuilt together, so a late click confirms an
    earlier open; a change to the rules (page_rules, form_rules, fast_lane_forms,
    settings) or to this model's code rebuilds every bucket.
-#}
{{ bucketed_incremental('original_marketo_lead_id') }}

with

{{ bucket_digests('original_marketo_lead_id') }}

settings as (

    select * from {{ ref('int_settings') }}

),

visits as (

    select
        visits.activity_id,
        visits.original_marketo_lead_id,
        visits.activity_at,
        visits.webpage_url,
        visits.synced_at
    from {{ ref('int_events__web_visits') }} as visits
    {{- in_rebuilt_buckets('visits.original_marketo_lead_id') }}

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
    from {{ ref('int_events__form_fills') }} as forms
    {{- in_rebuilt_buckets('forms.original_marketo_lead_id') }}

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

clicks as (

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
    from {{ ref('int_events__email_clicks') }} as clicks
    {{- in_rebuilt_buckets('clicks.original_marketo_lead_id') }}

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

opens as (

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
    from {{ ref('int_events__email_opens') }} as opens
    {{- in_rebuilt_buckets('opens.original_marketo_lead_id') }}

),

open_confirmations as (

    select
        opens.activity_id,
        min(clicks.activity_at) as confirmed_at
    from opens
    inner join clicks
        on opens.original_marketo_lead_id = clicks.original_marketo_lead_id
            and opens.email_key = clicks.email_key
            and opens.activity_at <= clicks.activity_at
    cross join settings
    where clicks.activity_at <= opens.activity_at + settings.open_click_window_hours * interval 1 hour
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

)

{{ select_with_bucket_digest('all_activities', 'original_marketo_lead_id') }}
