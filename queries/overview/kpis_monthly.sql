-- The overview's headline figures as queries/overview/kpis.sql gives them (same columns, same figures),
-- for a period of whole months: the latest surveys from rollup_survey_month (as of the period's last
-- day), plans and visits from rollup_staff_month; customers and tickets from the raw tables.
with

period as (
    select
        $date_from::date as date_from,
        $date_to::date as date_to,
        date_trunc('month', $date_to::date)::date as last_month,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, station_id, opened_on, status
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

customer_counts as (
    select
        count(*) as customers_in_scope,
        count(*) filter (where status = 'active') as customers_active
    from scoped, period
    where scoped.opened_on <= period.date_to
),

latest_surveys as (
    select rollup_survey_month.customer_id, rollup_survey_month.overall
    from rollup_survey_month
    join period on rollup_survey_month.month = period.last_month
    semi join scoped using (customer_id)
),

satisfaction as (
    select
        count(*) as satisfaction_surveyed,
        avg(overall) as satisfaction_overall_mean,
        count(*) filter (where overall < $low_score) as satisfaction_low_count
    from latest_surveys
),

ticket_counts as (
    select count(*) as tickets_received
    from tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

activity as (
    select
        coalesce(sum(rollup_staff_month.planned), 0)::bigint as visits_planned,
        coalesce(sum(rollup_staff_month.done), 0)::bigint as visits_done
    from rollup_staff_month
    join period on rollup_staff_month.month between period.date_from and period.date_to
    semi join scoped using (customer_id)
),

final as (
    select
        customer_counts.*,
        satisfaction.*,
        ticket_counts.*,
        activity.*
    from customer_counts, satisfaction, ticket_counts, activity
)

select * from final
