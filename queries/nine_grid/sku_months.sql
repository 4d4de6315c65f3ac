-- Non-tobacco sales per SKU and month for the POS stores in scope, each month of $months (first days)
-- on its own: what nine_grid/sku_totals gives for a one-month period, for many months in one pass
-- (the overview's sparkline). Stock: the stores' total of the month.
with

scoped as (
    select customer_id
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
    where has_pos
),

final as (
    select
        sales.month,
        sales.sku_id,
        sum(sales.units) as units,
        sum(sales.revenue_yuan) as revenue_yuan,
        sum(sales.gross_profit_yuan) as gross_profit_yuan,
        sum(sales.transactions) as transactions,
        sum(sales.basket_value_yuan) as basket_value_yuan,
        sum(sales.avg_stock_units) as avg_stock_units
    from product_sales_monthly as sales
    join scoped using (customer_id)
    where sales.month in (select unnest($months::date[]))
    group by sales.month, sales.sku_id
)

select * from final
order by month, sku_id
