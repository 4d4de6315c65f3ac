-- The store: every table of DESIGN.md section 4, with keys, foreign keys and code/range checks,
-- and the shared macros that every named query builds on. Applied by dashboard.store.apply_schema.
-- Stage-time order of tickets is not a CHECK: imported data may break it and the pages must cope;
-- the contract tests assert it on the demo and fixture DBs, the importer validates it.
-- Scores and money are DECIMAL: sums are exact, so a mean is the same on every run and thread count.

create table if not exists stations (
    station_id varchar primary key,
    name varchar not null,
    town_code varchar not null,
    lon double not null check (lon between 73 and 136),
    lat double not null check (lat between 3 and 54)
);

create table if not exists staff (
    staff_id varchar primary key,
    name varchar not null,
    role varchar not null check (role in ('customer_manager', 'inspector', 'station_head', 'delivery')),
    station_id varchar not null references stations (station_id),
    phone varchar
);

create table if not exists routes (
    route_id varchar primary key,
    station_id varchar not null references stations (station_id),
    name varchar not null,
    customer_manager_id varchar not null references staff (staff_id),
    inspector_id varchar references staff (staff_id),
    visit_weekday tinyint not null check (visit_weekday between 1 and 7)
);

create table if not exists customers (
    customer_id bigint primary key,
    license_no varchar not null unique check (regexp_full_match(license_no, '[0-9]{12}')),
    shop_name varchar not null,
    owner_name varchar not null,
    phone varchar,
    address varchar,
    route_id varchar not null references routes (route_id),
    business_type varchar not null check (business_type in ('Z', 'B', 'S', 'Y', 'F', 'M', 'Q')),
    market_type varchar not null check (market_type in ('C', 'X')),
    scale tinyint not null check (scale between 1 and 3),
    grade tinyint not null check (grade between 1 and 30),
    credit varchar not null check (credit in ('AAA', 'AA', 'A', 'B', 'C', 'D')),
    order_weekday tinyint check (order_weekday between 1 and 7),
    has_pos boolean not null default false,
    lon double not null check (lon between 73 and 136),
    lat double not null check (lat between 3 and 54),
    opened_on date not null,
    status varchar not null check (status in ('active', 'suspended', 'closed'))
);

create table if not exists customer_monthly (
    customer_id bigint not null references customers (customer_id),
    month date not null check (day(month) = 1),
    tobacco_orders_yuan decimal(14, 2) not null check (tobacco_orders_yuan >= 0),
    tobacco_gross_profit_yuan decimal(14, 2) not null,
    nontobacco_revenue_yuan decimal(14, 2) check (nontobacco_revenue_yuan >= 0),
    nontobacco_gross_profit_yuan decimal(14, 2),
    primary key (customer_id, month)
);

create table if not exists surveys (
    survey_id bigint primary key,
    customer_id bigint not null references customers (customer_id),
    surveyed_on date not null,
    wave varchar not null,
    supply decimal(5, 2) check (supply between 0 and 100),
    ordering decimal(5, 2) check (ordering between 0 and 100),
    delivery decimal(5, 2) check (delivery between 0 and 100),
    customer_manager decimal(5, 2) check (customer_manager between 0 and 100),
    settlement decimal(5, 2) check (settlement between 0 and 100),
    complaint_handling decimal(5, 2) check (complaint_handling between 0 and 100),
    market_regulation decimal(5, 2) check (market_regulation between 0 and 100),
    overall decimal(5, 2) not null check (overall between 0 and 100)
);

create table if not exists tickets (
    ticket_id bigint primary key,
    customer_id bigint not null references customers (customer_id),
    channel varchar not null check (
        channel in ('hotline_12313', 'ordering_web', 'qr_miniprogram', 'wechat', 'ai_service', 'staff_entry')
    ),
    kind varchar not null check (kind in ('consultation', 'complaint', 'report', 'suggestion')),
    topic varchar not null check (
        topic in ('supply', 'price', 'service_attitude', 'delivery', 'ordering_system', 'settlement',
                  'grade', 'licensing', 'other')
    ),
    first_owner_id varchar references staff (staff_id),
    received_at timestamp not null,
    responded_at timestamp,
    routed_at timestamp,
    resolved_at timestamp,
    callback_at timestamp,
    callback_result varchar check (callback_result in ('satisfied', 'basic', 'unsatisfied')),
    reopened_count integer not null default 0 check (reopened_count >= 0)
);

create table if not exists visit_plans (
    staff_id varchar not null references staff (staff_id),
    customer_id bigint not null references customers (customer_id),
    planned_on date not null,
    primary key (staff_id, customer_id, planned_on)
);

