-- Bare scan for the benchmark: the rows the training page's queries read (sessions, attendance,
-- residencies, and around the effect's quarter the monthly figures and surveys), no join, no grouping.
select
    (select count(*) + max(customer_id) + max(length(route_id) + length(shop_name) + length(owner_name))
        from customers) as customers,
    (select count(*) + max(session_id) + max(viewers) + max(length(station_id) + length(format)
        + length(topic)) from training_sessions) as sessions,
    (select count(*) + max(session_id) + max(customer_id) from training_attendance) as attendance,
    (select count(*) + max(customer_id) + max(days) + max(length(staff_id) + length(focus))
        from residencies) as residencies,
    (select count(*) + max(customer_id) + max(tobacco_gross_profit_yuan) + max(nontobacco_gross_profit_yuan)
        from customer_monthly where month between $first_day::date and $last_day::date) as monthly,
    (select count(*) + max(customer_id) + max(survey_id) + max(overall) from surveys
        where surveyed_on >= $first_day::date - interval 12 month) as surveys
