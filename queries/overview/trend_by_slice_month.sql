-- The overview's monthly trend as queries/overview/trend_monthly.sql gives it (same columns, same figures)
-- for the whole company but one business type or one market ($slice 'btypes' or 'markets', its $code):
-- read from rollup_trend_slice_month (that query run per slice over every month).
select * exclude (slice, code)
from rollup_trend_slice_month
where slice = $slice and code = $code and list_contains($months::date[], month)
order by month
