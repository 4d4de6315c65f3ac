-- A named query's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_answers; KEPT_ANSWERS in dashboard/rollups.py) as its frame: store.frame gives it back with the
-- query's own columns, dtypes, figures and order.
select arrow_ipc
from rollup_answers
where query = $query and answer_month = $month::date
