-- Residencies (驻店体验) at in-scope customers starting in the period: one row each, with staff and store.
with

period as (
    select $date_from::date as date_from, $date_to::date as date_to
),

scoped as (
    select customer_id, shop_name, route_id, station_id
    from scoped_customers(
        $stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint
    )
),

final as (
    select
        residencies.residency_id,
        residencies.staff_id,
        staff.name as staff_name,
        staff.role as staff_role,
        residencies.customer_id,
        scoped.shop_name,
        scoped.station_id,
        stations.name as station_name,
        residencies.start_on,
        (residencies.start_on + (residencies.days - 1) * interval 1 day)::date as end_on,
        residencies.days,
        residencies.focus,
        strftime(date_trunc('month', residencies.start_on), '%Y-%m') as month
    from residencies
    join scoped using (customer_id)
    join stations on stations.station_id = scoped.station_id
    left join staff on staff.staff_id = residencies.staff_id
    cross join period
    where residencies.start_on between period.date_from and period.date_to
    order by residencies.start_on, residencies.residency_id
)

select * from final
