-- Bare scan for the benchmark: the rows the three-labor page's queries read over the span of its periods
-- ($first_day..$last_day: the period, the one before, the trend months), with no join and no grouping.
select
    (select count(*) + max(customer_id) + max(length(route_id) + length(status)) from customers) as customers,
    (select count(*) + max(customer_id) + max(length(staff_id)) from visit_plans
        where planned_on between $first_day::date and $last_day::date) as plans,
    (select count(*) + max(customer_id) + max(length(staff_id) + length(kind)) + max(epoch(ended_at))
        + max(checkin_distance_m) + max(tasks_done) + max(tasks_required) from visits
        where started_at >= $first_day::date and started_at < $last_day::date + interval 1 day) as visits,
    (select count(*) + max(customer_id) + max(survey_id) + max(overall) from surveys
        where surveyed_on > $first_day::date - interval 13 month and surveyed_on <= $last_day::date) as surveys,
    (select count(*) + max(customer_id) + max(epoch(resolved_at)) + max(length(kind)) from tickets
        where received_at >= $first_day::date and received_at < $last_day::date + interval 1 day) as tickets,
    (select count(*) + max(customer_id) + max(tobacco_gross_profit_yuan) + max(nontobacco_gross_profit_yuan)
        from customer_monthly
        where month between $first_day::date - interval 1 month and $last_day::date) as monthly,
    (select count(*) + max(session_id) from training_sessions
        where held_on between $first_day::date and $last_day::date) as sessions,
    (select count(*) + max(session_id) + max(customer_id) from training_attendance) as attendance,
    (select count(*) + max(customer_id) from residencies
        where start_on between $first_day::date and $last_day::date) as residencies
