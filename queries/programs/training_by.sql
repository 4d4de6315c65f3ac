-- Sessions held in the period at in-scope stations, and their attendance by in-scope customers (plus
-- livestream viewers), broken down by format, station, topic and month: one row per dimension and code.
with

period as (
    select $date_from::date as date_from, $date_to::date as date_to
),

scoped as (
    select customer_id, station_id
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

sessions as (
    select training_sessions.*, stations.name as station_name
    from training_sessions
    join stations using (station_id)
    cross join period
    where training_sessions.held_on between period.date_from and period.date_to
      and training_sessions.station_id in (select station_id from scoped)
),

attended as (
    select training_attendance.session_id, count(*) as n_attendances
    from training_attendance
    join scoped using (customer_id)
    group by training_attendance.session_id
),

per_session as (
    select
        sessions.*,
        coalesce(attended.n_attendances, 0) + coalesce(sessions.viewers, 0) as n_attendances,
        strftime(date_trunc('month', sessions.held_on), '%Y-%m') as month
    from sessions
    left join attended using (session_id)
),

unpivoted as (
    select 'format' as dimension, format as code, format as name, * exclude (format) from per_session
    union all by name
    select 'station' as dimension, station_id as code, station_name as name, * from per_session
    union all by name
    select 'topic' as dimension, topic as code, topic as name, * from per_session
    union all by name
    select 'month' as dimension, month as code, month as name, * from per_session
),

final as (
    select
        dimension,
        code,
        any_value(name) as name,
        count(*) as n_sessions,
        count(*) filter (where is_rural) as n_rural_sessions,
        sum(n_attendances)::bigint as n_attendances
    from unpivoted
    group by dimension, code
    order by dimension, code
)

select * from final
