-- The in-scope customers open by $date_to on the follow-up list (latest survey below $low_score, or
-- $drop_points or more below the survey before it), as rows of satisfaction/customers_monthly (same
-- columns, same figures), for a $date_to that is a month's last day. A large scope's page lists these
-- without fetching every customer: the rule picks rows of rollup_survey_month first, the joins run on
-- those few. Lowest score first, ties by customer id.
with

period as (
    select
        $date_to::date as date_to,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

flagged_surveys as (
    select rollup_survey_month.*
    from rollup_survey_month
    where rollup_survey_month.month = date_trunc('month', $date_to::date)  -- a constant: a range on the scan
      and (rollup_survey_month.overall::double < $low_score::double
       or rollup_survey_month.overall::double - rollup_survey_month.previous_overall::double
          <= -$drop_points::double)
),

picked as (
    select scoped.customer_id, scoped.route_id, scoped.station_id, scoped.business_type,
        scoped.market_type, scoped.grade, scoped.status, scoped.lon, scoped.lat
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint) as scoped
    cross join period
    where scoped.customer_id in (select customer_id from flagged_surveys)  -- a semi join: 5x a join's speed
      and scoped.opened_on <= period.date_to
),

last_visits as (
    select rollup_visit_month.customer_id, rollup_visit_month.last_visit_at::date as last_visit_on
    from rollup_visit_month
    where rollup_visit_month.month = date_trunc('month', $date_to::date)
      and rollup_visit_month.customer_id in (select customer_id from picked)
),

open_tickets as (
    select tickets.customer_id, count(*) as n_open_tickets
    from tickets
    cross join period
    where tickets.customer_id in (select customer_id from picked)
      and tickets.received_at < period.end_ts
      and (tickets.resolved_at is null or tickets.resolved_at >= period.end_ts)
    group by tickets.customer_id
),

final as (
    select
        picked.customer_id,
        picked.station_id,
        stations.name as station_name,
        picked.route_id,
        routes.name as route_name,
        manager.name as customer_manager_name,
        inspector.name as inspector_name,
        picked.business_type,
        picked.market_type,
        picked.grade,
        picked.status,
        picked.lon,
        picked.lat,
        flagged_surveys.surveyed_on,
        flagged_surveys.overall::double as overall,
        flagged_surveys.supply::double as supply,
        flagged_surveys.ordering::double as ordering,
        flagged_surveys.delivery::double as delivery,
        flagged_surveys.customer_manager::double as customer_manager,
        flagged_surveys.settlement::double as settlement,
        flagged_surveys.complaint_handling::double as complaint_handling,
        flagged_surveys.market_regulation::double as market_regulation,
        flagged_surveys.previous_surveyed_on,
        flagged_surveys.previous_overall::double as previous_overall,
        last_visits.last_visit_on,
        coalesce(open_tickets.n_open_tickets, 0) as n_open_tickets
    from picked
    join flagged_surveys using (customer_id)
    join stations on stations.station_id = picked.station_id
    join routes on routes.route_id = picked.route_id
    join staff as manager on manager.staff_id = routes.customer_manager_id
    left join staff as inspector on inspector.staff_id = routes.inspector_id
    left join last_visits on last_visits.customer_id = picked.customer_id
    left join open_tickets on open_tickets.customer_id = picked.customer_id
)

select * from final
order by overall, customer_id
