-- The import's work copy: delete the rows of customers whose keys are in the view ingest_rows.
delete from customers as t
using ingest_rows as s
where t.customer_id = s.customer_id
