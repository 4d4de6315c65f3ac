-- The overview's monthly trend as queries/overview/trend_monthly.sql gives it (same columns, same
-- figures) for the whole company: read from rollup_trend_month (that query run over every month).
select *
from rollup_trend_month
where list_contains($months::date[], month)
order by month
