"""A tiny hand-checkable store. The test period is October 2026 (E = 2026-11-01 00:00);
rows sit on both sides of every boundary so each KPI's expected value can be worked out by hand.

Two stations: S1 东站 (routes R1, R2) and S2 西站 (route R3).
Customers: 1 (R1 Z C), 2 (R1 B C), 3 (R2 Z X, suspended), 4 (R3 S X), 5 (R3 Z C, opened 2026-10-15),
6 (R3 Y X, opened 2026-11-05: after October).
"""

from pathlib import Path

from dashboard import rollups, store

ROWS = """
insert into stations values
    ('S1', '东站', '370703001', 119.20, 36.80),
    ('S2', '西站', '370703002', 119.10, 36.82);

insert into staff values
    ('CM1', '王客经', 'customer_manager', 'S1', '13800000001'),
    ('CM2', '李客经', 'customer_manager', 'S2', '13800000002'),
    ('IN1', '赵专管', 'inspector', 'S1', '13800000003'),
    ('SH1', '刘站长', 'station_head', 'S1', '13800000004');

insert into routes values
    ('R1', 'S1', '东站1线', 'CM1', 'IN1', 1),
    ('R2', 'S1', '东站2线', 'CM1', 'IN1', 3),
    ('R3', 'S2', '西站1线', 'CM2', null, 2);

insert into customers values
    (1, '370703000001', '张记便利', '张小明', '13900000001', '东街1号', 'R1', 'Z', 'C', 2, 12, 'AA', 2, false,
     119.201, 36.801, '2020-01-01', 'active'),
    (2, '370703000002', '好邻居便利店', '王芳', '13900000002', '东街2号', 'R1', 'B', 'C', 2, 20, 'AAA', 2, true,
     119.202, 36.802, '2019-05-01', 'active'),
    (3, '370703000003', '村口副食', '李强', '13900000003', '北村', 'R2', 'Z', 'X', 3, 5, 'B', 4, false,
     119.210, 36.850, '2018-03-01', 'suspended'),
    (4, '370703000004', '西村超市', '赵丽', '13900000004', '西村', 'R3', 'S', 'X', 1, 25, 'A', 3, true,
     119.101, 36.821, '2021-07-01', 'active'),
    (5, '370703000005', '新开食杂', '钱多', '13900000005', '西街5号', 'R3', 'Z', 'C', 3, 3, 'C', 3, false,
     119.102, 36.822, '2026-10-15', 'active'),
    (6, '370703000006', '烟酒行', '孙悦', '13900000006', '西街6号', 'R3', 'Y', 'X', 3, 8, 'D', 3, false,
     119.103, 36.823, '2026-11-05', 'active');

insert into customer_monthly values
    (1, '2026-09-01', 10000, 1000, 2000, 400),
    (1, '2026-10-01', 12000, 1300, 2500, 500),
    (4, '2026-10-01', 30000, 3200, 8000, 1600);

-- Latest survey per customer with surveyed_on in (to - 12 months, to]:
--   October (to 2026-10-31, window 2025-10-31 exclusive .. 2026-10-31):
--     c1 90 (2026-10-10 beats 2026-04-01), c2 65 (2025-11-01; 2025-10-31 is outside), c3 70, c4 80
--     (2026-11-01 is after `to`) -> surveyed 4, mean (90+65+70+80)/4 = 76.25, below 70: c2 -> 1.
--   September (to 2026-09-30): c1 60, c2 65, c4 80 -> surveyed 3, mean 205/3 = 68.33, below 70: 2.
insert into surveys values
    (1, 1, '2026-04-01', '2026Q2', 60, 60, 60, 60, 60, 60, 60, 60),
    (2, 1, '2026-10-10', '2026Q4', 90, 90, 90, 90, 90, 90, 90, 90),
    (3, 2, '2025-10-31', '2025Q4', 50, 50, 50, 50, 50, 50, 50, 50),
    (4, 2, '2025-11-01', '2025Q4', 65, 65, 65, 65, 65, 65, 65, 65),
    (5, 4, '2026-09-15', '2026Q3', 80, 80, 80, 80, 80, 80, 80, 80),
    (6, 4, '2026-11-01', '2026Q4', 99, 99, 99, 99, 99, 99, 99, 99),
    (7, 3, '2026-10-31', '2026Q4', 70, 70, 70, 70, 70, 70, 70, 70);

-- Received in October: t1 (first second), t2 (last second), t5 -> 3; S1 only: t1, t2 -> 2.
-- t3 arrives at E exactly (November); t4 on 30 September -> September has 1.
insert into tickets values
    (1, 1, 'hotline_12313', 'consultation', 'supply', 'CM1', '2026-10-01 00:00:00', '2026-10-01 02:00:00',
     '2026-10-01 03:00:00', '2026-10-01 20:00:00', '2026-10-02 06:00:00', 'satisfied', 0),
    (2, 2, 'wechat', 'complaint', 'delivery', 'CM1', '2026-10-31 23:59:59', null, null, null, null, null, 0),
    (3, 4, 'ordering_web', 'consultation', 'price', 'CM2', '2026-11-01 00:00:00', null, null, null, null,
     null, 0),
    (4, 3, 'qr_miniprogram', 'suggestion', 'other', 'CM1', '2026-09-30 23:00:00', '2026-10-01 01:00:00',
     null, null, null, null, 0),
    (5, 5, 'hotline_12313', 'complaint', 'service_attitude', 'CM2', '2026-10-20 10:00:00',
     '2026-10-22 10:00:00', '2026-10-22 11:00:00', '2026-10-25 09:00:00', null, null, 1);

-- Planned in October: four for CM1 (S1), one for CM2 -> 5; S1 -> 4. One in September, one in November.
insert into visit_plans values
    ('CM1', 1, '2026-10-05'), ('CM1', 2, '2026-10-05'), ('CM1', 3, '2026-10-07'), ('CM1', 1, '2026-10-19'),
    ('CM2', 4, '2026-10-06'), ('CM2', 4, '2026-09-29'), ('CM1', 1, '2026-11-02');

-- Done in October (routine or joint, started before E): v1, v2, v3 (the inspector's half of the joint
-- visit), v5 at 23:30 on the 31st -> 4; S1 -> 3. v4 is a callback, v7 a residency day: not counted.
-- v6 starts at E; v8 is September's only one.
insert into visits values
    (1, 'CM1', 1, 'routine', '2026-10-05 09:00:00', '2026-10-05 09:20:00', 12.5, 3, 3),
    (2, 'CM1', 2, 'joint', '2026-10-05 10:00:00', '2026-10-05 10:30:00', 40, 4, 3),
    (3, 'IN1', 2, 'joint', '2026-10-05 10:00:00', '2026-10-05 10:30:00', 35, 2, 2),
    (4, 'CM1', 1, 'callback', '2026-10-21 15:00:00', '2026-10-21 15:10:00', 5, 1, 1),
    (5, 'CM2', 4, 'routine', '2026-10-31 23:30:00', '2026-10-31 23:50:00', 150, 2, 1),
    (6, 'CM2', 4, 'routine', '2026-11-01 00:00:00', '2026-11-01 00:15:00', 20, 2, 2),
    (7, 'CM1', 3, 'residency', '2026-10-08 09:00:00', '2026-10-08 17:00:00', 3, 5, 5),
    (8, 'CM2', 4, 'routine', '2026-09-29 10:00:00', '2026-09-29 10:25:00', 18, 3, 3);

-- October sessions at stations with in-scope customers: ts1 (S1) and ts2 (S2, rural) -> 2, rural 1.
-- ts3 is on 1 November; ts4 (S2, rural) in September.
insert into training_sessions values
    (1, '2026-10-10', 'classroom', 'display', 'S1', false, 'CM1', 2.0, null),
    (2, '2026-10-31', 'livestream', 'digital', 'S2', true, 'CM2', 1.5, 100),
    (3, '2026-11-01', 'classroom', 'policy', 'S1', false, 'SH1', 2.0, null),
    (4, '2026-09-10', 'guidance', 'operations', 'S2', true, 'CM2', 1.0, null);

insert into training_attendance values (1, 1), (1, 2), (4, 4);

-- Starting in October: r1, r2 (SH1 at c1, c2), r3 (CM2 at c4) -> staff 2, stores 3, days 6, avg 3.0;
-- S1 only: staff 1, stores 2, days 5, avg 5.0. r4 starts 30 September.
insert into residencies values
    (1, 'SH1', 1, '2026-10-03', 3, 'display'),
    (2, 'SH1', 2, '2026-10-20', 2, 'digital'),
    (3, 'CM2', 4, '2026-10-31', 1, 'brand'),
    (4, 'CM1', 1, '2026-09-30', 2, 'pricing');

insert into products values (1, '矿泉水550ml', 'drinks'), (2, '薯片', 'snacks');

insert into product_sales_monthly values
    (2, 1, '2026-10-01', 300, 600, 150, 280, 4200, 40),
    (2, 2, '2026-10-01', 50, 300, 90, 45, 1100, 30);
"""


def build_fixture(path: Path, extra_rows: str = "") -> Path:
    """Write the fixture store to `path` (replacing it), plus a test module's own rows, and return it."""
    path.unlink(missing_ok=True)
    con = store.connect(path, read_only=False)
    try:
        store.apply_schema(con)
        con.execute(ROWS)
        if extra_rows:
            con.execute(extra_rows)
        rollups.refresh(con)
        con.execute("checkpoint")
    finally:
        con.close()
    return path
