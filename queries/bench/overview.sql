-- Bare scan for the benchmark: the rows the overview's queries read for the period and the one before
-- ($first_day..$last_day) and the surveys of the 12 months before, read with no join and no grouping.
select
    (select count(*) + max(customer_id) + max(length(route_id) + length(business_type)
        + length(market_type) + length(status)) + max(epoch(opened_on)) from customers) as customers,
    (select count(*) + max(customer_id) + max(survey_id) + max(overall) from surveys
        where surveyed_on > $first_day::date - interval 12 month and surveyed_on <= $last_day::date) as surveys,
    (select count(*) + max(customer_id) from tickets
        where received_at >= $first_day::date and received_at < $last_day::date + interval 1 day) as tickets,
    (select count(*) + max(customer_id) from visit_plans
        where planned_on between $first_day::date and $last_day::date) as plans,
    (select count(*) + max(customer_id) + max(length(kind)) from visits
        where started_at >= $first_day::date and started_at < $last_day::date + interval 1 day) as visits,
    (select count(*) + max(session_id) + max(viewers) + max(length(station_id)) from training_sessions
        where held_on between $first_day::date and $last_day::date) as sessions,
    (select count(*) + max(session_id) + max(customer_id) from training_attendance) as attendance,
    (select count(*) + max(customer_id) + max(days) + max(length(staff_id)) from residencies
        where start_on between $first_day::date and $last_day::date) as residencies
