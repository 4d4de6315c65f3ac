"""The demo generator: determinism, row counts, geography and the planted signals (DESIGN.md section 6)."""

from __future__ import annotations

import json
from datetime import date
from functools import partial

import duckdb
import numpy as np
import pandas as pd
import pytest

from dashboard import rollups, store
from dashboard.demo import DEMO_FACTS, SCALES, build, geo
from dashboard.demo.generate import GEOJSON, TABLES
from dashboard.kpis import all_kpis
from dashboard.metrics.nine_grid import cell_counts, classify
from dashboard.scope import Scope


@pytest.fixture(scope="module")
def con(demo_db):
    c = store.connect(demo_db)
    yield c
    c.close()


def q(con, sql: str, params: dict | None = None) -> pd.DataFrame:
    return con.cursor().execute(sql, params or {}).df()


def table_digest(path) -> dict[str, str]:
    """One md5 per table over all rows in a canonical order."""
    c = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: c.execute(
                "select md5(coalesce(string_agg(cast(x as varchar), chr(10)"
                f" order by cast(x as varchar)), '')) from {t} as x"
            ).fetchone()[0]
            for t in TABLES
        }
    finally:
        c.close()


# ------------------------------------------------------------------ build mechanics


def test_same_seed_same_tables(tmp_path):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    ra = build(a, progress=False)
    rb = build(b, progress=False)
    assert ra["rows"] == rb["rows"]
    assert table_digest(a) == table_digest(b)
    assert not list(tmp_path.glob("*.tmp-*"))  # the temp file was moved over `out`


def test_other_seed_differs_but_keeps_signals(tmp_path):
    path = tmp_path / "other.duckdb"
    report = build(path, seed=7, progress=False)  # the build itself verifies the nine-grid counts
    assert report["seed"] == 7 and report["rows"]["customers"] == SCALES["demo"]["customers"]


def test_synthetic_scale_builds(tmp_path, monkeypatch):
    """A small non-demo preset: synthetic stations (boxes) beyond the five demo ones."""
    monkeypatch.setitem(
        SCALES,
        "tiny",
        {**SCALES["city"], "customers": 900, "stations": 9, "months": 4, "inspectors": 5, "delivery": 3},
    )
    path = tmp_path / "tiny.duckdb"
    report = build(path, scale="tiny", seed=3, progress=False)
    assert report["rows"]["stations"] == 9 and report["rows"]["routes"] == 90
    c = duckdb.connect(str(path), read_only=True)
    names = [r[0] for r in c.execute("select name from stations order by station_id").fetchall()]
    assert "第9站" in names
    assert c.execute("select count(distinct month) from customer_monthly").fetchone()[0] == 4
    c.close()


def test_chunked_preset_hits_its_totals(tmp_path, monkeypatch):
    """A preset made chunk by chunk, as province and national are, with the national preset's kind of
    exact yearly totals (scaled down): the KPIs of its year are those totals."""
    targets = {"tickets": 160, "sessions": 270, "rural_sessions": 130, "attendances": 11_500,
               "residency_stores": 100, "residency_staff": 40, "residency_days": 110}  # fmt: skip
    monkeypatch.setitem(
        SCALES,
        "tiny_national",
        {**SCALES["national"], "customers": 6_000, "stations": 12, "inspectors": 14, "delivery": 6,
         "chunk_customers": 1_700, "targets": targets, "tickets_per_customer_year": 1.3 * 160 / 6_000},
    )  # fmt: skip
    path = tmp_path / "tiny_national.duckdb"
    build(path, scale="tiny_national", seed=5, progress=False)
    con = store.connect(path)
    run = partial(store.run, con)
    year = all_kpis(run, Scope(date(2025, 11, 1), date(2026, 10, 31)))
    assert {k: year[k] for k in ("tickets.received", "training.sessions", "training.rural_sessions",
                                 "training.attendances", "residency.stores", "residency.staff",
                                 "residency.days")} == {
        "tickets.received": 160, "training.sessions": 270, "training.rural_sessions": 130,
        "training.attendances": 11_500, "residency.stores": 100, "residency.staff": 40,
        "residency.days": 110,
    }  # fmt: skip
    # visits are numbered in time order across chunks, as a one-piece build numbers them
    out_of_order = """select count(*) from (select started_at < lag(started_at) over (order by visit_id)
                      as back from visits) where back"""
    assert q(con, out_of_order).iloc[0, 0] == 0
    assert rollups.ready(run)
    october = Scope(date(2026, 10, 1), date(2026, 10, 31))
    with rollups.raw_only():
        raw = all_kpis(run, october)
    assert all_kpis(run, october) == raw
    con.close()


