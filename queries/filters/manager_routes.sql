-- The routes a customer manager owns (routes.customer_manager_id), with their stations: the rows the
-- customer_manager role may see.
select route_id, station_id
from routes
where customer_manager_id = $staff_id::varchar
order by route_id
