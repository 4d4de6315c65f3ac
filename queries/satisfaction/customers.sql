-- Every in-scope customer open by $date_to with its latest survey (DESIGN.md section 5: the latest with
-- surveyed_on in ($date_to - 12 months, $date_to]), the survey just before it, the staff who own it,
-- its last visit and its open tickets as of E (the start of the day after $date_to). One row a customer.
-- Shop names and addresses come apart (satisfaction/shops.sql) for the rows shown with them: unique
-- text of every customer cost more than the rest of this query at city scale and up.
with

period as (
    select
        $date_to::date as date_to,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, route_id, station_id, business_type, market_type, grade,
        status, lon, lat
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
    cross join period
    where opened_on <= period.date_to
),

ranked_surveys as (
    select
        surveys.*,
        row_number() over (
            partition by surveys.customer_id order by surveys.surveyed_on desc, surveys.survey_id desc
        ) as survey_rank
    from surveys
    join scoped using (customer_id)
    cross join period
    where surveys.surveyed_on <= period.date_to
),

latest_surveys as (
    select ranked_surveys.*
    from ranked_surveys
    cross join period
    where survey_rank = 1 and surveyed_on > period.date_to - interval 12 month
),

previous_surveys as (
    select customer_id, surveyed_on as previous_surveyed_on, overall as previous_overall
    from ranked_surveys
    where survey_rank = 2
),

last_visits as (
    select visits.customer_id, max(visits.started_at)::date as last_visit_on
    from visits
    join scoped using (customer_id)
    cross join period
    where visits.started_at < period.end_ts
    group by visits.customer_id
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
        -- the survey before the latest counts only when there is a latest one in the window
        case when latest_surveys.customer_id is not null then previous_surveys.previous_surveyed_on end
            as previous_surveyed_on,
        case when latest_surveys.customer_id is not null then previous_surveys.previous_overall::double end
            as previous_overall,
        last_visits.last_visit_on,
        coalesce(open_tickets.n_open_tickets, 0) as n_open_tickets
    from scoped
    join stations using (station_id)
    join routes on routes.route_id = scoped.route_id
    join staff as manager on manager.staff_id = routes.customer_manager_id
    left join staff as inspector on inspector.staff_id = routes.inspector_id
    left join latest_surveys on latest_surveys.customer_id = scoped.customer_id
    left join previous_surveys on previous_surveys.customer_id = scoped.customer_id
    left join last_visits on last_visits.customer_id = scoped.customer_id
    left join open_tickets on open_tickets.customer_id = scoped.customer_id
)

select * from final
order by customer_id
