-- tickets/resolution_times.sql's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_tickets_resolution_times_month; KEPT_ANSWERS in dashboard/rollups.py): the same frame.
select * exclude (answer_month)
from rollup_tickets_resolution_times_month
where answer_month = $month::date
order by ticket_id
