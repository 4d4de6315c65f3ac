-- The inputs of the three-labor indices as queries/staff/inputs.sql gives them (same columns, same
-- figures), for periods made of whole months: plans and visits come from rollup_staff_month, the latest
-- surveys from rollup_survey_month (one row per customer and month end), the rest from the raw tables.
-- The check-in radius is the one the rollup was built with (dashboard.rollups checks it).
with

periods as (
    select
        unnest($period_starts::date[]) as date_from,
        unnest($period_ends::date[]) as date_to,
        unnest($previous_starts::date[]) as previous_from,
        unnest($previous_ends::date[]) as previous_to,
        generate_subscripts($period_starts::date[], 1) as period_no
),

bounded as (
    select *, (date_to + interval 1 day)::timestamp as end_ts, date_trunc('month', date_to)::date as last_month
    from periods
),

period_months as (
    select period_no, unnest(generate_series(date_from, date_to, interval 1 month))::date as month
    from bounded
),

scoped as (
    select customer_id, route_id, opened_on, status
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
),

targets as (
    select
        unnest($resolution_kinds::varchar[]) as kind,
        unnest($resolution_hours::double[]) as target_hours
),

-- the scope's active customers and their manager: a customer is assigned in a period opened by its end.
-- Each source below joins these (one row a customer) and checks that, rather than joining `assigned` (one
-- row a customer and period: a province's business type over 13 periods, 900,000 rows as a hash table)
managed as (
    select scoped.customer_id, scoped.opened_on, routes.customer_manager_id as staff_id
    from scoped
    join routes using (route_id)
    where scoped.status = 'active'
),

assigned as (
    select bounded.period_no, managed.staff_id, managed.customer_id
    from managed
    join bounded on managed.opened_on <= bounded.date_to
),

assigned_counts as (
    select period_no, staff_id, count(*) as assigned
    from assigned
    group by all
),

-- materialized: the scope's customers cut rollup_staff_month in its scan; inlined, DuckDB 2.0 joined every
-- customer's rows to `assigned` first (a station's 13 months at province: 2.3 s -> 0.16 s)
activity as materialized (
    select period_months.period_no, rollup_staff_month.*
    from rollup_staff_month
    join period_months using (month)
    semi join scoped using (customer_id)
),

activity_counts as (
    select
        activity.period_no,
        activity.staff_id,
        sum(activity.planned)::bigint as planned,
        sum(activity.done)::bigint as done,
        count(distinct activity.customer_id) filter (
            where activity.done > 0
                and managed.staff_id = activity.staff_id and managed.opened_on <= bounded.date_to
        ) as visited,
        sum(activity.on_plan)::bigint as on_plan,
        sum(activity.visit_seconds) / 3600.0 as visit_hours,
        sum(activity.tasks_done) as tasks_done,
        sum(activity.tasks_required) as tasks_required,
        sum(activity.checked_in)::bigint as checked_in,
        sum(activity.joint)::bigint as joint,
        sum(activity.joint_with_inspector)::bigint as joint_with_inspector
    from activity
    join bounded using (period_no)
    left join managed using (customer_id)
    group by all
),

-- Below, each source's rows of the scope are first taken with their customer's manager and opening day (a
-- row a source row) and only then matched to the periods. Joined three ways, DuckDB 2.0 paired every
-- customer with every period first (a province's business type: 1.2 M pairs as the build side of each
-- source's join, and 16.5 M rows out of the profit's).
survey_rows as materialized (
    select latest.month, latest.overall, managed.staff_id, managed.opened_on
    from rollup_survey_month as latest
    join managed using (customer_id)
    where latest.month in (select last_month from bounded)
),

satisfaction as (
    -- the filter keeps DuckDB's own decimal average, as in the raw query (next to a count(*) DuckDB
    -- would rewrite it as sum / count, which can differ in the last bit)
    select
        bounded.period_no,
        latest.staff_id,
        count(*) as surveyed,
        avg(latest.overall) filter (where latest.overall is not null)::double as satisfaction_mean
    from survey_rows as latest
    join bounded on latest.month = bounded.last_month
    where latest.opened_on <= bounded.date_to
    group by all
),

judged_tickets as (
    select
        bounded.period_no,
        managed.staff_id,
        targets.target_hours,
        case
            when tickets.resolved_at < bounded.end_ts
                then date_diff('second', tickets.received_at, tickets.resolved_at) / 3600.0
        end as resolution_hours,
        date_diff('second', tickets.received_at, bounded.end_ts) / 3600.0 as age_hours
    from tickets
    join managed using (customer_id)
    join bounded on tickets.received_at >= bounded.date_from and tickets.received_at < bounded.end_ts
    left join targets using (kind)
    where managed.opened_on <= bounded.date_to
),

