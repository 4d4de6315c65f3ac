-- Sessions of the customer's station in the 12 months up to $date_to (and livestreams anywhere it
-- attended), each with whether the customer attended: what it learned and what it missed.
with

customer_station as (
    select routes.station_id
    from customers
    join routes using (route_id)
    where customers.customer_id = $customer_id::bigint
),

attended as (
    select session_id
    from training_attendance
    where customer_id = $customer_id::bigint
),

final as (
    select
        training_sessions.session_id,
        training_sessions.held_on,
        training_sessions.format,
        training_sessions.topic,
        training_sessions.hours,
        trainer.name as trainer_name,
        attended.session_id is not null as is_attended
    from training_sessions
    left join attended using (session_id)
    left join staff as trainer on trainer.staff_id = training_sessions.trainer_id
    where training_sessions.held_on <= $date_to::date
      and training_sessions.held_on > $date_to::date - interval 12 month
      and (
          attended.session_id is not null
          or training_sessions.station_id in (select station_id from customer_station)
      )
    order by training_sessions.held_on desc, training_sessions.session_id desc
)

select * from final
