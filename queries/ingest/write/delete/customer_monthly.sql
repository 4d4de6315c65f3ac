-- The import's work copy: delete the rows of customer_monthly whose keys are in the view ingest_rows.
delete from customer_monthly as t
using ingest_rows as s
where t.customer_id = s.customer_id
  and t.month = s.month
