-- The row count of every raw table the rollups are built from (answered from table metadata).
select
    (select count(*) from customers) as customers,
    (select count(*) from routes) as routes,
    (select count(*) from staff) as staff,
    (select count(*) from customer_monthly) as customer_monthly,
    (select count(*) from surveys) as surveys,
    (select count(*) from tickets) as tickets,
    (select count(*) from visit_plans) as visit_plans,
    (select count(*) from visits) as visits,
    (select count(*) from training_sessions) as training_sessions,
    (select count(*) from training_attendance) as training_attendance,
    (select count(*) from residencies) as residencies,
    (select count(*) from product_sales_monthly) as product_sales_monthly
