-- The rollups: pre-aggregated tables rebuilt from the raw tables by dashboard.rollups.refresh, one
-- `create or replace table` per `-- rollup:` section, in this order, inside the caller's transaction.
-- Each keeps the keys a scope filters on, so a page reading it gets exactly the figures of the raw
-- tables for the scopes and periods it is used for (tests/test_rollups.py checks every KPI both ways).

-- rollup: rollup_staff_month
-- Per staff member, customer and month: the plans, and the routine or joint visits with what the
-- three-labor indices count of them. A visit is on plan when the same person had a plan for the same
-- customer that day; a joint visit has its inspector when an inspector made a joint visit to the customer
-- that day (both are facts of the day, so a month's counts serve any period made of whole months).
create or replace table rollup_staff_month as
with

plans as (
    select staff_id, customer_id, date_trunc('month', planned_on)::date as month, count(*) as planned
    from visit_plans
    group by all
),

plan_days as (
    select distinct staff_id, customer_id, planned_on
    from visit_plans
),

inspector_days as (
    select distinct visits.customer_id, visits.started_at::date as visited_on
    from visits
    join staff using (staff_id)
    where visits.kind = 'joint' and staff.role = 'inspector'
),

done as (
    select
        visits.staff_id,
        visits.customer_id,
        date_trunc('month', visits.started_at)::date as month,
        count(*) as done,
        count(*) filter (where plan_days.planned_on is not null) as on_plan,
        sum(greatest(date_diff('second', visits.started_at, visits.ended_at), 0))::bigint as visit_seconds,
        sum(visits.tasks_done)::bigint as tasks_done,
        sum(visits.tasks_required)::bigint as tasks_required,
        count(*) filter (where visits.checkin_distance_m <= $checkin_m) as checked_in,
        count(*) filter (where visits.kind = 'joint') as joint,
        count(*) filter (where visits.kind = 'joint' and inspector_days.customer_id is not null)
            as joint_with_inspector
    from visits
    left join plan_days
        on plan_days.staff_id = visits.staff_id and plan_days.customer_id = visits.customer_id
        and plan_days.planned_on = visits.started_at::date
    left join inspector_days
        on inspector_days.customer_id = visits.customer_id
        and inspector_days.visited_on = visits.started_at::date
    where visits.kind in ('routine', 'joint')
    group by all
),

final as (
    select
        coalesce(plans.staff_id, done.staff_id) as staff_id,
        coalesce(plans.customer_id, done.customer_id) as customer_id,
        coalesce(plans.month, done.month) as month,
        coalesce(plans.planned, 0) as planned,
        coalesce(done.done, 0) as done,
        coalesce(done.on_plan, 0) as on_plan,
        coalesce(done.visit_seconds, 0) as visit_seconds,
        coalesce(done.tasks_done, 0) as tasks_done,
        coalesce(done.tasks_required, 0) as tasks_required,
        coalesce(done.checked_in, 0) as checked_in,
        coalesce(done.joint, 0) as joint,
        coalesce(done.joint_with_inspector, 0) as joint_with_inspector
    from plans
    full join done using (staff_id, customer_id, month)
)

select * from final
order by month, staff_id, customer_id;

-- rollup: rollup_survey_month
-- Per customer and month: the customer's latest survey as of the month's last day among those of the 12
-- months up to it (DESIGN.md section 5: for a period ending on a month's last day, the window
-- (to - 12 months, to] is exactly those 12 months), with the survey just before it (any age).
create or replace table rollup_survey_month as
with

ordered as (
    select
        surveys.*,
        lag(surveyed_on) over by_date as previous_surveyed_on,
        lag(overall) over by_date as previous_overall
    from surveys
    window by_date as (partition by customer_id order by surveyed_on, survey_id)
),

-- a survey is a candidate at the end of its own month and of the 11 months after it
candidates as (
    select
        ordered.*,
        unnest(generate_series(
            date_trunc('month', surveyed_on), date_trunc('month', surveyed_on) + interval 11 month,
            interval 1 month
        ))::date as month
    from ordered
),

latest as (
    select
        customer_id,
        month,
        arg_max(
            struct_pack(
                survey_id, surveyed_on, wave, supply, ordering, delivery, customer_manager, settlement,
                complaint_handling, market_regulation, overall, previous_surveyed_on, previous_overall
            ),
            (surveyed_on, survey_id)
        ) as survey
    from candidates
    group by customer_id, month
),

final as (
    select customer_id, month, unnest(survey)
    from latest
)

select * from final
order by month, customer_id;

-- rollup: rollup_satisfaction_month
-- Per month, route, business type, market type and whether the customers had opened by the month's end:
-- what their latest surveys of rollup_survey_month add up to. The satisfaction page's cards, charts and
-- map dots of a large scope, and the dimension means, read these few rows instead of a row a customer.
-- Sums stay DECIMAL (exact: a mean from them equals one from the raw surveys, whatever the order of the
-- threads); the follow-up rule compares doubles, as the per-customer frame does.
create or replace table rollup_satisfaction_month as
with

flagged as (
    select
        rollup_survey_month.*,
        routes.station_id,
        customers.route_id,
        customers.business_type,
        customers.market_type,
        customers.opened_on <= last_day(rollup_survey_month.month) as is_open,
        rollup_survey_month.overall::double < $low_score::double as is_low,
        rollup_survey_month.overall::double - rollup_survey_month.previous_overall::double
            <= -$drop_points::double as is_drop
    from rollup_survey_month
    join customers using (customer_id)
    join routes on routes.route_id = customers.route_id
),

final as (
    select
        month, station_id, route_id, business_type, market_type, is_open,
        count(overall) as n_surveyed,
        count(*) filter (where is_low) as n_low,
        count(*) filter (where is_low or is_drop) as n_follow_up,
        sum(overall) as sum_overall,
        count(overall) as n_overall,
        sum(supply) as sum_supply,
        count(supply) as n_supply,
        sum(ordering) as sum_ordering,
        count(ordering) as n_ordering,
        sum(delivery) as sum_delivery,
        count(delivery) as n_delivery,
        sum(customer_manager) as sum_customer_manager,
        count(customer_manager) as n_customer_manager,
        sum(settlement) as sum_settlement,
        count(settlement) as n_settlement,
        sum(complaint_handling) as sum_complaint_handling,
        count(complaint_handling) as n_complaint_handling,
        sum(market_regulation) as sum_market_regulation,
        count(market_regulation) as n_market_regulation
    from flagged
    group by month, station_id, route_id, business_type, market_type, is_open
)

select * from final
order by month, station_id, route_id, business_type, market_type, is_open;

-- rollup: rollup_profit_month
-- Per month, route, business type and market type: the customers' gross profit (tobacco + non-tobacco)
-- of customer_monthly, an exact DECIMAL sum. overview/profit_monthly adds up a period's and last year's
-- months from these rows instead of scanning a province's 11 million customer-months for each.
create or replace table rollup_profit_month as
select
    customer_monthly.month,
    routes.station_id,
    customers.route_id,
    customers.business_type,
    customers.market_type,
    sum(customer_monthly.tobacco_gross_profit_yuan
        + coalesce(customer_monthly.nontobacco_gross_profit_yuan, 0)) as gross_profit_yuan
from customer_monthly
join customers using (customer_id)
join routes on routes.route_id = customers.route_id
group by all
order by month, station_id, route_id, business_type, market_type;

-- rollup: rollup_gp_window_month
-- Per customer and month M: the mean monthly gross profit (tobacco + non-tobacco, where both are known) of
-- the customer over the $window_months months before M, by the same avg() the programs effect takes (of
-- DECIMALs: an exact sum, so the same double). The effect reads a period's "before" at its first month
-- and its "after" at the month after the window that follows it: two rows a customer instead of
-- averaging a province's 4 million customer-months.
create or replace table rollup_gp_window_month as
select
    customer_monthly.customer_id,
    (customer_monthly.month + to_months(shifts.k))::date as month,
    avg(customer_monthly.tobacco_gross_profit_yuan + customer_monthly.nontobacco_gross_profit_yuan)
        as gp_mean
from customer_monthly
cross join (select unnest(range(1, $window_months::integer + 1)) as k) as shifts
group by all
order by month, customer_id;

-- rollup: rollup_sku_month
-- Non-tobacco sales of the POS stores per SKU and month at two levels, each keeping business type and
-- market type: 'all' (the whole company) and 'station'. The nine-grid reads the coarsest level its filters
-- allow; a route or a single store reads the raw table (a route holds a handful of POS stores: a route
-- level would be nearly as big as the raw table). n_stores counts the stores of a group, so it adds up
-- over groups within one month (not over months: a store sells every month).
create or replace table rollup_sku_month as
with

by_station as (
    select
        'station' as level,
        routes.station_id,
        customers.business_type,
        customers.market_type,
        s.sku_id,
        s.month,
        sum(s.units) as units,
        sum(s.revenue_yuan) as revenue_yuan,
        sum(s.gross_profit_yuan) as gross_profit_yuan,
        sum(s.transactions) as transactions,
        sum(s.basket_value_yuan) as basket_value_yuan,
        sum(s.avg_stock_units) as stock_units,
        count(*) as n_stores  -- one row per store, SKU and month (the table's key)
    from product_sales_monthly as s
    join customers using (customer_id)
    join routes using (route_id)
    where customers.has_pos
    group by all
),

by_company as (
    select
        'all' as level, null::varchar, business_type, market_type, sku_id, month,
        sum(units), sum(revenue_yuan), sum(gross_profit_yuan), sum(transactions), sum(basket_value_yuan),
        sum(stock_units), sum(n_stores)::bigint
    from by_station
    group by all
)

select * from by_station
union all
select * from by_company
order by level, month, station_id, sku_id;

-- rollup: rollup_sku_stores
-- Per SKU, POS store and calendar year: the months of the year in which the store sold the SKU, as bits
-- (bit 0 January), with the store's station, business type and market type. The stores of a period of
-- several months are the ones with a bit of the period set, each counted once (n_stores of
-- nine_grid/sku_stores_monthly.sql): rollup_sku_month's n_stores add up within one month only. A city's
-- 14 million sales rows are 1.8 million here, and a quarter's stores count in ~30 ms instead of ~60.
create or replace table rollup_sku_stores as
select
    s.sku_id,
    s.customer_id,
    year(s.month)::smallint as year,
    bit_or(1 << (month(s.month) - 1))::smallint as months_sold,
    any_value(routes.station_id) as station_id,
    any_value(customers.business_type) as business_type,
    any_value(customers.market_type) as market_type
from product_sales_monthly as s
join customers using (customer_id)
join routes using (route_id)
where customers.has_pos
group by s.sku_id, s.customer_id, year(s.month)
order by year, station_id, sku_id;

-- rollup: rollup_visit_month
-- Per customer and month: the start of the customer's last visit (any kind) up to the month's end, for
-- every month from its first visit to the last month of the data (as filters/data_range has it).
create or replace table rollup_visit_month as
with

monthly as (
    select customer_id, date_trunc('month', started_at)::date as month, max(started_at) as last_visit_at
    from visits
    group by all
),

months as (
    select unnest(generate_series(
        (select min(month) from monthly),
        greatest(
            (select max(month) from monthly),
            (select date_trunc('month', max(received_at))::date from tickets),
            (select max(month) from customer_monthly)
        ),
        interval 1 month
    ))::date as month
),

firsts as (
    select customer_id, min(month) as first_month
    from monthly
    group by customer_id
),

filled as (
    select
        firsts.customer_id,
        months.month,
        max(monthly.last_visit_at) over (
            partition by firsts.customer_id order by months.month rows unbounded preceding
        ) as last_visit_at
    from firsts
    join months on months.month >= firsts.first_month
    left join monthly on monthly.customer_id = firsts.customer_id and monthly.month = months.month
)

select * from filled
order by month, customer_id;

-- rollup: rollup_state
-- What the rollups were built from: the definitions' digest, the settings baked in, the raw tables' row
-- counts (dashboard.rollups.ready compares them with the store before a page reads a rollup).
create or replace table rollup_state as
select
    $version::varchar as version,
    $settings::varchar as settings,
    $source_counts::varchar as source_counts,
    current_timestamp as refreshed_at;
