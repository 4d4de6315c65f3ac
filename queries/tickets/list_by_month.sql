-- tickets/list.sql's first page (no search, no unit clicked) for the whole company and one calendar month,
-- kept by the rollups (rollup_tickets_list_month; KEPT_ANSWERS in dashboard/rollups.py): same columns, order.
select * exclude (answer_month)
from rollup_tickets_list_month
where answer_month = $month::date
order by received_at desc, ticket_id
