-- The import's work copy: rewrite in place the columns of staff no index covers, from the view
-- ingest_rows, for the rows not in ingest_hard (those change a key column and are replaced whole).
update staff as t
set
    name = s.name,
    role = s.role,
    phone = s.phone
from ingest_rows as s
where t.staff_id = s.staff_id
  and not exists (select 1 from ingest_hard as h where h.staff_id = t.staff_id)
