-- One customer's name and licence, to show (and check) a customer named in the URL.
select customer_id, shop_name, license_no, has_pos
from customers
where customer_id = $customer_id::bigint
