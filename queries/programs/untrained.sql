-- Active in-scope customers with no training attended in the 12 months up to $date_to, by route (their
-- shop and owner names come apart, from queries/customer/names.sql, for the rows a table shows).
with

period as (
    select $date_from::date as date_from, $date_to::date as date_to
),

scoped as (
    select customer_id, route_id, station_id, business_type, market_type, status, opened_on
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

trained as (
    select distinct training_attendance.customer_id
    from training_attendance
    join training_sessions using (session_id)
    cross join period
    where training_sessions.held_on <= period.date_to
      and training_sessions.held_on > period.date_to - interval 12 month
),

final as (
    select
        scoped.customer_id,
        scoped.business_type,
        scoped.market_type,
        stations.name as station_name,
        routes.route_id,
        routes.name as route_name,
        manager.name as customer_manager_name
    from scoped
    cross join period
    join routes on routes.route_id = scoped.route_id
    join stations on stations.station_id = scoped.station_id
    left join staff as manager on manager.staff_id = routes.customer_manager_id
    where scoped.status = 'active'
      and scoped.opened_on <= period.date_to
      and scoped.customer_id not in (select customer_id from trained)
    order by routes.route_id, scoped.customer_id
)

select * from final
