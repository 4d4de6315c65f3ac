-- programs/kpis.sql's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_programs_kpis_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, figures, order.
select * exclude (answer_month)
from rollup_programs_kpis_month
where answer_month = $month::date
