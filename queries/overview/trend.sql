-- The overview's sparklines: its SQL-computed target measures for each calendar month in $months
-- (first days), each month as a period of its own by the KPI definitions of DESIGN.md section 5
-- (tickets received in the month judged as of the start of the next month), and the counts of the
-- context row, for a month that is the period before or last year's. One row per month.
with

months as (
    select
        unnest($months::date[]) as month,
        (month + interval 1 month - interval 1 day)::date as month_last,
        (month + interval 1 month)::timestamp as end_ts
),

scoped as (
    select customer_id, station_id, opened_on, status
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

targets as (
    select
        unnest($resolution_kinds::varchar[]) as kind,
        unnest($resolution_hours::double[]) as target_hours
),

latest_surveys as (
    select months.month, surveys.overall
    from surveys
    join scoped using (customer_id)
    join months
        on surveys.surveyed_on <= months.month_last
       and surveys.surveyed_on > months.month_last - interval 12 month
    qualify row_number() over (
        partition by months.month, surveys.customer_id order by surveys.surveyed_on desc, surveys.survey_id desc
    ) = 1
),

satisfaction as (
    select month, avg(overall) as satisfaction_overall_mean
    from latest_surveys
    group by month
),

-- materialized: the scope's tickets of the months first (inlined, DuckDB 2.0 matched every ticket of the
-- span to its month before the scope cut them: a province station's 13 months, 560,000 rows for 300)
scoped_tickets as materialized (
    select tickets.*
    from tickets
    semi join scoped using (customer_id)
    where tickets.received_at >= list_min($months::date[])::timestamp
      and tickets.received_at < (list_max($months::date[]) + interval 1 month)::timestamp
),

received as (
    select
        months.month,
        targets.target_hours,
        date_diff('second', tickets.received_at, months.end_ts) / 3600.0 as age_hours,
        case when tickets.responded_at < months.end_ts
            then date_diff('second', tickets.received_at, tickets.responded_at) / 3600.0 end as response_hours,
        case when tickets.resolved_at < months.end_ts
            then date_diff('second', tickets.received_at, tickets.resolved_at) / 3600.0 end as resolution_hours,
        tickets.responded_at < months.end_ts and tickets.routed_at < months.end_ts
            and tickets.resolved_at < months.end_ts and tickets.callback_at < months.end_ts as is_closed_loop
    from scoped_tickets as tickets
    join months on tickets.received_at >= months.month and tickets.received_at < months.end_ts
    left join targets on targets.kind = tickets.kind
),

ticket_rates as (
    select
        month,
        count(*) filter (where response_hours <= $response_target_hours) / nullif(count(*) filter (
            where response_hours is not null or age_hours > $response_target_hours
        ), 0) as response_sla_rate,
        count(*) filter (where resolution_hours <= target_hours) / nullif(count(*) filter (
            where resolution_hours <= target_hours or resolution_hours > target_hours
               or (resolution_hours is null and age_hours > target_hours)
        ), 0) as resolution_sla_rate,
        count(*) filter (where is_closed_loop) / count(*) as closed_loop_rate,
        count(*) as tickets_received
    from received
    group by month
),

plans as (
    select months.month, count(*) as visits_planned
    from visit_plans
    join scoped using (customer_id)
    join months on visit_plans.planned_on between months.month and months.month_last
    group by months.month
),

done as (
    select months.month, count(*) as visits_done
    from visits
    join scoped using (customer_id)
    join months on visits.started_at >= months.month and visits.started_at < months.end_ts
    where visits.kind in ('routine', 'joint')
    group by months.month
),

trained as (
    select months.month, count(distinct training_attendance.customer_id) as customers_reached
    from training_attendance
    join training_sessions using (session_id)
    join scoped using (customer_id)
    join months on training_sessions.held_on between months.month and months.month_last
    group by months.month
),

customer_counts as (
    select
        months.month,
        count(*) as customers_in_scope,
        count(*) filter (where scoped.status = 'active') as customers_active
    from scoped
    join months on scoped.opened_on <= months.month_last
    group by months.month
),

sessions as (
    select
        months.month,
        count(*) as training_sessions,
        count(*) filter (where training_sessions.is_rural) as training_rural_sessions
    from training_sessions
    join (select distinct station_id from scoped) using (station_id)
    join months on training_sessions.held_on between months.month and months.month_last
    group by months.month
),

residency as (
    select
        months.month,
        sum(residencies.days) / count(distinct residencies.staff_id) as residency_avg_days_per_staff,
        count(distinct residencies.customer_id) as residency_stores,
        count(distinct residencies.staff_id) as residency_staff,
        sum(residencies.days)::bigint as residency_days
    from residencies
    join scoped using (customer_id)
    join months on residencies.start_on between months.month and months.month_last
    group by months.month
),

profit as (
    select
        customer_monthly.month,
        sum(customer_monthly.tobacco_gross_profit_yuan
            + coalesce(customer_monthly.nontobacco_gross_profit_yuan, 0)) as gross_profit_yuan
    from customer_monthly
    join scoped using (customer_id)
    where customer_monthly.month in (select month from months)
    group by customer_monthly.month
),

final as (
    select
        months.month,
        satisfaction.satisfaction_overall_mean,
        ticket_rates.response_sla_rate,
        ticket_rates.resolution_sla_rate,
        ticket_rates.closed_loop_rate,
        coalesce(done.visits_done, 0) / nullif(plans.visits_planned, 0) as visits_done_rate,
        coalesce(trained.customers_reached, 0) / nullif(customer_counts.customers_active, 0)
            as training_coverage,
        residency.residency_avg_days_per_staff,
        coalesce(profit.gross_profit_yuan, 0) as gross_profit_yuan,
        -- the context row's counts (the month as the period before, beside the headline figures)
        coalesce(customer_counts.customers_in_scope, 0) as customers_in_scope,
        coalesce(ticket_rates.tickets_received, 0) as tickets_received,
        coalesce(done.visits_done, 0) as visits_done,
        coalesce(sessions.training_sessions, 0) as training_sessions,
        coalesce(residency.residency_stores, 0) as residency_stores,
        -- and what only the current period's context row reads (its captions)
        coalesce(customer_counts.customers_active, 0) as customers_active,
        coalesce(plans.visits_planned, 0) as visits_planned,
        coalesce(sessions.training_rural_sessions, 0) as training_rural_sessions,
        coalesce(residency.residency_staff, 0) as residency_staff,
        coalesce(residency.residency_days, 0) as residency_days
    from months
    left join satisfaction using (month)
    left join ticket_rates using (month)
    left join plans using (month)
    left join done using (month)
    left join trained using (month)
    left join customer_counts using (month)
    left join sessions using (month)
    left join residency using (month)
    left join profit using (month)
)

select * from final
order by month
