-- The POS stores that sold each SKU in any of $months (first days of calendar months), each store counted
-- once, read from rollup_sku_stores: n_stores of queries/nine_grid/sku_totals.sql for a period of several
-- whole months and no route or single store chosen (the caller checks). Station, business type and market
-- type filter as sku_totals_monthly.sql does.
with

period as (
    select year(m)::smallint as year, sum(1 << (month(m) - 1))::smallint as months
    from (select unnest($months::date[]) as m)
    group by all
),

-- not materialized: each branch below reads the rollup itself, and only the one that applies aggregates
sold as not materialized (
    select sku_id, customer_id, (select count(*) from period) as n_years
    from rollup_sku_stores
    join period using (year)
    where
        months_sold & period.months <> 0
        and (len($stations::varchar[]) = 0 or list_contains($stations::varchar[], station_id))
        and (len($btypes::varchar[]) = 0 or list_contains($btypes::varchar[], business_type))
        and (len($markets::varchar[]) = 0 or list_contains($markets::varchar[], market_type))
)

-- within one calendar year a store is one row of a SKU; across years, one row a year, so counted once
-- (a country's quarter: 0.15 s to count rows, 1.5 s to count distinct stores)
select sku_id, count(*) as n_stores from sold where n_years = 1 group by sku_id
union all
select sku_id, count(distinct customer_id) as n_stores from sold where n_years > 1 group by sku_id
order by sku_id
