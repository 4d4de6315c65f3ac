-- Every ticket received in the period with its customer, place, first owner, stage times as of E, its stage
-- now and its SLA outcome: the ticket table, its timeline and the source of the CSV download.
-- Stage now = the furthest stage of received -> responded -> routed -> resolved -> callback with a time
-- before E, so a ticket resolved without a routed time is still resolved (missing times are not invented).
-- Narrowed to the tickets of some stations, routes or first owners ($unit, $unit_ids; '' = no owner) and
-- to those whose id, customer, shop, first owner, route or station contains $search ('' = all; the shop
-- and the owner only where the role may read them), then one page of them: $first_rows from $skip_rows
-- (null = all), each row carrying how many were found.
with

period as (
    select
        $date_from::date as date_from,
        ($date_to::date + interval 1 day)::timestamp as end_ts
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

received as (
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
        tickets.responded_at,
        tickets.routed_at,
        tickets.resolved_at,
        tickets.callback_at,
        tickets.callback_result,
        tickets.reopened_count,
        date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

timed as (
    select
        received.*,
        targets.target_hours,
        date_diff('second', received_at, responded_at) / 3600.0 as response_hours,
        date_diff('second', received_at, resolved_at) / 3600.0 as resolution_hours,
        case
            when callback_at is not null then 'callback'
            when resolved_at is not null then 'resolved'
            when routed_at is not null then 'routed'
            when responded_at is not null then 'responded'
            else 'received'
        end as stage
    from received
    left join targets using (kind)
),

final as (
    select
        timed.*,
        stations.name as station_name,
        routes.name as route_name,
        staff.name as owner_name,
        case
            when response_hours <= $response_target_hours then 'met'
            when response_hours > $response_target_hours then 'breach'
            when age_hours > $response_target_hours then 'breach'
        end as response_sla,
        case
            when resolution_hours <= target_hours then 'met'
            when resolution_hours > target_hours then 'breach'
            when age_hours > target_hours then 'breach'
        end as resolution_sla
    from timed
    join stations using (station_id)
    join routes using (route_id)
    left join staff on staff.staff_id = timed.first_owner_id
),

found as (
    select final.*, count(*) over () as n_found
    from final
    where
        (
            $unit::varchar is null
            or list_contains(
                $unit_ids::varchar[],
                coalesce(
                    case $unit::varchar
                        when 'station' then station_id
                        when 'route' then route_id
                        when 'owner' then first_owner_id
                    end,
                    ''
                )
            )
        )
        and (
            $search::varchar = ''
            or contains(
                lower(
                    concat_ws(
                        ' ',
                        ticket_id::varchar,
                        customer_id::varchar,
                        if($search_shops, coalesce(shop_name, ''), ''),
                        if($search_owners, coalesce(owner_name, ''), ''),
                        coalesce(route_name, ''),
                        coalesce(station_name, '')
                    )
                ),
                lower($search::varchar)
            )
        )
)

select * from found
order by received_at desc, ticket_id
limit $first_rows offset $skip_rows
