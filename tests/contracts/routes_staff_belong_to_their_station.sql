-- A route's customer manager is a customer manager; its inspector an inspector.
select routes.route_id
from routes
join staff as cm on cm.staff_id = routes.customer_manager_id
left join staff as ins on ins.staff_id = routes.inspector_id
where cm.role != 'customer_manager'
   or (routes.inspector_id is not null and ins.role != 'inspector')
