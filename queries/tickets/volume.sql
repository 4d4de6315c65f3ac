-- Tickets received per time bucket ($grain: 'day', 'week' or 'month') by channel, kind and topic, with the
-- response and resolution SLA outcomes (as of E) of each group: the volume and SLA-over-time charts.
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

targets as (
    select
        unnest($resolution_kinds::varchar[]) as kind,
        unnest($resolution_hours::double[]) as target_hours
),

received as (
    select
        date_trunc($grain, tickets.received_at)::date as bucket,
        tickets.channel,
        tickets.kind,
        tickets.topic,
        targets.target_hours,
        case when tickets.responded_at < period.end_ts
            then date_diff('second', tickets.received_at, tickets.responded_at) / 3600.0 end as response_hours,
        case when tickets.resolved_at < period.end_ts
            then date_diff('second', tickets.received_at, tickets.resolved_at) / 3600.0 end as resolution_hours,
        date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets
    join scoped using (customer_id)
    cross join period
    left join targets on targets.kind = tickets.kind
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

final as (
    select
        bucket,
        channel,
        kind,
        topic,
        count(*) as n_tickets,
        count(*) filter (where response_hours <= $response_target_hours) as response_met,
        count(*) filter (
            where response_hours > $response_target_hours
               or (response_hours is null and age_hours > $response_target_hours)
        ) as response_breach,
        count(*) filter (where resolution_hours <= target_hours) as resolution_met,
        count(*) filter (
            where resolution_hours > target_hours or (resolution_hours is null and age_hours > target_hours)
        ) as resolution_breach
    from received
    group by all
)

select * from final
order by bucket, channel, kind, topic
