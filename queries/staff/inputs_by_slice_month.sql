-- The inputs of the three-labor indices as queries/staff/inputs_monthly.sql gives them (same columns, same
-- figures), for the whole company but one business type or one market ($slice 'btypes' or 'markets', its
-- $code) and periods that are each one calendar month: read from rollup_staff_inputs_slice_month (that
-- query run per slice with every month as a period), numbered in the order asked.
with

periods as (
    select unnest($period_starts::date[]) as date_from, generate_subscripts($period_starts::date[], 1) as period_no
),

final as (
    select periods.period_no, rolled.* exclude (period_no, slice, code)
    from rollup_staff_inputs_slice_month as rolled
    join periods using (date_from)
    where rolled.slice = $slice and rolled.code = $code
)

select * from final
order by period_no, staff_id
