-- The import's work copy: rewrite in place the columns of stations no index covers, from the view
-- ingest_rows, for the rows not in ingest_hard (those change a key column and are replaced whole).
update stations as t
set
    name = s.name,
    town_code = s.town_code,
    lon = s.lon,
    lat = s.lat
from ingest_rows as s
where t.station_id = s.station_id
  and not exists (select 1 from ingest_hard as h where h.station_id = t.station_id)
