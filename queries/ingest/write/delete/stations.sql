-- The import's work copy: delete the rows of stations whose keys are in the view ingest_rows.
delete from stations as t
using ingest_rows as s
where t.station_id = s.station_id
