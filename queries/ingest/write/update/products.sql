-- The import's work copy: rewrite in place the columns of products no index covers, from the view
-- ingest_rows, for the rows not in ingest_hard (those change a key column and are replaced whole).
update products as t
set
    name = s.name,
    category = s.category
from ingest_rows as s
where t.sku_id = s.sku_id
  and not exists (select 1 from ingest_hard as h where h.sku_id = t.sku_id)
