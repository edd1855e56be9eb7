{#-
    The canonical channels with their human-readable names (seed `channels`), so
    BI tools and the funnel report label channels the way the seed does instead of
    keeping their own copy of the names.
-#}
with

channels as (

    select * from {{ ref('channels') }}

),

final as (

    select
        channel,
        channel_name,
        channel_group,
        sort_order
    from channels

)

select * from final
