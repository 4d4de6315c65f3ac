-- One customer's monthly orders and gross profit, the 12 months up to the month of $date_to.
with

window_months as (
    select
        date_trunc('month', $date_to::date) - interval 11 month as first_month,
        date_trunc('month', $date_to::date) as last_month
),

final as (
    select
        customer_monthly.month,
        customer_monthly.tobacco_orders_yuan,
        customer_monthly.tobacco_gross_profit_yuan,
        customer_monthly.nontobacco_revenue_yuan,
        customer_monthly.nontobacco_gross_profit_yuan
    from customer_monthly
    cross join window_months
    where customer_monthly.customer_id = $customer_id::bigint
      and customer_monthly.month between window_months.first_month and window_months.last_month
    order by customer_monthly.month
)

select * from final
