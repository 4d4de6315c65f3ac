-- The inputs of the three-labor indices (DESIGN.md section 5): one row per customer manager and period.
-- Periods come as parallel lists (the scope's period, the one before it, the trend months), each with the
-- period before it for the profit growth; one pass serves the ranking, its rank change and the trend.
-- A manager is listed for a period when at least one active in-scope customer on their routes is assigned
-- (opened by the period end). Records belong to the scope through their customer; figures are as of E.
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
    select *, (date_to + interval 1 day)::timestamp as end_ts
    from periods
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

assigned as (
    select bounded.period_no, routes.customer_manager_id as staff_id, scoped.customer_id
    from scoped
    join routes using (route_id)
    cross join bounded
    where scoped.status = 'active' and scoped.opened_on <= bounded.date_to
),

assigned_counts as (
    select period_no, staff_id, count(*) as assigned
    from assigned
    group by all
),

plans as (
    select bounded.period_no, visit_plans.staff_id, visit_plans.customer_id, visit_plans.planned_on
    from visit_plans
    join scoped using (customer_id)
    join bounded on visit_plans.planned_on between bounded.date_from and bounded.date_to
    where visit_plans.planned_on between list_min($period_starts::date[]) and list_max($period_ends::date[])
),

plan_counts as (
    select period_no, staff_id, count(*) as planned
    from plans
    group by all
),

-- materialized, and the span's bounds as constants of the parameters (not subqueries over `bounded`): the
-- scope's visits are cut in the scan; otherwise DuckDB 2.0 joined every visit of the span to the periods
-- first (a province station's custom period: 4.4 s -> 0.3 s)
scoped_visits as materialized (
    select visits.*
    from visits
    semi join scoped using (customer_id)
    where visits.kind in ('routine', 'joint')
      and visits.started_at >= list_min($period_starts::date[])
      and visits.started_at < (list_max($period_ends::date[]) + interval 1 day)::timestamp
),

done as (
    select
        bounded.period_no,
        visits.staff_id,
        visits.customer_id,
        visits.kind,
        visits.started_at,
        greatest(date_diff('second', visits.started_at, visits.ended_at), 0) as visit_seconds,
        visits.checkin_distance_m,
        visits.tasks_required,
        visits.tasks_done
    from scoped_visits as visits
    join bounded on visits.started_at >= bounded.date_from and visits.started_at < bounded.end_ts
),

inspector_days as (
    select distinct visits.customer_id, visits.started_at::date as visited_on
    from visits
    join staff using (staff_id)
    semi join scoped using (customer_id)
    where visits.kind = 'joint' and staff.role = 'inspector'
      and visits.started_at >= list_min($period_starts::date[])
      and visits.started_at < (list_max($period_ends::date[]) + interval 1 day)::timestamp
),

done_flagged as (
    select
        done.*,
        plans.planned_on is not null as is_on_plan,
        assigned.customer_id is not null as is_assigned,
        inspector_days.customer_id is not null as has_inspector
    from done
    left join (select distinct period_no, staff_id, customer_id, planned_on from plans) as plans
        on plans.period_no = done.period_no and plans.staff_id = done.staff_id
        and plans.customer_id = done.customer_id and plans.planned_on = done.started_at::date
    left join assigned
        on assigned.period_no = done.period_no and assigned.staff_id = done.staff_id
        and assigned.customer_id = done.customer_id
    left join inspector_days
        on inspector_days.customer_id = done.customer_id and inspector_days.visited_on = done.started_at::date
),

done_counts as (
    select
        period_no,
        staff_id,
        count(*) as done,
        count(distinct customer_id) filter (where is_assigned) as visited,
        count(*) filter (where is_on_plan) as on_plan,
        sum(visit_seconds) / 3600.0 as visit_hours,  -- whole seconds summed: the same on every run
        sum(tasks_done) as tasks_done,
        sum(tasks_required) as tasks_required,
        count(*) filter (where checkin_distance_m <= $checkin_m) as checked_in,
        count(*) filter (where kind = 'joint') as joint,
        count(*) filter (where kind = 'joint' and has_inspector) as joint_with_inspector
    from done_flagged
    group by all
),

latest_surveys as (
    select assigned.period_no, assigned.staff_id, surveys.overall
    from surveys
    join assigned using (customer_id)
    join bounded using (period_no)
    where surveys.surveyed_on <= bounded.date_to
      and surveys.surveyed_on > bounded.date_to - interval 12 month
      and surveys.surveyed_on > list_min($period_starts::date[]) - interval 13 month
      and surveys.surveyed_on <= list_max($period_ends::date[])
    qualify row_number() over (
        partition by assigned.period_no, assigned.staff_id, surveys.customer_id
        order by surveys.surveyed_on desc, surveys.survey_id desc
    ) = 1
),

satisfaction as (
    select period_no, staff_id, count(*) as surveyed, avg(overall)::double as satisfaction_mean
    from latest_surveys
    group by all
),

judged_tickets as (
    select
        assigned.period_no,
        assigned.staff_id,
        targets.target_hours,
        case
            when tickets.resolved_at < bounded.end_ts
                then date_diff('second', tickets.received_at, tickets.resolved_at) / 3600.0
        end as resolution_hours,
        date_diff('second', tickets.received_at, bounded.end_ts) / 3600.0 as age_hours
    from tickets
    join assigned using (customer_id)
    join bounded using (period_no)
    left join targets using (kind)
    where tickets.received_at >= bounded.date_from and tickets.received_at < bounded.end_ts
      and tickets.received_at >= list_min($period_starts::date[])
      and tickets.received_at < (list_max($period_ends::date[]) + interval 1 day)::timestamp
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

profit as (
    select
        assigned.period_no,
        assigned.staff_id,
        sum(m.tobacco_gross_profit_yuan + m.nontobacco_gross_profit_yuan) filter (
            where m.month between bounded.date_from and bounded.date_to
        )::double as gp_yuan,
        sum(m.tobacco_gross_profit_yuan + m.nontobacco_gross_profit_yuan) filter (
            where m.month between bounded.previous_from and bounded.previous_to
        )::double as gp_previous_yuan
    from customer_monthly as m
    join assigned using (customer_id)
    join bounded
        on bounded.period_no = assigned.period_no
        and m.month between least(bounded.previous_from, bounded.date_from) and bounded.date_to
    group by all
),

trained_customers as (
    select assigned.period_no, assigned.staff_id, training_attendance.customer_id
    from training_attendance
    join training_sessions using (session_id)
    join assigned using (customer_id)
    join bounded using (period_no)
    where training_sessions.held_on between bounded.date_from and bounded.date_to
    union
    select assigned.period_no, assigned.staff_id, residencies.customer_id
    from residencies
    join assigned using (customer_id)
    join bounded using (period_no)
    where residencies.start_on between bounded.date_from and bounded.date_to
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
        coalesce(plan_counts.planned, 0) as planned,
        coalesce(done_counts.done, 0) as done,
        coalesce(done_counts.visited, 0) as visited,
        coalesce(done_counts.on_plan, 0) as on_plan,
        coalesce(done_counts.visit_hours, 0)::double as visit_hours,
        coalesce(done_counts.tasks_done, 0) as tasks_done,
        coalesce(done_counts.tasks_required, 0) as tasks_required,
        coalesce(done_counts.checked_in, 0) as checked_in,
        coalesce(done_counts.joint, 0) as joint,
        coalesce(done_counts.joint_with_inspector, 0) as joint_with_inspector,
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
    left join plan_counts using (period_no, staff_id)
    left join done_counts using (period_no, staff_id)
    left join satisfaction using (period_no, staff_id)
    left join ticket_counts using (period_no, staff_id)
    left join profit using (period_no, staff_id)
    left join trained using (period_no, staff_id)
    where staff.role = 'customer_manager'
)

select * from final
order by period_no, staff_id
