-- The overview's headline figures (overview.area_figures, as JSON) of the whole company for one calendar
-- month: read from rollup_headlines_month (the area functions run for every month).
select figures
from rollup_headlines_month
where month = $month::date
