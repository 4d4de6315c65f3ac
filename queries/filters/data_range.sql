-- The first and last day the store holds data for (tickets, visits, monthly figures).
with

bounds as (
    select min(received_at)::date as first_day, max(received_at)::date as last_day from tickets
    union all
    select min(started_at)::date, max(started_at)::date from visits
    union all
    select min(month), last_day(max(month)) from customer_monthly
),

final as (
    select min(first_day) as first_day, max(last_day) as last_day
    from bounds
)

select * from final
