-- The import's work copy: rewrite in place the columns of routes no index covers, from the view
-- ingest_rows, for the rows not in ingest_hard (those change a key column and are replaced whole).
update routes as t
set
    name = s.name,
    visit_weekday = s.visit_weekday
from ingest_rows as s
where t.route_id = s.route_id
  and not exists (select 1 from ingest_hard as h where h.route_id = t.route_id)
