-- Every route with the names the satisfaction charts and map dots show (not scoped: the page joins them
-- to the rows of its scope's summary, which carry codes only).
select
    routes.route_id,
    routes.name as route_name,
    routes.station_id,
    stations.name as station_name,
    manager.name as customer_manager_name
from routes
join stations using (station_id)
join staff as manager on manager.staff_id = routes.customer_manager_id
order by routes.route_id
