{#-
    One row per cycle x milestone x touch x model (contract section 3b): the credit
    each touch in the milestone's window (int_attribution_windows) earns under each
    of the six models. Per cycle, milestone and model the credits sum to 1.
    p = touch_position, n = touches_in_window, m = mql_touch_position:

    * first_touch: 1 to p = 1;  last_touch: 1 to p = n;  linear: 1/n each.
    * u_shaped: 0.4 first, 0.4 last, 0.2 shared equally by the others; n = 1: 1;
      n = 2: 0.5 each.
    * w_shaped, opportunity: 0.3 each to the first, the MQL touch (m) and the last
      touch, roles on one touch adding up, plus 0.1 shared equally by the touches
      without a role, or, with none, by the role touches. mql milestone: as u_shaped.
    * time_decay: decay_weight normalised to sum 1 over the window.

    Credits are rounded to 10 decimals (the time_decay sum's last bits depend on the
    order threads add it).
-#}
with

windows as (

    select * from {{ ref('int_attribution_windows') }}

),

attribution_models as (

    select attribution_model.model
    from (
        values ('first_touch'), ('last_touch'), ('linear'), ('u_shaped'), ('w_shaped'), ('time_decay')
    ) as attribution_model (model)

),

roles as (

    select
        *,
        case when touch_position = 1 then 1 else 0 end as is_first,
        case when touch_position = touches_in_window then 1 else 0 end as is_last,
        case when touch_position = mql_touch_position then 1 else 0 end as is_mql_touch,
        case
            when touches_in_window = 1 then 1
            when mql_touch_position in (1, touches_in_window) then 2
            else 3
        end as role_touches,
        decay_weight / sum(decay_weight) over (partition by cycle_id, milestone) as decay_share
    from windows

),

u_shaped as (

    select
        *,
        case
            when touches_in_window = 1 then 1.0e0
            when touches_in_window = 2 then 0.5e0
            when is_first = 1 or is_last = 1 then 0.4e0
            else 0.2e0 / (touches_in_window - 2)
        end as u_shaped_credit,
        case
            when is_first = 1 or is_last = 1 or is_mql_touch = 1 then 1
            else 0
        end as has_w_role
    from roles

),

w_tenths as (

    select
        *,
        case
            when touches_in_window > role_touches and has_w_role = 0 then 0.1e0 / (touches_in_window - role_touches)
            when touches_in_window = role_touches and has_w_role = 1 then 0.1e0 / role_touches
            else 0
        end as w_tenth_share
    from u_shaped

),

w_shaped as (

    select
        *,
        case
            when milestone = 'mql' then u_shaped_credit
            else 0.3e0 * (is_first + is_mql_touch + is_last) + w_tenth_share
        end as w_shaped_credit
    from w_tenths

),

credited as (

    select
        w_shaped.*,
        attribution_models.model,
        case attribution_models.model
            when 'first_touch' then cast(w_shaped.is_first as double)
            when 'last_touch' then cast(w_shaped.is_last as double)
            when 'linear' then 1.0e0 / w_shaped.touches_in_window
            when 'u_shaped' then w_shaped.u_shaped_credit
            when 'w_shaped' then w_shaped.w_shaped_credit
            when 'time_decay' then w_shaped.decay_share
        end as credit
    from w_shaped
    cross join attribution_models

),

final as (

    select
        cycle_id,
        lead_id,
        milestone,
        touch_id,
        touch_type,
        touch_at,
        channel,
        campaign_id,
        model,
        {{ rounded('credit', 10) }} as credit,
        cycle_number,
        milestone_at,
        {{ funnel_month('mql_at') }} as cohort_month,
        program_id,
        touch_position,
        touches_in_window,
        mql_touch_position
    from credited

)

select * from final
