-- The residencies (驻店体验) hosted by one customer that started up to $date_to, newest first.
with

final as (
    select
        residencies.residency_id,
        residencies.start_on,
        residencies.days,
        residencies.focus,
        staff.name as staff_name,
        staff.role as staff_role
    from residencies
    left join staff using (staff_id)
    where residencies.customer_id = $customer_id::bigint
      and residencies.start_on <= $date_to::date
    order by residencies.start_on desc, residencies.residency_id desc
)

select * from final
