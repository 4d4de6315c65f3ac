-- The import's work copy: delete the rows of routes whose keys are in the view ingest_rows.
delete from routes as t
using ingest_rows as s
where t.route_id = s.route_id
