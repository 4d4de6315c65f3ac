-- Every in-scope customer open by $date_to with its latest survey, as queries/satisfaction/customers.sql
-- gives them (same columns, same figures), for a $date_to that is a month's last day: the surveys from
-- rollup_survey_month, the last visit from rollup_visit_month; open tickets from the raw table.
with

period as (
    select
        $date_to::date as date_to,
        date_trunc('month', $date_to::date)::date as last_month,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, route_id, station_id, business_type, market_type, grade,
        status, lon, lat
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
    cross join period
    where opened_on <= period.date_to
),

latest_surveys as (
    select rollup_survey_month.*
    from rollup_survey_month
    join period on rollup_survey_month.month = period.last_month
),

last_visits as (
    select rollup_visit_month.customer_id, rollup_visit_month.last_visit_at::date as last_visit_on
    from rollup_visit_month
    join period on rollup_visit_month.month = period.last_month
),

open_tickets as (
    select tickets.customer_id, count(*) as n_open_tickets
    from tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at < period.end_ts
      and (tickets.resolved_at is null or tickets.resolved_at >= period.end_ts)
    group by tickets.customer_id
),

final as (
    select
        scoped.customer_id,
        scoped.station_id,
        stations.name as station_name,
        scoped.route_id,
        routes.name as route_name,
        manager.name as customer_manager_name,
        inspector.name as inspector_name,
        scoped.business_type,
        scoped.market_type,
        scoped.grade,
        scoped.status,
        scoped.lon,
        scoped.lat,
        latest_surveys.surveyed_on,
        latest_surveys.overall::double as overall,
        latest_surveys.supply::double as supply,
        latest_surveys.ordering::double as ordering,
        latest_surveys.delivery::double as delivery,
        latest_surveys.customer_manager::double as customer_manager,
        latest_surveys.settlement::double as settlement,
        latest_surveys.complaint_handling::double as complaint_handling,
        latest_surveys.market_regulation::double as market_regulation,
        latest_surveys.previous_surveyed_on,
        latest_surveys.previous_overall::double as previous_overall,
        last_visits.last_visit_on,
        coalesce(open_tickets.n_open_tickets, 0) as n_open_tickets
    from scoped
    join stations using (station_id)
    join routes on routes.route_id = scoped.route_id
    join staff as manager on manager.staff_id = routes.customer_manager_id
    left join staff as inspector on inspector.staff_id = routes.inspector_id
    left join latest_surveys on latest_surveys.customer_id = scoped.customer_id
    left join last_visits on last_visits.customer_id = scoped.customer_id
    left join open_tickets on open_tickets.customer_id = scoped.customer_id
)

select * from final
order by customer_id
