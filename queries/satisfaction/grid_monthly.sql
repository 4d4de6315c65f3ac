-- The map's grid at large scales: per square of $cell_size degrees (column floor(lon / size), row
-- floor(lat / size)), the in-scope customers open by $date_to with a latest survey and their mean
-- overall score, for a $date_to that is a month's last day (rollup_survey_month). Off the rollups,
-- dashboard.maps.grid_of groups the per-customer frame the same way.
with

located as (
    select
        floor(scoped.lon / $cell_size::double)::bigint as i,
        floor(scoped.lat / $cell_size::double)::bigint as j,
        rollup_survey_month.overall
    from scoped_customers($stations::varchar[], $routes::varchar[], $btypes::varchar[], $markets::varchar[], $customer::bigint) as scoped
    join rollup_survey_month using (customer_id)
    where rollup_survey_month.month = date_trunc('month', $date_to::date)  -- a constant: a range on the scan
      and scoped.opened_on <= $date_to::date
),

final as (
    select i, j, count(*) as n_surveyed, (sum(overall)::double / count(*)) as mean
    from located
    group by i, j
)

select * from final
order by i, j
