-- Non-tobacco sales per SKU as queries/nine_grid/sku_totals.sql gives them (same columns, same figures),
-- read from rollup_sku_month at $level ('all', or 'station' when stations are chosen), for a period holding
-- months' first days and no route or single store chosen (the caller checks). n_stores is the period's for
-- one month; for several, nine_grid/sku_stores_monthly.sql counts each store once.
with

sales as (
    select *
    from rollup_sku_month
    where level = $level
      and month between $date_from::date and $date_to::date
      and (len($stations::varchar[]) = 0 or list_contains($stations::varchar[], station_id))
      and (len($btypes::varchar[]) = 0 or list_contains($btypes::varchar[], business_type))
      and (len($markets::varchar[]) = 0 or list_contains($markets::varchar[], market_type))
),

monthly_stock as (
    select sku_id, month, sum(stock_units) as stock_units
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
        sum(n_stores)::bigint as n_stores,  -- in one month each store is in one group
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
