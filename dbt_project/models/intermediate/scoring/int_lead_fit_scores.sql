{#-
    Fit and negative points of every live lead (one row per row of
    int_lead_attributes), from the seeds:

    * fit (seeds/icp_fit_points.csv): industry, employee band, revenue band, country
      (the countries listed are the service area), seniority and persona (title
      rules). A value without a row scores 0.
    * negative (seeds/negative_score_rules.csv, each rule applied once):
      personal_email_domain and competitor_domain (email_domain_rules),
      student_or_intern_title (student or intern seniority, or the student persona),
      outside_service_area (a known country that is not in the service area),
      below_minimum_company_size (a known employee count under minimum_employees).
      A rule always subtracts (its points are taken as -abs), so negative_score <= 0.

    These rest on the lead's current CRM attributes: the CRM keeps no history of
    them, so the score at MQL uses the same fit and negative points.
-#}
with

leads as (

    select * from {{ ref('int_lead_attributes') }}

),

settings as (

    select * from {{ ref('int_settings') }}

),

fit_points as (

    select
        lower(trim(dimension)) as dimension,
        lower(trim(dimension_value)) as value_key,
        fit_points
    from {{ ref('icp_fit_points') }}

),

negative_rules as (

    select
        -abs(coalesce(max(points) filter (where rule = 'personal_email_domain'), 0)) as personal_email_domain,
        -abs(coalesce(max(points) filter (where rule = 'student_or_intern_title'), 0)) as student_or_intern_title,
        -abs(coalesce(max(points) filter (where rule = 'competitor_domain'), 0)) as competitor_domain,
        -abs(coalesce(max(points) filter (where rule = 'outside_service_area'), 0)) as outside_service_area,
        -abs(coalesce(max(points) filter (where rule = 'below_minimum_company_size'), 0))
            as below_minimum_company_size
    from {{ ref('negative_score_rules') }}

),

service_area as (

    select value_key as country_key
    from fit_points
    where dimension = 'country'

),

fit_components as (

    select
        leads.lead_id,
        coalesce(industry.fit_points, 0) as industry_points,
        coalesce(employee_band.fit_points, 0) as employee_band_points,
        coalesce(revenue_band.fit_points, 0) as revenue_band_points,
        coalesce(country.fit_points, 0) as country_points,
        coalesce(seniority.fit_points, 0) as seniority_points,
        coalesce(persona.fit_points, 0) as persona_points,
        coalesce(leads.is_personal_email_domain, false) as is_personal_email_domain,
        coalesce(leads.is_competitor_domain, false) as is_competitor_domain,
        leads.seniority in ('student', 'intern') or leads.persona = 'student' as is_student_or_intern,
        leads.country is not null
        and lower(leads.country) not in (select service_area.country_key from service_area) as is_outside_service_area,
        coalesce(leads.number_of_employees < settings.minimum_employees, false) as is_below_minimum_company_size
    from leads
    cross join settings
    left join fit_points as industry
        on industry.dimension = 'industry'
            and lower(leads.industry) = industry.value_key
    left join fit_points as employee_band
        on employee_band.dimension = 'employee_band'
            and lower(leads.employee_band) = employee_band.value_key
    left join fit_points as revenue_band
        on revenue_band.dimension = 'revenue_band'
            and lower(leads.revenue_band) = revenue_band.value_key
    left join fit_points as country
        on country.dimension = 'country'
            and lower(leads.country) = country.value_key
    left join fit_points as seniority
        on seniority.dimension = 'seniority'
            and lower(leads.seniority) = seniority.value_key
    left join fit_points as persona
        on persona.dimension = 'persona'
            and lower(leads.persona) = persona.value_key

),

final as (

    select
        fit_components.lead_id,
        fit_components.industry_points
        + fit_components.employee_band_points
        + fit_components.revenue_band_points
        + fit_components.country_points
        + fit_components.seniority_points
        + fit_components.persona_points as fit_score,
        case when fit_components.is_personal_email_domain then negative_rules.personal_email_domain else 0 end
        + case when fit_components.is_student_or_intern then negative_rules.student_or_intern_title else 0 end
        + case when fit_components.is_competitor_domain then negative_rules.competitor_domain else 0 end
        + case when fit_components.is_outside_service_area then negative_rules.outside_service_area else 0 end
        + case
            when fit_components.is_below_minimum_company_size then negative_rules.below_minimum_company_size
            else 0
        end as negative_score,
        fit_components.industry_points,
        fit_components.employee_band_points,
        fit_components.revenue_band_points,
        fit_components.country_points,
        fit_components.seniority_points,
        fit_components.persona_points,
        fit_components.is_personal_email_domain,
        fit_components.is_student_or_intern,
        fit_components.is_competitor_domain,
        fit_components.is_outside_service_area,
        fit_components.is_below_minimum_company_size
    from fit_components
    cross join negative_rules

)

select * from final
