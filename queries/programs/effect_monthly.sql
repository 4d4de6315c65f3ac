-- queries/programs/effect.sql's customers (same columns, same figures) with the gross profit windows read
-- from rollup_gp_window_month, built for $window_months = programs.WINDOW_MONTHS (dashboard/programs.py
-- reads this one only then).
with

period as (
    select
        $date_from::date as date_from,
        $date_to::date as date_to,
        date_trunc('month', $date_from::date) - to_months($window_months::integer) as before_from,
        date_trunc('month', $date_from::date) as before_to,  -- exclusive
        date_trunc('month', $date_to::date) + interval 1 month as after_from,
        date_trunc('month', $date_to::date) + interval 1 month + to_months($window_months::integer)
            as after_to  -- exclusive
),

scoped as (
    select customer_id, business_type, market_type
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
    where status = 'active'
),

services as (
    select training_attendance.customer_id, training_sessions.held_on as served_on
    from training_attendance
    join training_sessions using (session_id)
    where training_sessions.format in ('classroom', 'guidance')
    union all
    select customer_id, start_on as served_on
    from residencies
),

first_served as (
    select customer_id, min(served_on) as first_served_on
    from services
    group by customer_id
),

-- treated: first served in the period; comparison: not served before the after window ends; the rest
-- (served before the period, or first between its end and the window's end) is in neither group
grouped as (
    select
        scoped.*,
        case
            when first_served.first_served_on between period.date_from and period.date_to then true
            when first_served.first_served_on is null or first_served.first_served_on >= period.after_to
                then false
        end as is_treated
    from scoped
    cross join period
    left join first_served using (customer_id)
),

-- the mean monthly gross profit of the window before the period and of the one after it, read off
-- rollup_gp_window_month (the mean over the $window_months months before a month)
profit as (
    select
        scoped.customer_id,
        before.gp_mean as gp_before,
        after.gp_mean as gp_after
    from scoped
    left join rollup_gp_window_month as before
        on before.customer_id = scoped.customer_id
       and before.month = date_trunc('month', $date_from::date)::date
    left join rollup_gp_window_month as after
        on after.customer_id = scoped.customer_id
       and after.month = (date_trunc('month', $date_to::date) + to_months(1 + $window_months::integer))::date
),

-- the latest survey in the 12 months before the period (which starts on a month's first day): the one
-- rollup_survey_month keeps for the month before it; the first survey after the period as effect.sql finds it
survey_before as (
    select rollup_survey_month.customer_id, rollup_survey_month.overall as score_before
    from rollup_survey_month
    join scoped using (customer_id)
    where rollup_survey_month.month = (date_trunc('month', $date_from::date) - interval 1 month)::date
),

survey_after as (
    select
        surveys.customer_id,
        arg_min_null(surveys.overall, (surveys.surveyed_on, surveys.survey_id)) as score_after
    from surveys
    join scoped using (customer_id)
    where surveys.surveyed_on > $date_to::date
    group by surveys.customer_id
),

final as (
    select
        grouped.customer_id,
        grouped.business_type,
        grouped.market_type,
        grouped.is_treated,
        profit.gp_before::double as gp_before,
        profit.gp_after::double as gp_after,
        survey_before.score_before::double as score_before,
        survey_after.score_after::double as score_after
    from grouped
    left join profit using (customer_id)
    left join survey_before using (customer_id)
    left join survey_after using (customer_id)
    where grouped.is_treated is not null
    order by grouped.customer_id
)

select * from final