def test_report_shape(demo_db):
    # the session's demo DB exists and every table of the schema is non-empty
    c = store.connect(demo_db)
    counts = {t: c.table(t).aggregate("count(*)").fetchall()[0][0] for t in TABLES}
    c.close()
    assert all(n > 0 for n in counts.values()), counts


def test_unknown_scale_fails(tmp_path):
    with pytest.raises(ValueError):
        build(tmp_path / "x.duckdb", scale="galaxy", progress=False)
    assert not (tmp_path / "x.duckdb").exists()


def test_scales_presets():
    assert {"demo", "city", "province", "national"} <= set(SCALES)
    assert SCALES["city"]["customers"] == 40_000
    assert SCALES["national"]["months"] == 12


# ------------------------------------------------------------------ row counts and shapes


@pytest.mark.parametrize(
    "sql, lo, hi",
    [
        ("select count(*) from stations", 5, 5),
        ("select count(*) from routes", 45, 45),
        ("select count(*) from customers", 1_700, 1_900),
        ("select count(*) from staff where role = 'customer_manager'", 10, 10),
        ("select count(*) from staff where role = 'inspector'", 6, 6),
        ("select count(*) from staff where role = 'station_head'", 5, 5),
        ("select count(*) from tickets", 3_200, 4_000),
        ("select count(*) from training_sessions", 130, 190),
        ("select count(*) from residencies", 45, 75),
        ("select count(*) from products", 140, 160),
        ("select count(distinct wave) from surveys", 9, 9),
        ("select count(distinct month) from customer_monthly", 24, 24),
        ("select 100 * avg(has_pos::int) from customers", 12, 20),
        ("select 100 * avg((business_type = 'Z')::int) from customers", 38, 52),
        ("select 100 * avg((business_type = 'B')::int) from customers", 15, 25),
        ("select 100 * avg((status = 'active')::int) from customers", 90, 99),
        ("select 100 * avg((kind = 'complaint')::int) from tickets", 20, 32),
        ("select 100 * avg((channel = 'hotline_12313')::int) from tickets", 30, 40),
        ("select min(visit_weekday) * 10 + max(visit_weekday) from routes", 15, 15),
        # plans every two weeks: ~26 a year per open customer
        ("select count(*) / count(distinct customer_id) from visit_plans", 40, 52),
        ("select 100 * avg((checkin_distance_m < 60)::int) from visits where kind = 'routine'", 75, 95),
    ],
)
def test_counts_in_range(con, sql, lo, hi):
    value = q(con, sql).iloc[0, 0]
    assert lo <= value <= hi, f"{sql}: {value}"


def test_ids_and_codes(con):
    ids = q(con, "select min(customer_id) as lo, max(customer_id) as hi, count(*) as n from customers").iloc[
        0
    ]
    assert ids.lo == 1 and ids.hi == ids.n
    routes = q(con, "select route_id, name from routes where station_id = 'HT' order by route_id")
    assert routes.route_id.tolist() == [f"HT{i:02d}" for i in range(1, 10)]
    assert routes.name.iloc[0] == "寒亭01线"
    lic = q(con, "select license_no from customers")
    assert lic.license_no.str.fullmatch(r"370703\d{6}").all()
    cms = q(con, "select customer_manager_id, count(*) as n from routes group by 1")
    assert cms.n.between(4, 5).all() and len(cms) == 10
    shops = q(con, "select shop_name from customers where business_type = 'S'")
    assert shops.shop_name.str.contains("超市|购物广场").mean() > 0.9
    # urban stations mostly C, rural ones mostly X
    mt = (
        q(
            con,
            "select r.station_id, avg((market_type = 'C')::int) as c from customers join routes r "
            "using (route_id) group by 1",
        )
        .set_index("station_id")
        .c
    )
    assert mt["HT"] > 0.7 and mt["KY"] > 0.7 and mt[["GD", "GL", "ZL"]].max() < 0.4


