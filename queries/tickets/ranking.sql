-- Stations, routes and first owners on the same measures as the KPIs (tickets received in the period,
-- outcomes as of E). unit is 'station', 'route' or 'owner'; a route carries its customer manager's name.
-- Ties break by id, ascending (the page sorts by a measure, then by unit_id).
with

period as (
    select
        $date_from::date as date_from,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, route_id, station_id
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

targets as (
    select
        unnest($resolution_kinds::varchar[]) as kind,
        unnest($resolution_hours::double[]) as target_hours
),

received as (
    select
        scoped.station_id,
        scoped.route_id,
        coalesce(tickets.first_owner_id, '') as owner_id,
        targets.target_hours,
        date_diff('second', tickets.received_at, tickets.responded_at) / 3600.0 as response_hours,
        date_diff('second', tickets.received_at, tickets.resolved_at) / 3600.0 as resolution_hours,
        tickets.responded_at is not null and tickets.routed_at is not null
            and tickets.resolved_at is not null and tickets.callback_at is not null as is_closed_loop,
        tickets.resolved_at is not null and tickets.callback_at is not null as is_called_back,
        tickets.resolved_at is not null and tickets.callback_at is not null
            and tickets.callback_result in ('satisfied', 'basic') as is_callback_satisfied,
        date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    left join targets on targets.kind = tickets.kind
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

grouped as (
    select
        case
            when grouping(station_id) = 0 then 'station'
            when grouping(route_id) = 0 then 'route'
            else 'owner'
        end as unit,
        coalesce(station_id, route_id, owner_id) as unit_id,
        count(*) as received,
        count(*) filter (where response_hours <= $response_target_hours) as response_met,
        count(*) filter (
            where response_hours > $response_target_hours
               or (response_hours is null and age_hours > $response_target_hours)
        ) as response_breach,
        median(response_hours) as response_hours_median,
        count(*) filter (where resolution_hours <= target_hours) as resolution_met,
        count(*) filter (
            where resolution_hours > target_hours or (resolution_hours is null and age_hours > target_hours)
        ) as resolution_breach,
        count(resolution_hours) as resolved,
        count(*) filter (where is_called_back) as called_back,
        count(*) filter (where is_callback_satisfied) as callback_satisfied,
        count(*) filter (where is_closed_loop) as closed_loop
    from received
    group by grouping sets ((station_id), (route_id), (owner_id))
),

-- every unit's name in one table, joined on (unit, unit_id): a join per kind of unit with the kind in its
-- condition cost more than the counting (a demo route's ranking 27 -> 15 ms)
names as (
    select 'station' as unit, station_id as unit_id, name as unit_name, null::varchar as manager_name
    from stations
    union all
    select 'route', routes.route_id, routes.name, manager.name
    from routes
    left join staff as manager on manager.staff_id = routes.customer_manager_id
    union all
    select 'owner', staff_id, name, null
    from staff
),

final as (
    select
        grouped.unit,
        grouped.unit_id,
        names.unit_name,
        names.manager_name,
        grouped.received,
        response_met / nullif(response_met + response_breach, 0) as response_sla_rate,
        response_hours_median,
        resolution_met / nullif(resolution_met + resolution_breach, 0) as resolution_sla_rate,
        called_back / nullif(resolved, 0) as callback_rate,
        callback_satisfied / nullif(called_back, 0) as callback_satisfied_rate,
        closed_loop / nullif(grouped.received, 0) as closed_loop_rate
    from grouped
    left join names on names.unit = grouped.unit and names.unit_id = grouped.unit_id
)

select * from final
order by unit, unit_id
