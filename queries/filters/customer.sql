-- One customer's name and licence, to show (and check) a customer named in the URL; none when the
-- customer is outside the role's limit ($stations, $routes: empty = no limit).
select customer_id, shop_name, license_no, has_pos
from scoped_customers($stations::varchar[], $routes::varchar[], []::varchar[], []::varchar[], $customer_id::bigint)
where customer_id = $customer_id::bigint