def test_ticket_stage_order(con):
    bad = q(
        con,
        """
        select count(*) from tickets
        where responded_at < received_at or routed_at < responded_at or resolved_at < routed_at
           or callback_at < resolved_at
           or (responded_at is null and routed_at is not null)
           or (routed_at is null and resolved_at is not null)
           or (resolved_at is null and callback_at is not null)
           or (callback_at is null) <> (callback_result is null)
    """,
    ).iloc[0, 0]
    assert bad == 0
    last = DEMO_FACTS["last_day"]
    late = q(
        con,
        "select count(*) from tickets where received_at >= $last::date - 2 and resolved_at is null",
        {"last": last},
    )
    assert late.iloc[0, 0] > 0  # the newest tickets are still open
    backlog = q(
        con,
        "select count(*) from tickets where received_at < $last::date - 14 and resolved_at is null",
        {"last": last},
    )
    assert backlog.iloc[0, 0] > 0  # and a few older ones too
    cb = q(con, "select avg((callback_at is not null)::int) from tickets where resolved_at is not null").iloc[
        0, 0
    ]
    assert 0.8 < cb < 0.9


def test_visits_consistent(con):
    joint = q(
        con,
        """
        select count(*) filter (where n = 2) as pairs, count(*) as total from (
            select customer_id, started_at::date, count(*) as n from visits where kind = 'joint' group by all)
    """,
    ).iloc[0]
    assert joint.total > 0 and joint.pairs == joint.total
    assert q(con, "select count(*) from visits where kind = 'callback'").iloc[0, 0] > 0
    assert q(con, "select count(*) from visits where kind = 'residency'").iloc[0, 0] > 0


def test_residency_days_per_staff(con):
    per = q(
        con,
        """select sum(days) / count(distinct staff_id) from residencies
                    where start_on >= date '2025-11-01'""",
    ).iloc[0, 0]
    assert 1.8 <= per <= 3.5


# ------------------------------------------------------------------ geography


def test_geojson_matches_generator():
    data = json.loads(GEOJSON.read_text(encoding="utf-8"))
    assert [f["properties"]["station_id"] for f in data["features"]] == DEMO_FACTS["station_ids"]
    assert geo.read_geojson(GEOJSON) == geo.demo_polygons()


def test_polygons_tile_without_overlap():
    # a fine grid over the district: every point inside exactly one polygon (edges excluded by the grid)
    xs, ys = np.meshgrid(np.linspace(119.1005, 119.3995, 120), np.linspace(36.7005, 37.0495, 140))
    hits = sum(
        geo.points_in_polygon(xs.ravel(), ys.ravel(), ring).astype(int)
        for ring in geo.demo_polygons().values()
    )
    assert (hits == 1).all()


def test_points_inside_station_polygons(con):
    polys = geo.read_geojson(GEOJSON)
    stations = q(con, "select station_id, lon, lat from stations")
    cust = q(con, "select r.station_id, c.lon, c.lat from customers c join routes r using (route_id)")
    for sid, ring in polys.items():
        s = stations[stations.station_id == sid]
        assert geo.points_in_polygon(s.lon.to_numpy(), s.lat.to_numpy(), ring).all()
        c = cust[cust.station_id == sid]
        assert geo.points_in_polygon(c.lon.to_numpy(), c.lat.to_numpy(), ring).all(), sid


# ------------------------------------------------------------------ signal 1: Spring Festival peak


