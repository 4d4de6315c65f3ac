-- The calendar months the company-wide monthly rollups hold (rollup_staff_inputs_month, rollup_trend_month,
-- rollup_units_month, rollup_ranking_month, rollup_headlines_month; a month of no managers has no rows in
-- the first).
select month from rollup_company_months order by month
