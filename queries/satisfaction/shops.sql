-- The shop name and address of the customers $ids (ids a scoped query gave), for the rows a page shows
-- with them: the follow-up list, the map's customer points and a picked customer's card.
select customers.customer_id, customers.shop_name, customers.address
from customers
where customers.customer_id in (select unnest($ids::bigint[]))
