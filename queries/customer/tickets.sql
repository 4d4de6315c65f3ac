-- One customer's tickets received before E (the day after $date_to), stage times as of E, newest first;
-- open = not resolved before E.
with

period as (
    select ($date_to::date + interval 1 day)::timestamp as end_ts
),

received as (
    select
        tickets.ticket_id,
        tickets.channel,
        tickets.kind,
        tickets.topic,
        owner.name as owner_name,
        tickets.received_at,
        case when tickets.responded_at < period.end_ts then tickets.responded_at end as responded_at,
        case when tickets.routed_at < period.end_ts then tickets.routed_at end as routed_at,
        case when tickets.resolved_at < period.end_ts then tickets.resolved_at end as resolved_at,
        case when tickets.callback_at < period.end_ts then tickets.callback_at end as callback_at,
        case when tickets.callback_at < period.end_ts then tickets.callback_result end as callback_result,
        date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets
    cross join period
    left join staff as owner on owner.staff_id = tickets.first_owner_id
    where tickets.customer_id = $customer_id::bigint
      and tickets.received_at < period.end_ts
),

final as (
    select
        received.*,
        resolved_at is null as is_open,
        case
            when callback_at is not null then 'callback'
            when resolved_at is not null then 'resolved'
            when routed_at is not null then 'routed'
            when responded_at is not null then 'responded'
            else 'received'
        end as stage
    from received
    order by received_at desc, ticket_id desc
)

select * from final
