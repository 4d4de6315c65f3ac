-- satisfaction/dimension_means_monthly.sql's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_satisfaction_dimension_means_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, figures, order.
select * exclude (answer_month)
from rollup_satisfaction_dimension_means_month
where answer_month = $month::date
order by snapshot, dimension
