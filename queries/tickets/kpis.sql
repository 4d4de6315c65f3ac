-- The tickets KPIs of one scope and period (DESIGN.md section 5); one row.
-- T = tickets of in-scope customers received in $date_from..$date_to. Figures are as of E = $date_to + 1 day:
-- a stage time at or after E has not happened. Stage times out of order are taken as they are: a response
-- stamped before the receipt is within 24 h (met), never a crash.
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

targets as (
    select
        unnest($resolution_kinds::varchar[]) as kind,
        unnest($resolution_hours::double[]) as target_hours
),

received as (
    select
        tickets.kind,
        tickets.received_at,
        tickets.responded_at,
        tickets.routed_at,
        tickets.resolved_at,
        tickets.callback_at,
        tickets.callback_result,
        tickets.reopened_count,
        date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at >= period.date_from and tickets.received_at < period.end_ts
),

timed as (
    select
        received.*,
        targets.target_hours,
        date_diff('second', received_at, responded_at) / 3600.0 as response_hours,
        date_diff('second', received_at, resolved_at) / 3600.0 as resolution_hours
    from received
    left join targets using (kind)
),

flagged as (
    select
        *,
        case
            when response_hours <= $response_target_hours then 'met'
            when response_hours > $response_target_hours then 'breach'
            when age_hours > $response_target_hours then 'breach'
        end as response_sla,
        case
            when resolution_hours <= target_hours then 'met'
            when resolution_hours > target_hours then 'breach'
            when age_hours > target_hours then 'breach'
        end as resolution_sla
    from timed
),

period_figures as (
    select
        count(*) as received,
        count(*) filter (where response_sla = 'met') as response_met,
        count(*) filter (where response_sla = 'breach') as response_breach,
        median(response_hours) as response_hours_median,
        count(*) filter (where resolution_sla = 'met') as resolution_met,
        count(*) filter (where resolution_sla = 'breach') as resolution_breach,
        count(resolved_at) as resolved,
        count(*) filter (where resolved_at is not null and callback_at is not null) as called_back,
        count(*) filter (
            where resolved_at is not null and callback_result in ('satisfied', 'basic')
        ) as callback_satisfied,
        count(*) filter (
            where responded_at is not null and routed_at is not null and resolved_at is not null
              and callback_at is not null
        ) as closed_loop,
        count(*) filter (where reopened_count > 0) as reopened
    from flagged
),

open_at_end as (
    select date_diff('second', tickets.received_at, period.end_ts) / 3600.0 as age_hours
    from tickets_as_of(($date_to::date + interval 1 day)::timestamp) as tickets
    join scoped using (customer_id)
    cross join period
    where tickets.received_at < period.end_ts
      and tickets.resolved_at is null
),

backlog as (
    select
        count(*) as backlog,
        count(*) filter (where age_hours < 24) as backlog_lt_24h,
        count(*) filter (where age_hours >= 24 and age_hours < 72) as backlog_1_3d,
        count(*) filter (where age_hours >= 72 and age_hours < 168) as backlog_3_7d,
        count(*) filter (where age_hours >= 168) as backlog_gt_7d
    from open_at_end
),

final as (
    select
        period_figures.*,
        response_met / nullif(response_met + response_breach, 0) as response_sla_rate,
        resolution_met / nullif(resolution_met + resolution_breach, 0) as resolution_sla_rate,
        called_back / nullif(resolved, 0) as callback_rate,
        callback_satisfied / nullif(called_back, 0) as callback_satisfied_rate,
        closed_loop / nullif(received, 0) as closed_loop_rate,
        backlog.*
    from period_figures, backlog
)

select * from final
