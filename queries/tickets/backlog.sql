-- The station head's work list: in-scope tickets received before E and not resolved before E (whatever
-- month they came in), with age at E, age bucket and whether they are overdue: past the resolution target
-- of their kind, or not yet answered after the response target.
with

period as (
    select ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, shop_name, route_id, station_id
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

targets as (
    select
        unnest($resolution_kinds::varchar[]) as kind,
        unnest($resolution_hours::double[]) as target_hours
),

open_tickets as (
    select
        tickets.ticket_id,
        tickets.customer_id,
        scoped.shop_name,
        scoped.station_id,
        scoped.route_id,
        tickets.first_owner_id,
        tickets.channel,
        tickets.kind,
        tickets.topic,
        tickets.received_at,
        case
            when tickets.callback_at is not null then 'callback'
            when tickets.routed_at is not null then 'routed'
            when tickets.responded_at is not null then 'responded'
            else 'received'
        end as stage,
        tickets.responded_at is not null as is_responded,
        date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at < period.end_ts
      and tickets.resolved_at is null
),

final as (
    select
        open_tickets.* exclude (is_responded),
        case
            when age_hours < 24 then 'lt_24h'
            when age_hours < 72 then '1_3d'
            when age_hours < 168 then '3_7d'
            else 'gt_7d'
        end as age_bucket,
        targets.target_hours,
        coalesce(age_hours > targets.target_hours, false)
            or (not coalesce(is_responded, false) and age_hours > $response_target_hours) as is_overdue,
        stations.name as station_name,
        routes.name as route_name,
        staff.name as owner_name
    from open_tickets
    left join targets using (kind)
    join stations using (station_id)
    join routes using (route_id)
    left join staff on staff.staff_id = open_tickets.first_owner_id
)

select * from final
order by age_hours desc, ticket_id
