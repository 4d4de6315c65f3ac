-- Tickets received in the period by channel, kind and topic: one row per (dimension, code) with tickets.
with

period as (
    select
        $date_from::date as date_from,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

received as (
    select tickets.channel, tickets.kind, tickets.topic
    from tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

final as (
    select 'channel' as dimension, channel as code, count(*) as n_tickets from received group by channel
    union all
    select 'kind', kind, count(*) from received group by kind
    union all
    select 'topic', topic, count(*) from received group by topic
)

select * from final
order by dimension, n_tickets desc, code
