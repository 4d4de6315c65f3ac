-- The id of the next import run (one more than the last logged one).
select coalesce(max(import_id), 0) + 1 as import_id
from import_log
