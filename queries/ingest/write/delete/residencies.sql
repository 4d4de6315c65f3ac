-- The import's work copy: delete the rows of residencies whose keys are in the view ingest_rows.
delete from residencies as t
using ingest_rows as s
where t.residency_id = s.residency_id
