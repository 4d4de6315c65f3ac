-- The overview's stations and routes as queries/overview/units_monthly.sql gives them (same columns, same
-- figures) for the whole company and one calendar month: read from rollup_units_month (that query run
-- for every month, last year's same month beside it).
select * exclude (month)
from rollup_units_month
where month = $month::date
order by unit, unit_id
