-- Stations and routes on the overview's target measures, each by the definition of its KPI
-- (DESIGN.md section 5) applied to the unit's customers: customers, satisfaction, visits, training
-- reach, residency days per staff, gross profit this period and the same period last year.
-- The ticket rates per unit come from tickets/ranking. One row per (unit, unit_id); unit is
-- 'station' or 'route'.
with

period as (
    select
        $date_from::date as date_from,
        $date_to::date as date_to,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id, route_id, station_id, opened_on, status
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

customer_counts as (
    select
        station_id,
        route_id,
        count(*) filter (where opened_on <= period.date_to) as customers_in_scope,
        count(*) filter (where opened_on <= period.date_to and status = 'active') as customers_active
    from scoped, period
    group by grouping sets ((station_id), (route_id))
),

latest_surveys as (
    select scoped.station_id, scoped.route_id, surveys.overall
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
        station_id,
        route_id,
        count(*) as satisfaction_surveyed,
        avg(overall) as satisfaction_overall_mean,
        count(*) filter (where overall < $low_score) as satisfaction_low_count
    from latest_surveys
    group by grouping sets ((station_id), (route_id))
),

plans as (
    select scoped.station_id, scoped.route_id, count(*) as visits_planned
    from visit_plans
    join scoped using (customer_id)
    cross join period
    where visit_plans.planned_on between period.date_from and period.date_to
    group by grouping sets ((scoped.station_id), (scoped.route_id))
),

done as (
    select scoped.station_id, scoped.route_id, count(*) as visits_done
    from visits
    join scoped using (customer_id)
    cross join period
    where visits.kind in ('routine', 'joint')
      and visits.started_at >= period.date_from and visits.started_at < period.end_ts
    group by grouping sets ((scoped.station_id), (scoped.route_id))
),

trained as (
    select scoped.station_id, scoped.route_id, count(distinct training_attendance.customer_id) as customers_reached
    from training_attendance
    join training_sessions using (session_id)
    join scoped using (customer_id)
    cross join period
    where training_sessions.held_on between period.date_from and period.date_to
    group by grouping sets ((scoped.station_id), (scoped.route_id))
),

residency as (
    select
        scoped.station_id,
        scoped.route_id,
        count(distinct residencies.staff_id) as residency_staff,
        sum(residencies.days) as residency_days
    from residencies
    join scoped using (customer_id)
    cross join period
    where residencies.start_on between period.date_from and period.date_to
    group by grouping sets ((scoped.station_id), (scoped.route_id))
),

profit as (
    select
        scoped.station_id,
        scoped.route_id,
        sum(m.tobacco_gross_profit_yuan + coalesce(m.nontobacco_gross_profit_yuan, 0)) filter (
            where m.month between $date_from::date and $date_to::date
        ) as gross_profit_yuan,
        sum(m.tobacco_gross_profit_yuan + coalesce(m.nontobacco_gross_profit_yuan, 0)) filter (
            where m.month between $ly_from::date and $ly_to::date
        ) as gross_profit_last_year_yuan
    from customer_monthly as m
    join scoped using (customer_id)
    where m.month between $date_from::date and $date_to::date
       or m.month between $ly_from::date and $ly_to::date
    group by grouping sets ((scoped.station_id), (scoped.route_id))
),

keyed as (
    -- one key per grouping row: a station row has a null route_id, a route row a null station_id
    select 'station' as unit, station_id as unit_id, * exclude (station_id, route_id)
    from customer_counts where station_id is not null
    union all by name
    select 'route' as unit, route_id as unit_id, * exclude (station_id, route_id)
    from customer_counts where route_id is not null
),

joined as (
    select
        keyed.*,
        coalesce(satisfaction.satisfaction_surveyed, 0) as satisfaction_surveyed,
        satisfaction.satisfaction_overall_mean,
        coalesce(satisfaction.satisfaction_low_count, 0) as satisfaction_low_count,
        coalesce(plans.visits_planned, 0) as visits_planned,
        coalesce(done.visits_done, 0) as visits_done,
        coalesce(trained.customers_reached, 0) as customers_reached,
        coalesce(residency.residency_staff, 0) as residency_staff,
        coalesce(residency.residency_days, 0) as residency_days,
        coalesce(profit.gross_profit_yuan, 0) as gross_profit_yuan,
        case when (select min(month) from customer_monthly) <= $ly_from::date
            then coalesce(profit.gross_profit_last_year_yuan, 0) end as gross_profit_last_year_yuan
    from keyed
    -- a grouping row's unit and id as two equalities (hash joins): a `case` on both sides made each join a
    -- nested loop over every pair of units (a province's 13,728: 2.8 s -> 0.4 s)
    left join satisfaction
        on keyed.unit = if(satisfaction.station_id is null, 'route', 'station')
        and keyed.unit_id = coalesce(satisfaction.station_id, satisfaction.route_id)
    left join plans
        on keyed.unit = if(plans.station_id is null, 'route', 'station')
        and keyed.unit_id = coalesce(plans.station_id, plans.route_id)
    left join done
        on keyed.unit = if(done.station_id is null, 'route', 'station')
        and keyed.unit_id = coalesce(done.station_id, done.route_id)
    left join trained
        on keyed.unit = if(trained.station_id is null, 'route', 'station')
        and keyed.unit_id = coalesce(trained.station_id, trained.route_id)
    left join residency
        on keyed.unit = if(residency.station_id is null, 'route', 'station')
        and keyed.unit_id = coalesce(residency.station_id, residency.route_id)
    left join profit
        on keyed.unit = if(profit.station_id is null, 'route', 'station')
        and keyed.unit_id = coalesce(profit.station_id, profit.route_id)
),

final as (
    select
        joined.*,
        coalesce(stations.name, routes.name) as unit_name,
        coalesce(stations.station_id, routes.station_id) as station_id,
        station_of.name as station_name,
        visits_done / nullif(visits_planned, 0) as visits_done_rate,
        customers_reached / nullif(customers_active, 0) as training_coverage,
        residency_days / nullif(residency_staff, 0) as residency_avg_days_per_staff,
        gross_profit_yuan / nullif(gross_profit_last_year_yuan, 0) - 1 as gross_profit_yoy
    from joined
    left join stations on joined.unit = 'station' and stations.station_id = joined.unit_id
    left join routes on joined.unit = 'route' and routes.route_id = joined.unit_id
    left join stations as station_of on station_of.station_id = coalesce(stations.station_id, routes.station_id)
)

select * from final
order by unit, unit_id
