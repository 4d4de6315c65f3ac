-- Time to resolution of each ticket received in the period, for the Kaplan-Meier curve: hours from
-- receipt to resolution when resolved before E, else hours to E (right-censored, is_resolved false).
-- In ticket order, so the answer kept per month by the rollups reads back the same.
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

final as (
    select
        tickets.ticket_id,
        tickets.kind,
        tickets.resolved_at is not null as is_resolved,
        date_diff(
            'second',
            tickets.received_at,
            coalesce(tickets.resolved_at, period.end_ts)
        ) / 3600.0 as hours
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
)

select * from final
order by ticket_id
