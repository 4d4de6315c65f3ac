-- The import's work copy: delete the rows of training_sessions whose keys are in the view ingest_rows.
delete from training_sessions as t
using ingest_rows as s
where t.session_id = s.session_id
