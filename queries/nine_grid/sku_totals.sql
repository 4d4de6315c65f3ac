-- Non-tobacco sales per SKU over the months whose first day is in the period, for the POS stores in
-- scope (one store when the scope names a customer). Stock: the stores' total per month,
-- averaged over the months (DESIGN.md section 5).
with

scoped as (
    select customer_id
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
    where has_pos
),

sales as (
    select product_sales_monthly.*
    from product_sales_monthly
    join scoped using (customer_id)
    where month between $date_from::date and $date_to::date
),

monthly_stock as (
    select sku_id, month, sum(avg_stock_units) as stock_units
    from sales
    group by sku_id, month
),

stock as (
    select sku_id, avg(stock_units) as avg_stock_units
    from monthly_stock
    group by sku_id
),

totals as (
    select
        sku_id,
        sum(units) as units,
        sum(revenue_yuan) as revenue_yuan,
        sum(gross_profit_yuan) as gross_profit_yuan,
        sum(transactions) as transactions,
        sum(basket_value_yuan) as basket_value_yuan,
        count(distinct customer_id) as n_stores,
        count(distinct month) as n_months
    from sales
    group by sku_id
),

final as (
    select totals.*, stock.avg_stock_units, products.name as sku_name, products.category
    from totals
    join stock using (sku_id)
    join products using (sku_id)
)

select * from final
order by sku_id
