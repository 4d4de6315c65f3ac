-- The row of queries/overview/profit.sql (same figures: exact sums) from rollup_profit_month: the months
-- whose first day is in the period and the same months one year earlier, summed per route, business
-- type and market type at refresh. A one-customer scope ($customer) reads the raw query: the rollup has
-- no customer in its grain.
with

months as (
    select month, gross_profit_yuan
    from rollup_profit_month
    where (month between $date_from::date and $date_to::date or month between $ly_from::date and $ly_to::date)
      and $customer::bigint is null
      and (len($stations::varchar[]) = 0 or list_contains($stations::varchar[], station_id))
      and (len($routes::varchar[]) = 0 or list_contains($routes::varchar[], route_id))
      and (len($btypes::varchar[]) = 0 or list_contains($btypes::varchar[], business_type))
      and (len($markets::varchar[]) = 0 or list_contains($markets::varchar[], market_type))
),

final as (
    select
        coalesce(sum(gross_profit_yuan) filter (
            where month between $date_from::date and $date_to::date
        ), 0) as gross_profit_yuan,
        case when (select min(month) from rollup_profit_month) <= $ly_from::date then
            coalesce(sum(gross_profit_yuan) filter (where month between $ly_from::date and $ly_to::date), 0)
        end as gross_profit_last_year_yuan
    from months
)

select * from final