def test_spring_festival_ticket_peak(con):
    days = q(con, "select received_at::date as day, topic from tickets")
    days["day"] = pd.to_datetime(days["day"])
    peak = np.zeros(len(days), dtype=bool)
    for sf in DEMO_FACTS["spring_festivals"]:
        sf = pd.Timestamp(sf)
        peak |= (days.day >= sf - pd.Timedelta(days=28)) & (days.day < sf)
        in_one = days[(days.day >= sf - pd.Timedelta(days=28)) & (days.day < sf)]
        assert len(in_one) / 28 > 1.6 * 3  # each peak on its own is busy
    n_days_other = (
        (pd.Timestamp(DEMO_FACTS["last_day"]) - pd.Timestamp(DEMO_FACTS["first_month"])).days + 1 - 56
    )
    rate_peak = peak.sum() / 56
    rate_other = (~peak).sum() / n_days_other
    assert rate_peak >= 1.6 * rate_other
    assert (days[peak].topic == "supply").mean() > 0.5
    assert (days[~peak].topic == "supply").mean() < 0.3


# ------------------------------------------------------------------ signal 2: the weak route


def test_weak_route_satisfaction(con):
    by_route = q(
        con,
        """select c.route_id, avg(s.overall) as overall from surveys s
                         join customers c using (customer_id) group by 1 order by 2""",
    )
    weak = DEMO_FACTS["weak_route_id"]
    assert by_route.route_id.iloc[0] == weak
    assert 58 <= by_route.overall.iloc[0] <= 67
    assert by_route.overall.iloc[1:].min() >= 78
    assert by_route.overall.iloc[1:].mean() >= 80


def test_weak_route_tickets_slower(con):
    t = q(
        con,
        """
        select c.route_id = $weak as weak,
               avg((coalesce(responded_at, timestamp '2100-01-01') - received_at > interval 24 hour)::int)
                   as late_share,
               median(epoch(resolved_at - received_at) / 3600) as resolve_hours
        from tickets t join customers c using (customer_id) group by 1
    """,
        {"weak": DEMO_FACTS["weak_route_id"]},
    ).set_index("weak")
    assert t.late_share[True] > 3 * t.late_share[False]
    assert t.resolve_hours[True] > 2 * t.resolve_hours[False]


def test_weak_route_visits(con):
    r = q(
        con,
        """
        with p as (select c.route_id, count(*) as n from visit_plans join customers c using (customer_id)
                   group by 1),
             v as (select c.route_id, count(*) as n, median(checkin_distance_m) as dist
                   from visits join customers c using (customer_id)
                   where kind in ('routine', 'joint') and staff_id like 'CM%' group by 1)
        select p.route_id, v.n / p.n as rate, v.dist from p join v using (route_id)
    """,
    ).set_index("route_id")
    weak = DEMO_FACTS["weak_route_id"]
    assert 0.5 <= r.rate[weak] <= 0.68
    assert r.drop(weak).rate.min() > 0.78 and 0.86 <= r.drop(weak).rate.median() <= 0.95
    assert r.dist[weak] > 3 * r.drop(weak).dist.median()

    per_cm = q(
        con,
        """
        with p as (select staff_id, count(*) as n from visit_plans group by 1),
             v as (select staff_id, count(*) as n from visits where kind in ('routine', 'joint') group by 1)
        select p.staff_id, v.n / p.n as rate from p join v using (staff_id) order by rate, staff_id
    """,
    )
    assert per_cm.staff_id.iloc[0] == DEMO_FACTS["weak_customer_manager_id"]
    owner = q(con, "select customer_manager_id from routes where route_id = $r", {"r": weak}).iloc[0, 0]
    assert owner == DEMO_FACTS["weak_customer_manager_id"]


# ------------------------------------------------------------------ signal 3: training and residencies


@pytest.fixture(scope="module")
def treatment(con):
    """First treatment day per customer: classroom/guidance attendance or a residency hosted."""
    return q(
        con,
        """
        select customer_id, min(day) as day from (
            select a.customer_id, s.held_on as day from training_attendance a join training_sessions s
                using (session_id) where s.format in ('classroom', 'guidance')
            union all
            select customer_id, start_on from residencies)
        group by 1
    """,
    )


