-- Mean score per survey dimension in the three snapshots of queries/satisfaction/dimension_means.sql (same
-- rows, same figures), for a $date_to that is a month's last day: a snapshot taken on a month's last day
-- adds up rows of rollup_satisfaction_month (or a one-customer scope's row of rollup_survey_month), one
-- taken on another day (a wave that began mid-month) reads the raw surveys.
with

period as (
    select $date_to::date as date_to
),

scoped as (
    select customer_id
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

latest_wave as (
    -- waves are company-wide; the latest is the one of the latest survey on or before $date_to
    select min(surveys.surveyed_on) as wave_start
    from surveys
    where surveys.wave = (
        select wave from surveys, period
        where surveys.surveyed_on <= period.date_to
        order by surveyed_on desc, survey_id desc
        limit 1
    )
),

snapshots as (
    select 'scope' as snapshot, period.date_to as as_of, true as is_scoped from period
    union all
    select 'company', period.date_to, false from period
    union all
    select 'previous_wave', (latest_wave.wave_start - interval 1 day)::date, true from latest_wave
    where latest_wave.wave_start is not null
),

at_month_end as (
    select *, date_trunc('month', as_of)::date as month
    from snapshots
    where as_of = last_day(as_of)
),

-- a month-end snapshot of many customers: the sums of rollup_satisfaction_month (open or not yet: the
-- rule counts every in-scope customer's latest survey)
from_rollup as (
    select at_month_end.snapshot, rollup_satisfaction_month.*
    from at_month_end
    join rollup_satisfaction_month on rollup_satisfaction_month.month = at_month_end.month
    where not at_month_end.is_scoped
       or ($customer::bigint is null
           and (len($stations::varchar[]) = 0 or list_contains($stations::varchar[], station_id))
           and (len($routes::varchar[]) = 0 or list_contains($routes::varchar[], route_id))
           and (len($btypes::varchar[]) = 0 or list_contains($btypes::varchar[], business_type))
           and (len($markets::varchar[]) = 0 or list_contains($markets::varchar[], market_type)))
),

-- a one-customer scope at a month's end: its own row of rollup_survey_month (no customer in the grain
-- of the sums)
one_customer as (
    select at_month_end.snapshot, rollup_survey_month.*
    from at_month_end
    join rollup_survey_month on rollup_survey_month.month = at_month_end.month
    where at_month_end.is_scoped
      and $customer::bigint is not null
      and rollup_survey_month.customer_id in (select customer_id from scoped)
),

from_raw as (
    select snapshots.snapshot, surveys.*
    from snapshots
    join surveys
        on surveys.surveyed_on <= snapshots.as_of
       and surveys.surveyed_on > snapshots.as_of - interval 12 month
    where snapshots.as_of <> last_day(snapshots.as_of)
      and (not snapshots.is_scoped or surveys.customer_id in (select customer_id from scoped))
    qualify row_number() over (
        partition by snapshots.snapshot, surveys.customer_id
        order by surveys.surveyed_on desc, surveys.survey_id desc
    ) = 1
),

latest_surveys as (
    select snapshot, overall, supply, ordering, delivery, customer_manager, settlement, complaint_handling,
        market_regulation
    from one_customer
    union all
    select snapshot, overall, supply, ordering, delivery, customer_manager, settlement, complaint_handling,
        market_regulation
    from from_raw
),

scores as (
    unpivot latest_surveys
    on overall, supply, ordering, delivery, customer_manager, settlement, complaint_handling,
        market_regulation
    into name dimension value score
),

summed_scores as (
    select snapshot, dimension, sum(score) as total, count(score) as n
    from scores
    group by snapshot, dimension
),

summed_rollup as (
    unpivot (
        select snapshot,
            sum(sum_overall) as sum_overall, sum(n_overall) as n_overall,
            sum(sum_supply) as sum_supply, sum(n_supply) as n_supply,
            sum(sum_ordering) as sum_ordering, sum(n_ordering) as n_ordering,
            sum(sum_delivery) as sum_delivery, sum(n_delivery) as n_delivery,
            sum(sum_customer_manager) as sum_customer_manager, sum(n_customer_manager) as n_customer_manager,
            sum(sum_settlement) as sum_settlement, sum(n_settlement) as n_settlement,
            sum(sum_complaint_handling) as sum_complaint_handling,
            sum(n_complaint_handling) as n_complaint_handling,
            sum(sum_market_regulation) as sum_market_regulation, sum(n_market_regulation) as n_market_regulation
        from from_rollup
        group by snapshot
    )
    on (sum_overall, n_overall) as overall, (sum_supply, n_supply) as supply,
        (sum_ordering, n_ordering) as ordering, (sum_delivery, n_delivery) as delivery,
        (sum_customer_manager, n_customer_manager) as customer_manager,
        (sum_settlement, n_settlement) as settlement,
        (sum_complaint_handling, n_complaint_handling) as complaint_handling,
        (sum_market_regulation, n_market_regulation) as market_regulation
    into name dimension value total, n
),

final as (
    select
        snapshot,
        dimension,
        -- the exact sum over the count: the same double as queries/satisfaction/dimension_means.sql
        sum(total)::double / sum(n) as mean_score,
        sum(n)::bigint as n_scores
    from (
        select * from summed_scores
        union all
        select * from summed_rollup where n > 0  -- the raw side has no row for a dimension nobody scored
    )
    group by snapshot, dimension
)

select * from final
order by snapshot, dimension
