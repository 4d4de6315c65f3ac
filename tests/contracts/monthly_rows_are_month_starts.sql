-- Monthly tables hold the first day of each month only.
select customer_id from customer_monthly where day(month) != 1
union all
select customer_id from product_sales_monthly where day(month) != 1
