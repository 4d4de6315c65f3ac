-- The shop name, address and owner of the customers $ids (ids a scoped query gave), with their types and
-- the names of their route, station and customer manager, for the rows a page shows or downloads with
-- them: long lists fetch their codes and figures first and these texts only for the rows that need them.
select
    customers.customer_id,
    customers.shop_name,
    customers.address,
    customers.owner_name,
    customers.business_type,
    customers.market_type,
    routes.name as route_name,
    stations.name as station_name,
    manager.name as customer_manager_name
from customers
join routes using (route_id)
join stations on stations.station_id = routes.station_id
left join staff as manager on manager.staff_id = routes.customer_manager_id
where customers.customer_id in (select unnest($ids::bigint[]))
