-- The import's work copy: delete the rows of tickets whose keys are in the view ingest_rows.
delete from tickets as t
using ingest_rows as s
where t.ticket_id = s.ticket_id
