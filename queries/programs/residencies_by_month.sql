-- programs/residencies.sql's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_programs_residencies_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, figures, order.
select * exclude (answer_month)
from rollup_programs_residencies_month
where answer_month = $month::date
order by start_on, residency_id
