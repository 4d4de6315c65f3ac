-- Bare scan for the benchmark: the POS sales rows the nine-grid's three periods read ($first_day..$last_day),
-- and the customers, read with no join and no grouping.
select
    (select count(*) + max(customer_id) + max(length(route_id)) from customers where has_pos) as customers,
    (select count(*) + max(customer_id) + max(sku_id) + max(units) + max(revenue_yuan)
        + max(gross_profit_yuan) + max(transactions) + max(basket_value_yuan) + max(avg_stock_units)
        from product_sales_monthly where month between $first_day::date and $last_day::date) as sales
