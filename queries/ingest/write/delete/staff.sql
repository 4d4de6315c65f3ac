-- The import's work copy: delete the rows of staff whose keys are in the view ingest_rows.
delete from staff as t
using ingest_rows as s
where t.staff_id = s.staff_id
