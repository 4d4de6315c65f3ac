-- The import's work copy: delete the rows of visits whose keys are in the view ingest_rows.
delete from visits as t
using ingest_rows as s
where t.visit_id = s.visit_id
