-- One customer's visits started before E (the day after $date_to), newest first, at most 50.
with

final as (
    select
        visits.visit_id,
        visits.kind,
        visits.started_at,
        date_diff('minute', visits.started_at, visits.ended_at) as minutes,
        staff.name as staff_name,
        staff.role as staff_role,
        visits.tasks_done,
        visits.tasks_required,
        visits.checkin_distance_m
    from visits
    left join staff using (staff_id)
    where visits.customer_id = $customer_id::bigint
      and visits.started_at < $date_to::date + interval 1 day
    order by visits.started_at desc, visits.visit_id desc
    limit 50
)

select * from final
