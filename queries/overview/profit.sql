-- Customers' gross profit (tobacco + non-tobacco, customer_monthly) of one scope: the months whose first
-- day is in the period, and the same months one year earlier; one row. Last year's figure is null when
-- those months start before the data does (a partial year is no comparison).
with

scoped as (
    select customer_id
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

monthly as (
    select
        customer_monthly.month,
        customer_monthly.tobacco_gross_profit_yuan
            + coalesce(customer_monthly.nontobacco_gross_profit_yuan, 0) as gross_profit_yuan
    from customer_monthly
    join scoped using (customer_id)
    where customer_monthly.month between $date_from::date and $date_to::date
       or customer_monthly.month between $ly_from::date and $ly_to::date
),

final as (
    select
        coalesce(sum(gross_profit_yuan) filter (
            where month between $date_from::date and $date_to::date
        ), 0) as gross_profit_yuan,
        case when (select min(month) from customer_monthly) <= $ly_from::date then
            coalesce(sum(gross_profit_yuan) filter (where month between $ly_from::date and $ly_to::date), 0)
        end as gross_profit_last_year_yuan
    from monthly
)

select * from final
