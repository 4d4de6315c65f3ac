-- One customer's surveys up to $date_to, oldest first: the satisfaction history by dimension.
with

final as (
    select
        survey_id, surveyed_on, wave, supply, ordering, delivery, customer_manager, settlement,
        complaint_handling, market_regulation, overall
    from surveys
    where customer_id = $customer_id::bigint
      and surveyed_on <= $date_to::date
    order by surveyed_on, survey_id
)

select * from final
