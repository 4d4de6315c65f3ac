-- Active in-scope customers with no training attended in the 12 months up to $date_to, by route and id:
-- their ids and routes (names, types and the route's and station's names come apart, from
-- queries/customer/names.sql, for the rows a table shows).
with

period as (
    select $date_from::date as date_from, $date_to::date as date_to
),

scoped as (
    select customer_id, route_id, status, opened_on
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

trained as (
    select distinct training_attendance.customer_id
    from training_attendance
    join training_sessions using (session_id)
    cross join period
    where training_sessions.held_on <= period.date_to
      and training_sessions.held_on > period.date_to - interval 12 month
),

-- ids alone, in the list's order: a province has 330,000 of them and the texts of each cost seconds;
-- the rows a table shows (or a download) fetch theirs from queries/customer/names.sql
final as (
    select scoped.customer_id, scoped.route_id
    from scoped
    cross join period
    where scoped.status = 'active'
      and scoped.opened_on <= period.date_to
      and scoped.customer_id not in (select customer_id from trained)
    order by scoped.route_id, scoped.customer_id
)

select * from final
