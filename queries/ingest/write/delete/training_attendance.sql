-- The import's work copy: delete the rows of training_attendance whose keys are in the view ingest_rows.
delete from training_attendance as t
using ingest_rows as s
where t.session_id = s.session_id
  and t.customer_id = s.customer_id