ticket_counts as (
    select
        period_no,
        staff_id,
        count(*) filter (where resolution_hours <= target_hours) as sla_met,
        count(*) filter (
            where resolution_hours > target_hours or (resolution_hours is null and age_hours > target_hours)
        ) as sla_breach
    from judged_tickets
    group by all
),

profit_months as (
    select period_no, month, false as is_previous from period_months
    union all
    select period_no, unnest(generate_series(previous_from, previous_to, interval 1 month))::date, true
    from bounded
),

-- materialized: the months' rows of the scope's customers first (inlined, DuckDB 2.0 built a table of
-- every customer and period-month and probed it with every row of customer_monthly)
profit_rows as materialized (
    select
        m.month,
        m.tobacco_gross_profit_yuan + m.nontobacco_gross_profit_yuan as gp,
        managed.staff_id,
        managed.opened_on
    from customer_monthly as m
    join managed using (customer_id)
    where m.month between list_min($previous_starts::date[]) and list_max($period_ends::date[])
),

profit as (
    select
        profit_months.period_no,
        m.staff_id,
        sum(m.gp) filter (where not profit_months.is_previous)::double as gp_yuan,
        sum(m.gp) filter (where profit_months.is_previous)::double as gp_previous_yuan
    from profit_rows as m
    join profit_months using (month)
    join bounded using (period_no)
    where m.opened_on <= bounded.date_to
    group by all
),

-- the span's training and residency days of the scope's customers (a row a customer and day)
trained_rows as materialized (
    select training_attendance.customer_id, training_sessions.held_on as day, managed.staff_id, managed.opened_on
    from training_attendance
    join training_sessions using (session_id)
    join managed using (customer_id)
    where training_sessions.held_on between list_min($period_starts::date[]) and list_max($period_ends::date[])
    union all
    select residencies.customer_id, residencies.start_on, managed.staff_id, managed.opened_on
    from residencies
    join managed using (customer_id)
    where residencies.start_on between list_min($period_starts::date[]) and list_max($period_ends::date[])
),

trained_customers as (
    select distinct bounded.period_no, trained_rows.staff_id, trained_rows.customer_id
    from trained_rows
    join bounded on trained_rows.day between bounded.date_from and bounded.date_to
    where trained_rows.opened_on <= bounded.date_to
),

trained as (
    select period_no, staff_id, count(distinct customer_id) as trained
    from trained_customers
    group by all
),

final as (
    select
        assigned_counts.period_no,
        bounded.date_from,
        bounded.date_to,
        assigned_counts.staff_id,
        staff.name as staff_name,
        staff.station_id,
        stations.name as station_name,
        assigned_counts.assigned,
        coalesce(activity_counts.planned, 0) as planned,
        coalesce(activity_counts.done, 0) as done,
        coalesce(activity_counts.visited, 0) as visited,
        coalesce(activity_counts.on_plan, 0) as on_plan,
        coalesce(activity_counts.visit_hours, 0)::double as visit_hours,
        coalesce(activity_counts.tasks_done, 0) as tasks_done,
        coalesce(activity_counts.tasks_required, 0) as tasks_required,
        coalesce(activity_counts.checked_in, 0) as checked_in,
        coalesce(activity_counts.joint, 0) as joint,
        coalesce(activity_counts.joint_with_inspector, 0) as joint_with_inspector,
        coalesce(satisfaction.surveyed, 0) as surveyed,
        satisfaction.satisfaction_mean,
        coalesce(ticket_counts.sla_met, 0) as sla_met,
        coalesce(ticket_counts.sla_breach, 0) as sla_breach,
        coalesce(profit.gp_yuan, 0) as gp_yuan,
        coalesce(profit.gp_previous_yuan, 0) as gp_previous_yuan,
        coalesce(trained.trained, 0) as trained
    from assigned_counts
    join staff using (staff_id)
    join stations on stations.station_id = staff.station_id
    join bounded using (period_no)
    left join activity_counts using (period_no, staff_id)
    left join satisfaction using (period_no, staff_id)
    left join ticket_counts using (period_no, staff_id)
    left join profit using (period_no, staff_id)
    left join trained using (period_no, staff_id)
    where staff.role = 'customer_manager'
)

select * from final
order by period_no, staff_id
