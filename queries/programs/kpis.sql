-- Training and residency figures of one scope and period (DESIGN.md section 5); one row.
-- In-scope stations are the stations of the in-scope customers.
with

period as (
    select $date_from::date as date_from, $date_to::date as date_to
),

scoped as (
    select customer_id, station_id, opened_on, status
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

scoped_stations as (
    select distinct station_id from scoped
),

sessions as (
    select training_sessions.*
    from training_sessions
    join scoped_stations using (station_id)
    cross join period
    where training_sessions.held_on between period.date_from and period.date_to
),

attendance as (
    select training_attendance.customer_id
    from training_attendance
    join training_sessions using (session_id)
    join scoped using (customer_id)
    cross join period
    where training_sessions.held_on between period.date_from and period.date_to
),

session_counts as (
    select
        count(*) as training_sessions,
        count(*) filter (where is_rural) as training_rural_sessions,
        coalesce(sum(viewers) filter (where format = 'livestream'), 0)::bigint as training_livestream_viewers
    from sessions
),

attendance_counts as (
    select
        count(*) as n_attendance_rows,
        count(distinct customer_id) as training_customers_reached
    from attendance
),

active_customers as (
    select count(*) as n_customers
    from scoped, period
    where scoped.opened_on <= period.date_to and scoped.status = 'active'
),

residency_counts as (
    select
        count(distinct residencies.staff_id) as residency_staff,
        count(distinct residencies.customer_id) as residency_stores,
        coalesce(sum(residencies.days), 0)::bigint as residency_days
    from residencies
    join scoped using (customer_id)
    cross join period
    where residencies.start_on between period.date_from and period.date_to
),

final as (
    select
        session_counts.training_sessions,
        session_counts.training_rural_sessions,
        attendance_counts.n_attendance_rows + session_counts.training_livestream_viewers
            as training_attendances,
        attendance_counts.training_customers_reached,
        active_customers.n_customers,
        attendance_counts.training_customers_reached / nullif(active_customers.n_customers, 0)
            as training_coverage,
        session_counts.training_livestream_viewers,
        residency_counts.*,
        residency_days / nullif(residency_staff, 0) as residency_avg_days_per_staff
    from session_counts, attendance_counts, active_customers, residency_counts
)

select * from final
