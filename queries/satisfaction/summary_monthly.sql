-- Per station, route and business type: the in-scope customers open by $date_to (count, summed
-- position) and what their latest surveys add up to (rollup_satisfaction_month: counts, the follow-up
-- rule, each score's sum and count), for a $date_to that is a month's last day. The satisfaction page
-- draws the cards, charts and map dots of a scope from these rows instead of one row a customer; off the
-- rollups, dashboard.satisfaction.summarise groups the frame of satisfaction/customers the same way
-- (tests/test_rollups.py checks both agree). A one-customer scope ($customer) is never asked here: the
-- rollup has no customer in its grain.
with

customer_counts as (
    select station_id, route_id, business_type, count(*) as n_customers, sum(lon) as sum_lon,
        sum(lat) as sum_lat
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint)
    where opened_on <= $date_to::date
    group by station_id, route_id, business_type
),

survey_sums as (
    select
        station_id,
        route_id,
        business_type,
        sum(n_surveyed) as n_surveyed,
        sum(n_low) as n_low,
        sum(n_follow_up) as n_follow_up,
        sum(sum_overall) as sum_overall,
        sum(sum_supply) as sum_supply,
        sum(n_supply) as n_supply,
        sum(sum_ordering) as sum_ordering,
        sum(n_ordering) as n_ordering,
        sum(sum_delivery) as sum_delivery,
        sum(n_delivery) as n_delivery,
        sum(sum_customer_manager) as sum_customer_manager,
        sum(n_customer_manager) as n_customer_manager,
        sum(sum_settlement) as sum_settlement,
        sum(n_settlement) as n_settlement,
        sum(sum_complaint_handling) as sum_complaint_handling,
        sum(n_complaint_handling) as n_complaint_handling,
        sum(sum_market_regulation) as sum_market_regulation,
        sum(n_market_regulation) as n_market_regulation
    from rollup_satisfaction_month
    where rollup_satisfaction_month.month = date_trunc('month', $date_to::date)  -- a constant: a range on the scan
      and rollup_satisfaction_month.is_open
      and (len($stations::varchar[]) = 0 or list_contains($stations::varchar[], station_id))
      and (len($routes::varchar[]) = 0 or list_contains($routes::varchar[], route_id))
      and (len($btypes::varchar[]) = 0 or list_contains($btypes::varchar[], business_type))
      and (len($markets::varchar[]) = 0 or list_contains($markets::varchar[], market_type))
    group by station_id, route_id, business_type
),

final as (
    select
        customer_counts.station_id,
        customer_counts.route_id,
        customer_counts.business_type,
        customer_counts.n_customers,
        coalesce(survey_sums.n_surveyed, 0)::bigint as n_surveyed,
        coalesce(survey_sums.n_low, 0)::bigint as n_low,
        coalesce(survey_sums.n_follow_up, 0)::bigint as n_follow_up,
        customer_counts.sum_lon,
        customer_counts.sum_lat,
        survey_sums.sum_overall::double as sum_overall,
        survey_sums.sum_supply::double as sum_supply,
        coalesce(survey_sums.n_supply, 0)::bigint as n_supply,
        survey_sums.sum_ordering::double as sum_ordering,
        coalesce(survey_sums.n_ordering, 0)::bigint as n_ordering,
        survey_sums.sum_delivery::double as sum_delivery,
        coalesce(survey_sums.n_delivery, 0)::bigint as n_delivery,
        survey_sums.sum_customer_manager::double as sum_customer_manager,
        coalesce(survey_sums.n_customer_manager, 0)::bigint as n_customer_manager,
        survey_sums.sum_settlement::double as sum_settlement,
        coalesce(survey_sums.n_settlement, 0)::bigint as n_settlement,
        survey_sums.sum_complaint_handling::double as sum_complaint_handling,
        coalesce(survey_sums.n_complaint_handling, 0)::bigint as n_complaint_handling,
        survey_sums.sum_market_regulation::double as sum_market_regulation,
        coalesce(survey_sums.n_market_regulation, 0)::bigint as n_market_regulation
    from customer_counts
    left join survey_sums using (station_id, route_id, business_type)
)

select * from final
order by station_id, route_id, business_type
