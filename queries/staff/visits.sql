-- One customer manager's plans and visits in the period, side by side (the drill-down behind diligence):
-- a plan with a routine or joint visit to the same customer that day is kept, one without is missed, a
-- visit without a plan that day is unplanned. In-scope customers only; visits started before E.
with

period as (
    select
        $date_from::date as date_from,
        $date_to::date as date_to,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, shop_name, route_id
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

plans as (
    select distinct visit_plans.customer_id, visit_plans.planned_on
    from visit_plans
    join scoped using (customer_id)
    cross join period
    where visit_plans.staff_id = $staff_id
      and visit_plans.planned_on between period.date_from and period.date_to
),

done as (
    select
        visits.visit_id,
        visits.customer_id,
        visits.kind,
        visits.started_at,
        visits.started_at::date as visited_on,
        greatest(date_diff('second', visits.started_at, visits.ended_at), 0) / 60.0 as duration_min,
        visits.checkin_distance_m,
        visits.tasks_done,
        visits.tasks_required
    from visits
    join scoped using (customer_id)
    cross join period
    where visits.staff_id = $staff_id
      and visits.kind in ('routine', 'joint')
      and visits.started_at >= period.date_from and visits.started_at < period.end_ts
),

matched as (
    select
        coalesce(plans.customer_id, done.customer_id) as customer_id,
        plans.planned_on,
        done.*  exclude (customer_id),
        case
            when plans.planned_on is null then 'unplanned'
            when done.visit_id is null then 'missed'
            else 'on_plan'
        end as status
    from plans
    full join done on done.customer_id = plans.customer_id and done.visited_on = plans.planned_on
),

final as (
    select
        matched.*,
        scoped.shop_name,
        routes.name as route_name,
        coalesce(matched.planned_on, matched.visited_on) as day
    from matched
    join scoped using (customer_id)
    join routes using (route_id)
)

select * from final
order by day, customer_id, started_at
