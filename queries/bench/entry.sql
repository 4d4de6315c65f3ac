-- Bare scan for the benchmark: the rows the entry script's queries read (stations, routes, and the time
-- columns that give the data range), read with no join and no grouping.
select
    (select count(*) + max(length(name)) from stations) as stations,
    (select count(*) + max(length(name)) + max(length(station_id)) from routes) as routes,
    (select max(received_at) from tickets) as tickets,
    (select max(started_at) from visits) as visits,
    (select max(month) from customer_monthly) as customer_monthly
