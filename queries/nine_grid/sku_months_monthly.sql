-- Non-tobacco sales per SKU and month as queries/nine_grid/sku_months.sql gives them (same columns, same
-- figures), read from rollup_sku_month at $level ('all', or 'station' when stations are chosen), for no
-- route and no single store chosen (the caller checks).
with

final as (
    select
        month,
        sku_id,
        sum(units) as units,
        sum(revenue_yuan) as revenue_yuan,
        sum(gross_profit_yuan) as gross_profit_yuan,
        sum(transactions) as transactions,
        sum(basket_value_yuan) as basket_value_yuan,
        sum(stock_units) as avg_stock_units
    from rollup_sku_month
    where level = $level
      and month in (select unnest($months::date[]))
      and (len($stations::varchar[]) = 0 or list_contains($stations::varchar[], station_id))
      and (len($btypes::varchar[]) = 0 or list_contains($btypes::varchar[], business_type))
      and (len($markets::varchar[]) = 0 or list_contains($markets::varchar[], market_type))
    group by month, sku_id
)

select * from final
order by month, sku_id
