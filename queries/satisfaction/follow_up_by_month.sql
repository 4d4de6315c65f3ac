-- satisfaction/follow_up_monthly.sql's answer for the whole company and one calendar month, kept by the
-- rollups (rollup_satisfaction_follow_up_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, order.
select * exclude (answer_month)
from rollup_satisfaction_follow_up_month
where answer_month = $month::date
order by overall, customer_id