def test_gross_profit_difference_in_differences(con, treatment):
    gp = q(
        con,
        """select customer_id, month, (tobacco_gross_profit_yuan
                   + coalesce(nontobacco_gross_profit_yuan, 0))::double as gp from customer_monthly""",
    )
    wide = gp.pivot(index="customer_id", columns="month", values="gp")
    months = list(wide.columns)
    treated_month = pd.to_datetime(treatment.set_index("customer_id").day).dt.to_period("M").dt.to_timestamp()
    controls = wide.index.difference(treated_month.index)
    effects = []
    for i in range(3, len(months) - 4):
        t = pd.Timestamp(months[i])
        ids = treated_month.index[treated_month == t]
        pre, post = months[i - 3 : i], months[i + 2 : i + 5]  # skip the ramp-up month after treatment

        def change(who, pre=pre, post=post):
            w = wide.loc[who]
            return np.log(w[post].mean(axis=1) / w[pre].mean(axis=1)).dropna()

        ct, cc = change(ids.intersection(wide.index)), change(controls)
        if len(ct) >= 5:
            effects.append((len(ct), ct.mean() - cc.mean()))
    n = np.array([e[0] for e in effects])
    did = float(np.exp((n * np.array([e[1] for e in effects])).sum() / n.sum()) - 1)
    assert n.sum() > 300 and len(controls) > 300
    assert 0.05 <= did <= 0.13, did


def test_survey_difference_in_differences(con, treatment):
    s = q(con, "select customer_id, surveyed_on, overall from surveys order by customer_id, surveyed_on")
    s["surveyed_on"] = pd.to_datetime(s.surveyed_on)
    s["prev"] = s.groupby("customer_id").overall.shift()
    s["prev_on"] = s.groupby("customer_id").surveyed_on.shift()
    t = pd.to_datetime(treatment.set_index("customer_id").day)
    s["treat"] = s.customer_id.map(t)
    pairs = s.dropna(subset=["prev"])
    crossed = pairs[(pairs.prev_on <= pairs.treat) & (pairs.treat < pairs.surveyed_on)]
    never = pairs[pairs.treat.isna()]
    did = (crossed.overall - crossed.prev).mean() - (never.overall - never.prev).mean()
    assert len(crossed) > 200
    assert 3 <= did <= 6, did


# ------------------------------------------------------------------ signal 4: the nine-grid store


def _period_skus(con, lo: str, hi: str) -> pd.DataFrame:
    return q(
        con,
        """
        select sku_id, sum(units) as units, sum(revenue_yuan)::double as revenue_yuan,
               sum(gross_profit_yuan)::double as gross_profit_yuan, sum(transactions) as transactions,
               sum(basket_value_yuan)::double as basket_value_yuan, avg(avg_stock_units) as avg_stock_units
        from product_sales_monthly where customer_id = $cid and month between $lo and $hi
        group by sku_id
    """,
        {"cid": DEMO_FACTS["nine_grid_customer_id"], "lo": lo, "hi": hi},
    )


@pytest.mark.parametrize(
    "period, days, slow, hits",
    [
        (DEMO_FACTS["nine_grid_before"], 184, 45, 13),
        (DEMO_FACTS["nine_grid_after"], 184, 32, 36),
        (("2025-09-01", "2025-10-31"), 61, 45, 13),  # any month range inside a regime classifies the same
        (("2026-07-01", "2026-07-31"), 31, 32, 36),
    ],
)
def test_nine_grid_store(con, period, days, slow, hits):
    skus = _period_skus(con, *period)
    assert 100 <= len(skus) <= 140
    out = classify(skus, days)
    counts = cell_counts(out)
    assert (counts["slow"], counts["hit"]) == (slow, hits)
    slow_rows = out[out.cell == "slow"]
    assert (slow_rows.days_of_stock > 90).mean() > 0.7
    assert (out.action == "shelf").any()


def test_nine_grid_store_is_a_pos_store(con):
    row = q(
        con,
        "select has_pos, status from customers where customer_id = $cid",
        {"cid": DEMO_FACTS["nine_grid_customer_id"]},
    ).iloc[0]
    assert bool(row.has_pos) and row.status == "active"
    # its non-tobacco revenue is the sum of its SKU sales
    diff = q(
        con,
        """
        select max(abs(m.nontobacco_revenue_yuan - p.rev)) from customer_monthly m join (
            select customer_id, month, sum(revenue_yuan) as rev from product_sales_monthly group by all
        ) p using (customer_id, month)
    """,
    ).iloc[0, 0]
    assert diff == 0
