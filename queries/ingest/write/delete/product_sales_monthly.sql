-- The import's work copy: delete the rows of product_sales_monthly whose keys are in the view ingest_rows.
delete from product_sales_monthly as t
using ingest_rows as s
where t.customer_id = s.customer_id
  and t.sku_id = s.sku_id
  and t.month = s.month
