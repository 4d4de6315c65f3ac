-- The stores with POS data among the customers in scope, for the store picker.
with

scoped as (
    select customer_id, shop_name, license_no, route_id, station_id
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
    where has_pos
),

final as (
    select scoped.customer_id, scoped.shop_name, scoped.license_no, routes.name as route_name,
        stations.name as station_name
    from scoped
    join routes using (route_id)
    join stations on stations.station_id = scoped.station_id
)

select * from final
order by shop_name, customer_id
