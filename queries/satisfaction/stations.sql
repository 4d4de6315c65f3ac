-- Every station with its site and the extent of its customers, for the base map (not scoped: the map
-- keeps the whole district in view whatever the filters are).
with

customer_extents as (
    select
        routes.station_id,
        min(customers.lon) as min_lon,
        max(customers.lon) as max_lon,
        min(customers.lat) as min_lat,
        max(customers.lat) as max_lat,
        count(*) as n_customers
    from customers
    join routes using (route_id)
    group by routes.station_id
),

final as (
    select stations.station_id, stations.name, stations.lon, stations.lat, customer_extents.* exclude (station_id)
    from stations
    left join customer_extents using (station_id)
)

select * from final
order by station_id
