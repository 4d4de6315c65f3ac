-- tickets/backlog.sql's answer for the whole company and one calendar month, kept by the rollups
-- (rollup_tickets_backlog_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, figures, order.
select * exclude (answer_month)
from rollup_tickets_backlog_month
where answer_month = $month::date
order by age_hours desc, ticket_id
