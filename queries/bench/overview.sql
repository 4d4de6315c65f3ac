-- Bare scan for the benchmark: the rows the overview's queries read from last year's period to this one
-- ($first_day..$last_day: the three periods compared and the sparkline months), and the surveys of the
-- 12 months before, read with no join and no grouping.
select
    (select count(*) + max(customer_id) + max(length(route_id) + length(business_type)
        + length(market_type) + length(status)) + max(epoch(opened_on)) from customers) as customers,
    (select count(*) + max(customer_id) + max(survey_id) + max(overall) from surveys
        where surveyed_on > $first_day::date - interval 12 month and surveyed_on <= $last_day::date) as surveys,
    (select count(*) + max(customer_id) + max(epoch(resolved_at)) + max(epoch(responded_at)) from tickets
        where received_at >= $first_day::date and received_at < $last_day::date + interval 1 day) as tickets,
    (select count(*) + max(customer_id) + max(length(staff_id)) from visit_plans
        where planned_on between $first_day::date and $last_day::date) as plans,
    (select count(*) + max(customer_id) + max(length(kind) + length(staff_id)) + max(epoch(ended_at))
        + max(checkin_distance_m) + max(tasks_done) from visits
        where started_at >= $first_day::date and started_at < $last_day::date + interval 1 day) as visits,
    (select count(*) + max(customer_id) + max(tobacco_gross_profit_yuan) + max(nontobacco_gross_profit_yuan)
        from customer_monthly where month between $first_day::date and $last_day::date) as monthly,
    (select count(*) + max(customer_id) + max(revenue_yuan) + max(transactions) + max(avg_stock_units)
        from product_sales_monthly where month between $first_day::date and $last_day::date) as sales,
    (select count(*) + max(session_id) + max(viewers) + max(length(station_id)) from training_sessions
        where held_on between $first_day::date and $last_day::date) as sessions,
    (select count(*) + max(session_id) + max(customer_id) from training_attendance) as attendance,
    (select count(*) + max(customer_id) + max(days) + max(length(staff_id)) from residencies
        where start_on between $first_day::date and $last_day::date) as residencies
