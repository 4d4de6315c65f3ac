-- Bare scan for the benchmark: the rows the satisfaction page's queries read: every customer, the surveys
-- up to the period end, the visits and tickets before it (last visit, open tickets).
select
    (select count(*) + max(customer_id) + max(lon) + max(lat) + max(length(shop_name) + length(address))
        from customers) as customers,
    (select count(*) + max(customer_id) + max(survey_id) + max(overall) + max(supply) + max(ordering)
        + max(delivery) + max(customer_manager) + max(settlement) + max(complaint_handling)
        + max(market_regulation) from surveys where surveyed_on <= $last_day::date) as surveys,
    (select count(*) + max(customer_id) + max(epoch(started_at)) from visits
        where started_at < $last_day::date + interval 1 day) as visits,
    (select count(*) + max(customer_id) + max(epoch(resolved_at)) from tickets
        where received_at < $last_day::date + interval 1 day) as tickets
