{#-
    Picklist value -> channel, per kind of value (lead_source, campaign_type or
    program_channel: a Marketo program's channel),
    from the channel_map seed; a row for the specific kind wins over `any`.
    Values without a row become `other` where this is joined (and are counted in
    audit.unmapped_values).
-#}
with

channel_map as (

    select
        {{ picklist_key('source_value') }} as value_key,
        applies_to,
        channel
    from {{ ref('channel_map') }}

),

kinds as (

    select kind_values.kind
    from (values ('lead_source'), ('campaign_type'), ('program_channel')) as kind_values (kind)

),

expanded as (

    select
        kinds.kind,
        channel_map.value_key,
        channel_map.channel,
        channel_map.applies_to = 'any' as is_generic
    from channel_map
    inner join kinds
        on channel_map.applies_to in (kinds.kind, 'any')

),

final as (

    select
        kind,
        value_key,
        channel
    from expanded
    qualify row_number() over (partition by kind, value_key order by is_generic, channel) = 1

)

select * from final
