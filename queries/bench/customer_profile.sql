-- Bare scan for the benchmark: one customer's rows in every table the profile reads, found by a scan of
-- each table for $customer_id (no join, no grouping).
select
    (select count(*) from customers where customer_id = $customer_id) as customers,
    (select count(*) + max(tobacco_orders_yuan) from customer_monthly where customer_id = $customer_id) as monthly,
    (select count(*) + max(overall) from surveys where customer_id = $customer_id) as surveys,
    (select count(*) + max(epoch(received_at)) from tickets where customer_id = $customer_id) as tickets,
    (select count(*) + max(epoch(started_at)) from visits where customer_id = $customer_id) as visits,
    (select count(*) + max(session_id) from training_attendance where customer_id = $customer_id) as attendance,
    (select count(*) + max(session_id) from training_sessions) as sessions,
    (select count(*) + max(days) from residencies where customer_id = $customer_id) as residencies,
    (select count(*) + max(units) + max(revenue_yuan) from product_sales_monthly
        where customer_id = $customer_id and month between $first_day::date and $last_day::date) as sales
