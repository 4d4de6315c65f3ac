-- The inputs of the three-labor indices as queries/staff/inputs_monthly.sql gives them (same columns, same
-- figures), for the whole company and periods that are each one calendar month: read from
-- rollup_staff_inputs_month (that query run with every month as a period), numbered in the order asked.
with

periods as (
    select unnest($period_starts::date[]) as date_from, generate_subscripts($period_starts::date[], 1) as period_no
),

final as (
    select periods.period_no, rolled.* exclude (period_no)
    from rollup_staff_inputs_month as rolled
    join periods using (date_from)
)

select * from final
order by period_no, staff_id
