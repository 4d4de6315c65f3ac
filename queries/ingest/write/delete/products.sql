-- The import's work copy: delete the rows of products whose keys are in the view ingest_rows.
delete from products as t
using ingest_rows as s
where t.sku_id = s.sku_id
