-- What the rollups were built from (dashboard/rollups.sql, section rollup_state), beside the row count of
-- every raw table they are built from now (answered from table metadata).
select
    rollup_state.version,
    rollup_state.settings,
    rollup_state.source_counts,
    to_json({
        'customers': (select count(*) from customers),
        'routes': (select count(*) from routes),
        'staff': (select count(*) from staff),
        'customer_monthly': (select count(*) from customer_monthly),
        'surveys': (select count(*) from surveys),
        'tickets': (select count(*) from tickets),
        'visit_plans': (select count(*) from visit_plans),
        'visits': (select count(*) from visits),
        'training_sessions': (select count(*) from training_sessions),
        'training_attendance': (select count(*) from training_attendance),
        'residencies': (select count(*) from residencies),
        'product_sales_monthly': (select count(*) from product_sales_monthly)
    })::varchar as counts_now
from rollup_state
