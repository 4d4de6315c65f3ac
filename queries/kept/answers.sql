-- Named queries' answers for the whole company and a calendar month, kept by the rollups (rollup_answers;
-- KEPT_ANSWERS in dashboard/rollups.py) as their frames: the ($queries[i], $months[i]) pairs asked, read in
-- one statement (a page's kept answers). store.frame gives a row per answer found, its frame decoded.
-- The IN filters reach the table scan, so only the asked rows' streams are read (a semi join alone reads
-- every stream: a city's 60 MB, 11 ms).
with

asked as (
    select unnest($queries::varchar[]) as query, unnest($months::date[]) as answer_month
)

select query, answer_month, arrow_ipc
from rollup_answers
semi join asked using (query, answer_month)
where
    query in (select unnest($queries::varchar[]))
    and answer_month in (select unnest($months::date[]))
