-- A named query's answer for the whole company and one calendar month, kept by the rollups (rollup_answers;
-- KEPT_ANSWERS in dashboard/rollups.py) as its frame: store.frame gives it back as the query gave it. One
-- answer alone is read by equality, which the table scan filters before it reads the stream
-- (kept/answers.sql passes the streams through a join: a province's 16 MB map summary, 25 -> 31 ms).
select arrow_ipc
from rollup_answers
where query = $query and answer_month = $month::date
