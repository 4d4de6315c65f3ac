-- Mean score per survey dimension (and overall) over each customer's latest survey (DESIGN.md section 5),
-- in three snapshots: `scope` (the filters, as of $date_to), `company` (no filters, as of $date_to) and
-- `previous_wave` (the filters, as of the day before the latest wave up to $date_to began).
-- Long form: one row per snapshot and dimension, with the number of scores behind each mean.
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

latest_surveys as (
    select snapshots.snapshot, surveys.*
    from snapshots
    join surveys
        on surveys.surveyed_on <= snapshots.as_of
       and surveys.surveyed_on > snapshots.as_of - interval 12 month
    where not snapshots.is_scoped or surveys.customer_id in (select customer_id from scoped)
    qualify row_number() over (
        partition by snapshots.snapshot, surveys.customer_id
        order by surveys.surveyed_on desc, surveys.survey_id desc
    ) = 1
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
        -- the exact sum over the count, as the monthly query divides its summed rollup rows
        sum(score)::double / count(score) as mean_score,
        count(score) as n_scores
    from scores
    group by snapshot, dimension
)

select * from final
order by snapshot, dimension
