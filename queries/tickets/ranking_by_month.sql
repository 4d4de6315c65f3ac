-- Stations, routes and first owners as queries/tickets/ranking.sql gives them (same columns, same figures)
-- for the whole company and one calendar month: read from rollup_ranking_month (that query run for every
-- month).
select * exclude (month)
from rollup_ranking_month
where month = $month::date
order by unit, unit_id
