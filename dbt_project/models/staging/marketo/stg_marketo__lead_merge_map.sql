{#-
    Losing Marketo lead id -> the lead that finally survives. A merge activity on
    the winner lists the losing ids in merge_ids (comma-separated); a winner can
    later lose a merge itself, so chains are followed to the end. When an id lost
    more than one merge, the latest merge counts.
-#}
with recursive

merge_activities as (

    select * from {{ ref('stg_marketo__activity_merge_leads') }}

),

losing_ids as (

    select
        try_cast(trim(losing_id) as integer) as losing_marketo_lead_id,
        winning_marketo_lead_id,
        activity_at as merged_at,
        activity_id
    from merge_activities,
        lateral {{ split_to_rows('merge_ids', "','") }} as split (losing_id)
    where nullif(trim(losing_id), '') is not null

),

latest_merge_per_loser as (

    select *
    from losing_ids
    where losing_marketo_lead_id is not null
        and losing_marketo_lead_id <> winning_marketo_lead_id
    qualify row_number() over (
            partition by losing_marketo_lead_id order by merged_at desc, activity_id desc
        ) = 1

),

resolved (losing_marketo_lead_id, winning_marketo_lead_id, merged_at, hops) as (

    select
        losing_marketo_lead_id,
        winning_marketo_lead_id,
        merged_at,
        1
    from latest_merge_per_loser

    union all

    select
        resolved.losing_marketo_lead_id,
        next_merge.winning_marketo_lead_id,
        resolved.merged_at,
        resolved.hops + 1
    from resolved
    inner join latest_merge_per_loser as next_merge
        on resolved.winning_marketo_lead_id = next_merge.losing_marketo_lead_id
    where resolved.hops < 20

),

final as (

    select
        losing_marketo_lead_id,
        winning_marketo_lead_id,
        merged_at,
        hops as merge_hops
    from resolved
    qualify row_number() over (partition by losing_marketo_lead_id order by hops desc) = 1

)

select * from final
