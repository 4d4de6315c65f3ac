-- Mean score per survey dimension in the three snapshots of queries/satisfaction/dimension_means.sql (same
-- rows, same figures), for a $date_to that is a month's last day: a snapshot taken on a month's last day
-- reads rollup_survey_month, one taken on another day (a wave that began mid-month) the raw surveys.
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

from_rollup as (
    select at_month_end.snapshot, rollup_survey_month.*
    from at_month_end
    join rollup_survey_month on rollup_survey_month.month = at_month_end.month
    where not at_month_end.is_scoped or rollup_survey_month.customer_id in (select customer_id from scoped)
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
    from from_rollup
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

final as (
    select
        snapshot,
        dimension,
        avg(score) as mean_score,
        count(score) as n_scores
    from scores
    group by snapshot, dimension
)

select * from final
order by snapshot, dimension
