-- tickets/received_by.sql's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_tickets_received_by_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, figures, order.
select * exclude (answer_month)
from rollup_tickets_received_by_month
where answer_month = $month::date
order by dimension, n_tickets desc, code
