-- The shop name, address and owner of the customers $ids (ids a scoped query gave), for the rows a page
-- shows or downloads with them: long lists fetch their codes and figures first and these unique texts
-- only for the rows that need them.
select customers.customer_id, customers.shop_name, customers.address, customers.owner_name
from customers
where customers.customer_id in (select unnest($ids::bigint[]))
