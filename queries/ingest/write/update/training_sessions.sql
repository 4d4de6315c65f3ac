-- The import's work copy: rewrite in place the columns of training_sessions no index covers, from the view
-- ingest_rows, for the rows not in ingest_hard (those change a key column and are replaced whole).
update training_sessions as t
set
    held_on = s.held_on,
    format = s.format,
    topic = s.topic,
    is_rural = s.is_rural,
    hours = s.hours,
    viewers = s.viewers
from ingest_rows as s
where t.session_id = s.session_id
  and not exists (select 1 from ingest_hard as h where h.session_id = t.session_id)