create table if not exists visits (
    visit_id bigint primary key,
    staff_id varchar not null references staff (staff_id),
    customer_id bigint not null references customers (customer_id),
    kind varchar not null check (kind in ('routine', 'joint', 'residency', 'callback')),
    started_at timestamp not null,
    ended_at timestamp check (ended_at >= started_at),
    checkin_distance_m double check (checkin_distance_m >= 0),
    tasks_required integer not null default 0 check (tasks_required >= 0),
    tasks_done integer not null default 0 check (tasks_done between 0 and tasks_required)
);

create table if not exists training_sessions (
    session_id bigint primary key,
    held_on date not null,
    format varchar not null check (format in ('classroom', 'guidance', 'livestream')),
    topic varchar not null check (
        topic in ('policy', 'operations', 'display', 'digital', 'brand', 'law')
    ),
    station_id varchar not null references stations (station_id),
    is_rural boolean not null default false,
    trainer_id varchar references staff (staff_id),
    hours decimal(5, 1) not null check (hours > 0),
    viewers integer check (viewers >= 0)
);

create table if not exists training_attendance (
    session_id bigint not null references training_sessions (session_id),
    customer_id bigint not null references customers (customer_id),
    primary key (session_id, customer_id)
);

create table if not exists residencies (
    residency_id bigint primary key,
    staff_id varchar not null references staff (staff_id),
    customer_id bigint not null references customers (customer_id),
    start_on date not null,
    days integer not null check (days between 1 and 60),
    focus varchar not null check (focus in ('display', 'brand', 'digital', 'pricing', 'management'))
);

create table if not exists products (
    sku_id integer primary key,
    name varchar not null,
    category varchar not null check (
        category in ('drinks', 'snacks', 'grocery', 'daily', 'liquor', 'dairy', 'frozen', 'other')
    )
);

create table if not exists product_sales_monthly (
    customer_id bigint not null references customers (customer_id),
    sku_id integer not null references products (sku_id),
    month date not null check (day(month) = 1),
    units double not null check (units >= 0),
    revenue_yuan decimal(14, 2) not null check (revenue_yuan >= 0),
    gross_profit_yuan decimal(14, 2) not null,
    transactions integer not null check (transactions >= 0),
    basket_value_yuan decimal(14, 2) not null check (basket_value_yuan >= 0),
    avg_stock_units double check (avg_stock_units >= 0),
    primary key (customer_id, sku_id, month)
);

-- Imports (dashboard/ingest): one row per file of every import run, applied or not, and the rows it
-- quarantined with the reason (a locale key under ingest.reason and its arguments as JSON), so nothing
-- an admin loaded is lost.
create table if not exists import_log (
    import_id integer not null,
    file_no integer not null,
    imported_at timestamp not null,
    user_name varchar not null,
    file_name varchar not null,
    sha256 varchar not null,
    table_name varchar,
    file_format varchar,
    encoding varchar,
    status varchar not null check (status in ('applied', 'partial', 'rejected', 'refused')),
    strict boolean not null,
    rows_read integer not null,
    rows_new integer not null,
    rows_updated integer not null,
    rows_unchanged integer not null,
    rows_rejected integer not null,
    seconds double not null,
    reason varchar,
    reason_args varchar,
    primary key (import_id, file_no)
);

create table if not exists import_rejects (
    import_id integer not null,
    file_no integer not null,
    reject_no integer not null,
    row_number integer not null,
    column_name varchar not null,
    value varchar not null,
    reason varchar not null,
    reason_args varchar not null,
    raw_row varchar not null,
    primary key (import_id, file_no, reject_no)
);

-- The customers in scope: one row per customer matching the filters, with its station.
-- An empty list (or a null customer) means "no filter on this field". Stored in the file so every
-- cursor sees it.
create or replace macro scoped_customers(p_stations, p_routes, p_btypes, p_markets, p_customer) as table
    select c.*, r.station_id
    from customers as c
    join routes as r on r.route_id = c.route_id
    where (len(p_stations) = 0 or list_contains(p_stations, r.station_id))
      and (len(p_routes) = 0 or list_contains(p_routes, c.route_id))
      and (len(p_btypes) = 0 or list_contains(p_btypes, c.business_type))
      and (len(p_markets) = 0 or list_contains(p_markets, c.market_type))
      and (p_customer is null or c.customer_id = p_customer);

-- Tickets as they stood at p_end, the start of the day after a period: a stage time at or after it has
-- not happened yet, and a ticket received from p_end on does not exist yet (DESIGN.md section 5).
create or replace macro tickets_as_of(p_end) as table
    select
        ticket_id, customer_id, channel, kind, topic, first_owner_id, received_at,
        case when responded_at < p_end then responded_at end as responded_at,
        case when routed_at < p_end then routed_at end as routed_at,
        case when resolved_at < p_end then resolved_at end as resolved_at,
        case when callback_at < p_end then callback_at end as callback_at,
        case when callback_at < p_end then callback_result end as callback_result,
        reopened_count
    from tickets
    where received_at < p_end;
