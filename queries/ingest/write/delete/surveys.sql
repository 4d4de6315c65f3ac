-- The import's work copy: delete the rows of surveys whose keys are in the view ingest_rows.
delete from surveys as t
using ingest_rows as s
where t.survey_id = s.survey_id
