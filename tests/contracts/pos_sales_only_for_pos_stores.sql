-- In-store sales exist only for stores flagged as having POS data.
select distinct product_sales_monthly.customer_id
from product_sales_monthly
join customers using (customer_id)
where not customers.has_pos
