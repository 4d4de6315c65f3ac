-- The whole company's programs effect measures (difference-in-differences of gross profit and
-- satisfaction, as JSON) that the refresh computed for the service period $date_from..$date_to
-- (rollup_effect_kept: the data's default period); no row for any other period.
select measures
from rollup_effect_kept
where date_from = $date_from::date and date_to = $date_to::date
