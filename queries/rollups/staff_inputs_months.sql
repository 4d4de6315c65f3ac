-- The calendar months rollup_staff_inputs_month holds (a month of no managers has no rows there).
select month from rollup_staff_inputs_months order by month
