-- A named query without parameters, its answer kept whole by the rollups (rollup_answers; KEPT_WHOLE in
-- dashboard/rollups.py) as its frame: store.frame gives it back as the query gave it.
select arrow_ipc
from rollup_answers
where query = $query and answer_month is null
