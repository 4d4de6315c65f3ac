-- Headline figures of one scope and period (DESIGN.md section 5); one row.
-- Period: $date_from..$date_to, whole days; E = the start of the day after $date_to.
with

period as (
    select
        $date_from::date as date_from,
        $date_to::date as date_to,
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
    select surveys.customer_id, surveys.overall
    from surveys
    join scoped using (customer_id)
    cross join period
    where surveys.surveyed_on <= period.date_to
      and surveys.surveyed_on > period.date_to - interval 12 month
    qualify row_number() over (
        partition by surveys.customer_id order by surveys.surveyed_on desc, surveys.survey_id desc
    ) = 1
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

plan_counts as (
    select count(*) as visits_planned
    from visit_plans
    join scoped using (customer_id)
    cross join period
    where visit_plans.planned_on between period.date_from and period.date_to
),

visit_counts as (
    select count(*) as visits_done
    from visits
    join scoped using (customer_id)
    cross join period
    where visits.kind in ('routine', 'joint')
      and visits.started_at >= period.date_from and visits.started_at < period.end_ts
),

final as (
    select
        customer_counts.*,
        satisfaction.*,
        ticket_counts.*,
        plan_counts.*,
        visit_counts.*,
    from customer_counts, satisfaction, ticket_counts, plan_counts, visit_counts
)

select * from final
