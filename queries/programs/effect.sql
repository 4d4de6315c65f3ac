-- The customers of a difference-in-differences: in-scope active customers, treated when first served
-- (a classroom or guidance session attended, a residency hosted) in the period; the comparison pool are
-- those not served before the after window ends. Per customer: mean monthly gross profit (tobacco +
-- non-tobacco) in the $window_months months before the period's first month and in the $window_months
-- months after its last, and the overall score of the latest survey before the period (within 12 months)
-- and of the first survey after it.
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

-- the months compared, written on the parameters rather than read from `period`: constants reach the
-- scan of customer_monthly as a range filter (a join on `period` made it a nested loop over every row)
profit as (
    select
        customer_monthly.customer_id,
        avg(customer_monthly.tobacco_gross_profit_yuan + customer_monthly.nontobacco_gross_profit_yuan)
            filter (where customer_monthly.month < date_trunc('month', $date_from::date)) as gp_before,
        avg(customer_monthly.tobacco_gross_profit_yuan + customer_monthly.nontobacco_gross_profit_yuan)
            filter (where customer_monthly.month >= date_trunc('month', $date_to::date) + interval 1 month)
            as gp_after
    from customer_monthly
    join scoped using (customer_id)
    where customer_monthly.month >= date_trunc('month', $date_from::date) - to_months($window_months::integer)
      and customer_monthly.month < date_trunc('month', $date_to::date) + interval 1 month
          + to_months($window_months::integer)
      and (customer_monthly.month < date_trunc('month', $date_from::date)
          or customer_monthly.month >= date_trunc('month', $date_to::date) + interval 1 month)
    group by customer_monthly.customer_id
),

-- the latest survey in the 12 months before the period and the first one after it: one row a customer by
-- arg_max/arg_min of (date, id), ties as a window ordered by them would break them
survey_before as (
    select
        surveys.customer_id,
        arg_max_null(surveys.overall, (surveys.surveyed_on, surveys.survey_id)) as score_before
    from surveys
    join scoped using (customer_id)
    where surveys.surveyed_on < $date_from::date
      and surveys.surveyed_on >= $date_from::date - interval 12 month
    group by surveys.customer_id
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
