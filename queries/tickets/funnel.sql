-- The closed loop of the tickets received in the period, as of E: per stage, how many reached it, the
-- median hours from receipt to it, and how many sit at it now (their furthest stage with a time).
-- Out-of-order times are kept: a stage stamped before the receipt counts 0 hours, never negative.
with

period as (
    select
        $date_from::date as date_from,
        ($date_to::date + interval 1 day)::timestamp as end_ts
),

scoped as (
    select customer_id
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

received as (
    select
        tickets.received_at,
        tickets.responded_at,
        tickets.routed_at,
        tickets.resolved_at,
        tickets.callback_at
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

staged as (
    select
        *,
        case
            when callback_at is not null then 'callback'
            when resolved_at is not null then 'resolved'
            when routed_at is not null then 'routed'
            when responded_at is not null then 'responded'
            else 'received'
        end as stage
    from received
),

stage_times as (
    select 1 as step, 'received' as stage, received_at as reached_at, received_at from staged
    union all
    select 2, 'responded', responded_at, received_at from staged
    union all
    select 3, 'routed', routed_at, received_at from staged
    union all
    select 4, 'resolved', resolved_at, received_at from staged
    union all
    select 5, 'callback', callback_at, received_at from staged
),

reached as (
    select
        step,
        stage,
        count(reached_at) as n_reached,
        -- of the tickets that reached it: greatest() skips a NULL, so an unreached ticket would count 0 hours
        median(greatest(date_diff('second', received_at, reached_at) / 3600.0, 0))
            filter (where reached_at is not null) as median_hours
    from stage_times
    group by step, stage
),

now_at as (
    select stage, count(*) as n_now from staged group by stage
),

final as (
    select reached.step, reached.stage, reached.n_reached, reached.median_hours, coalesce(now_at.n_now, 0) as n_now
    from reached
    left join now_at using (stage)
)

select * from final
order by step
