-- One customer's identity and classification, its route, station, customer manager and inspector;
-- none when the customer is outside the role's limit ($stations, $routes: empty = no limit).
with

customer as (
    select * exclude (station_id)
    from scoped_customers($stations::varchar[], $routes::varchar[], []::varchar[], []::varchar[], $customer_id::bigint)
    where customer_id = $customer_id::bigint
),

final as (
    select
        customer.*,
        routes.name as route_name,
        routes.visit_weekday,
        stations.station_id,
        stations.name as station_name,
        stations.lon as station_lon,
        stations.lat as station_lat,
        manager.name as customer_manager_name,
        manager.phone as customer_manager_phone,
        inspector.name as inspector_name,
        inspector.phone as inspector_phone
    from customer
    join routes on routes.route_id = customer.route_id
    join stations on stations.station_id = routes.station_id
    left join staff as manager on manager.staff_id = routes.customer_manager_id
    left join staff as inspector on inspector.staff_id = routes.inspector_id
)

select * from final
