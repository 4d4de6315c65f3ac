-- Bare scan for the benchmark: the tickets the complaint page's queries read (received in the period and
-- the one before; the backlog reads every ticket received before the end), and the customers.
select
    (select count(*) + max(customer_id) + max(length(route_id) + length(shop_name)) from customers) as customers,
    (select count(*) + max(customer_id) + max(length(kind) + length(channel) + length(topic))
        + max(epoch(received_at)) + max(epoch(responded_at)) + max(epoch(routed_at))
        + max(epoch(resolved_at)) + max(epoch(callback_at)) + max(length(callback_result))
        from tickets where received_at < $last_day::date + interval 1 day) as tickets
