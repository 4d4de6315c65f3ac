"""The seeded generator: every table of dashboard/schema.sql, vectorised with numpy.

One `numpy.random.Generator` drives everything in a fixed order, so a seed and a scale give the same
tables byte for byte. Loops run per station, route group, session or chunk of stores, never per row of
the big tables (plans, visits, monthly figures, SKU sales).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from dashboard import rollups
from dashboard.demo import geo, names, signals
from dashboard.store import ROOT, SCHEMA_FILE, apply_schema, connect

GEOJSON = ROOT / "data" / "stations.geojson"
DAY = np.timedelta64(1, "D")
HOUR = np.timedelta64(3600, "s")

# Lunar new year (春节) dates, for the seasonal peaks at any scale's period.
SPRING_FESTIVALS = ["2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26"]

_COMMON = {
    "first_month": "2024-11-01",
    "months": 24,
    "routes_per_station": 10,
    "cms_per_station": 2,
    "tickets_per_customer_year": 1.0,
    "sessions_per_customer_year": 80 / 1800,
    "residencies_per_customer_year": 30 / 1800,
    "pos_skus": (60, 120),
    "engaged_share": 0.4,
}
SCALES: dict[str, dict] = {
    "demo": {
        **_COMMON,
        "customers": 1_800,
        "stations": 5,
        "routes_per_station": 9,
        "inspectors": 6,
        "delivery": 4,
    },
    "city": {**_COMMON, "customers": 40_000, "stations": 100, "inspectors": 120, "delivery": 60},
    # Above city scale plans, visits and monthly figures are made chunk by chunk (chunk_customers).
    "province": {
        **_COMMON,
        "customers": 500_000,
        "stations": 1_250,
        "inspectors": 1_500,
        "delivery": 750,
        "chunk_customers": 100_000,
        "unkeyed": ("product_sales_monthly",),
    },
    # National: one year; its totals are DESIGN.md section 2's 2023 figures exactly (targets): 14.4万
    # tickets, 24.4万 sessions (11.7万 rural), 1,057.8万 attendances, 9.13万 residency stores by 3.96万
    # staff at 2.5 days per person. Fewer SKUs per POS store keep the SKU table near 300 million rows.
    "national": {
        **_COMMON,
        "customers": 5_500_000,
        "stations": 12_500,
        "routes_per_station": 11,
        "inspectors": 15_000,
        "delivery": 7_500,
        "first_month": "2025-11-01",
        "months": 12,
        "chunk_customers": 250_000,
        "unkeyed": ("product_sales_monthly", "visit_plans", "visits"),
        # its rollups' sorts and hash tables, of 24 GiB (12GB ran out; 16GB once, the SKU rollup); others 8GB
        "memory_limit": "18GB",
        "pos_skus": (15, 30),
        "tickets_per_customer_year": 1.3 * 144_000 / 5_500_000,  # candidates; `targets` keeps 144,000
        "sessions_per_customer_year": 244_000 / 5_500_000,
        "residencies_per_customer_year": 91_300 / 5_500_000,
        "targets": {
            "tickets": 144_000,
            "sessions": 244_000,
            "rural_sessions": 117_000,
            "attendances": 10_578_000,
            "residency_stores": 91_300,
            "residency_staff": 39_600,
            "residency_days": 99_000,
        },
    },
}

# The planted signals of the demo data set (seed-independent: the generator forces them).
DEMO_FACTS: dict = {
    "weak_route_id": "GD03",
    "weak_customer_manager_id": "CM05",
    "nine_grid_customer_id": 1027,
    "nine_grid_before": ("2025-07-01", "2025-12-31"),
    "nine_grid_after": ("2026-05-01", "2026-10-31"),
    "nine_grid_counts": {"before": {"slow": 45, "hit": 13}, "after": {"slow": 32, "hit": 36}},
    "spring_festivals": ["2025-01-29", "2026-02-17"],
    "first_month": "2024-11-01",
    "last_day": "2026-10-31",
    "station_ids": ["HT", "KY", "GD", "GL", "ZL"],
    "treatment_effect": {"gross_profit_uplift": 0.09, "overall_score": 4.5},
}

# Every table of the schema, parents before children (the order they are loaded in).
TABLES = [
    "stations",
    "staff",
    "routes",
    "customers",
    "customer_monthly",
    "surveys",
    "tickets",
    "visit_plans",
    "visits",
    "training_sessions",
    "training_attendance",
    "residencies",
    "products",
    "product_sales_monthly",
]

BUSINESS_TYPES = np.array(["Z", "B", "S", "Y", "F", "M", "Q"])
BT_URBAN = np.array([0.34, 0.27, 0.14, 0.12, 0.05, 0.02, 0.06])
BT_RURAL = np.array([0.58, 0.12, 0.09, 0.08, 0.05, 0.005, 0.075])
POS_P = {"Z": 0.045, "B": 0.36, "S": 0.42, "Y": 0.14, "F": 0.05, "M": 0.5, "Q": 0.03}
NONTOB_BASE = {"Z": 9_000, "B": 26_000, "S": 55_000, "Y": 8_000, "F": 6_000, "M": 140_000, "Q": 5_000}
DIMENSIONS = [
    "supply",
    "ordering",
    "delivery",
    "customer_manager",
    "settlement",
    "complaint_handling",
    "market_regulation",
]
DIM_WEIGHTS = np.array([0.2, 0.15, 0.15, 0.15, 0.1, 0.15, 0.1])


# ---------------------------------------------------------------- helpers


def _d(s: str) -> np.datetime64:
    return np.datetime64(s, "D")


def _month_start(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[M]").astype("datetime64[D]")


def _id_format(prefix: str, n: int) -> list[str]:
    width = max(2, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def _choice(rng: np.random.Generator, values, p, n: int) -> np.ndarray:
    p = np.asarray(p, dtype=float)
    return np.asarray(values)[rng.choice(len(p), n, p=p / p.sum())]


def _sf_dates(first: np.datetime64, last: np.datetime64) -> list[np.datetime64]:
    return [_d(s) for s in SPRING_FESTIVALS if first - 40 * DAY <= _d(s) <= last + 40 * DAY]


def _insert(con, table: str, df: pd.DataFrame) -> None:
    """Append a frame to a table, matched by column name (DuckDB casts floats to DECIMAL, datetimes to
    TIMESTAMP); the relation API keeps SQL text out of it."""
    columns = con.table(table).columns
    if set(df.columns) != set(columns):
        raise ValueError(f"{table}: frame has {sorted(df.columns)}, table has {sorted(columns)}")
    con.from_df(df[columns]).insert_into(table)


# ---------------------------------------------------------------- the build


class _Gen:
    """Holds the arrays shared between tables while one data set is generated."""

    def __init__(self, scale: str, seed: int):
        if scale not in SCALES:
            raise ValueError(f"unknown scale {scale!r}; choose from {sorted(SCALES)}")
        self.scale = scale
        self.seed = seed
        self.cfg = SCALES[scale]
        self.rng = np.random.default_rng(seed)
        self.is_demo = scale == "demo"
        self.first = _d(self.cfg["first_month"])
        self.month_list = np.arange(
            self.first.astype("datetime64[M]"), self.first.astype("datetime64[M]") + self.cfg["months"]
        ).astype("datetime64[D]")
        self.end = (self.month_list[-1].astype("datetime64[M]") + 1).astype("datetime64[D]")  # E, exclusive
        self.last = self.end - DAY
        self.sfs = _sf_dates(self.first, self.last)
        self.years = (self.end - self.first) / np.timedelta64(365, "D")

    # -------------------------------------------------------- stations, staff, routes

    def stations(self) -> pd.DataFrame:
        if not GEOJSON.exists():
            geo.write_geojson(GEOJSON)
        polys = geo.read_geojson(GEOJSON)
        rows = [(sid, name, code, pt[0], pt[1]) for sid, name, _, code, pt, _ in geo.DEMO_STATIONS]
        self.polys = {sid: polys[sid] for sid, *_ in rows}
        n_syn = self.cfg["stations"] - len(rows)
        width = max(3, len(str(self.cfg["stations"])))
        for k, (x, y) in enumerate(geo.synthetic_cells(max(0, n_syn)), start=len(rows) + 1):
            sid = f"S{k:0{width}d}"
            self.polys[sid] = geo.box_polygon(x, y)
            rows.append((sid, f"第{k}站", f"37{k:07d}", round(x + 0.05, 5), round(y + 0.05, 5)))
        df = pd.DataFrame(rows, columns=["station_id", "name", "town_code", "lon", "lat"])
        self.station_df = df
        n = len(df)
        if self.is_demo:
            self.urban_share = np.array([0.85, 0.93, 0.15, 0.2, 0.25])
            self.station_weight = np.array([0.23, 0.23, 0.19, 0.18, 0.17])
        else:
            self.urban_share = self.rng.uniform(0.1, 0.9, n)
            self.urban_share[:5] = [0.85, 0.93, 0.15, 0.2, 0.25]
            self.station_weight = self.rng.uniform(0.7, 1.3, n)
        self.station_weight = self.station_weight / self.station_weight.sum()
        return df

    def staff(self) -> pd.DataFrame:
        rng, cfg = self.rng, self.cfg
        sids = self.station_df["station_id"].to_numpy()
        n_st = len(sids)
        n_cm = n_st * cfg["cms_per_station"]
        cm_station = np.repeat(sids, cfg["cms_per_station"])
        in_station = sids[np.arange(cfg["inspectors"]) % n_st]
        in_station = np.sort(in_station, kind="stable") if self.is_demo else in_station
        dl_station = sids[np.arange(cfg["delivery"]) % n_st]
        parts = [
            ("customer_manager", _id_format("CM", n_cm), cm_station),
            ("inspector", _id_format("IN", cfg["inspectors"]), in_station),
            ("station_head", _id_format("SH", n_st), sids),
            ("delivery", _id_format("DL", cfg["delivery"]), dl_station),
        ]
        frames = [pd.DataFrame({"staff_id": ids, "role": role, "station_id": st}) for role, ids, st in parts]
        df = pd.concat(frames, ignore_index=True)
        df["name"] = names.person_names(rng, len(df))
        df["phone"] = names.phones(rng, len(df))
        self.staff_df = df
        return df[["staff_id", "name", "role", "station_id", "phone"]]

    def routes(self) -> pd.DataFrame:
        cfg = self.cfg
        rows = []
        staff = self.staff_df
        by_station = {sid: g for sid, g in staff.groupby("station_id", sort=False)}
        inspectors = staff.loc[staff.role == "inspector", ["staff_id", "station_id"]]
        all_inspectors = inspectors["staff_id"].to_numpy()
        for k, (sid, name) in enumerate(zip(self.station_df.station_id, self.station_df.name, strict=True)):
            g = by_station[sid]
            cms = g.loc[g.role == "customer_manager", "staff_id"].to_numpy()
            ins = g.loc[g.role == "inspector", "staff_id"].to_numpy()
            if len(ins) == 0:
                ins = all_inspectors[[k % len(all_inspectors)]]
            blocks = np.array_split(np.arange(cfg["routes_per_station"]), len(cms))
            for cm, block in zip(cms, blocks, strict=True):
                for j in block:
                    rows.append(
                        (f"{sid}{j + 1:02d}", sid, f"{name}{j + 1:02d}线", cm, ins[j % len(ins)], j % 5 + 1)
                    )
        df = pd.DataFrame(
            rows,
            columns=[
                "route_id",
                "station_id",
                "name",
                "customer_manager_id",
                "inspector_id",
                "visit_weekday",
            ],
        )
        self.route_df = df
        return df

    # -------------------------------------------------------- customers

    def customers(self) -> pd.DataFrame:
        rng, cfg = self.rng, self.cfg
        n = cfg["customers"]
        st_idx = np.sort(rng.choice(len(self.station_df), n, p=self.station_weight))
        rps = cfg["routes_per_station"]
        route_local = rng.integers(0, rps, n)
        order = np.lexsort((route_local, st_idx))
        st_idx, route_local = st_idx[order], route_local[order]
        route_idx = st_idx * rps + route_local
        routes = self.route_df
        cust = pd.DataFrame({"customer_id": np.arange(1, n + 1, dtype=np.int64)})
        cust["route_id"] = routes.route_id.to_numpy()[route_idx]
        cust["station_id"] = self.station_df.station_id.to_numpy()[st_idx]
        urban = rng.random(n) < self.urban_share[st_idx]
        cust["market_type"] = np.where(urban, "C", "X")
        bt = np.where(
            urban, _choice(rng, BUSINESS_TYPES, BT_URBAN, n), _choice(rng, BUSINESS_TYPES, BT_RURAL, n)
        )
        scale_p = {
            "Z": [0.03, 0.27, 0.7],
            "B": [0.15, 0.6, 0.25],
            "S": [0.55, 0.4, 0.05],
            "Y": [0.2, 0.5, 0.3],
            "F": [0.05, 0.45, 0.5],
            "M": [0.9, 0.1, 0.0],
            "Q": [0.05, 0.35, 0.6],
        }
        scale = np.zeros(n, dtype=np.int8)
        for t, p in scale_p.items():
            m = bt == t
            scale[m] = _choice(rng, [1, 2, 3], p, int(m.sum()))
        grade = np.clip(np.round(rng.normal(np.array([24, 15, 7])[scale - 1], 3.5)), 1, 30).astype(np.int8)
        has_pos = rng.random(n) < np.vectorize(POS_P.get)(bt)
        opened = _d("2005-01-01") + rng.integers(0, int((self.first - _d("2005-01-01")) / DAY), n) * DAY
        new = rng.random(n) < 0.06
        opened[new] = self.first + rng.integers(0, int((self.last - self.first) / DAY) - 30, new.sum()) * DAY
        status = _choice(rng, ["active", "suspended", "closed"], [0.95, 0.02, 0.03], n)
        # closed/suspended customers stop trading in the last year (the schema has no closing date)
        stop = np.full(n, self.end)
        gone = status != "active"
        stop[gone] = self.end - rng.integers(30, 330, gone.sum()) * DAY
        stop = np.maximum(stop, opened + 60 * DAY)
        status[stop >= self.end] = "active"
        stop[status == "active"] = self.end

        if self.is_demo:  # the nine-grid showcase: a big urban POS supermarket, open all along
            i = DEMO_FACTS["nine_grid_customer_id"] - 1
            bt[i], urban[i], has_pos[i], status[i], scale[i], grade[i] = "S", True, True, "active", 1, 26
            opened[i], stop[i] = _d("2016-04-18"), self.end
            cust.loc[i, "market_type"] = "C"

        cust["business_type"] = bt
        cust["scale"] = scale
        cust["grade"] = grade
        cust["credit"] = _choice(
            rng, ["AAA", "AA", "A", "B", "C", "D"], [0.15, 0.3, 0.3, 0.15, 0.07, 0.03], n
        )
        cust["order_weekday"] = rng.integers(1, 6, n).astype(np.int8)
        cust["has_pos"] = has_pos
        cust["opened_on"] = opened
        cust["status"] = status
        self.stop = stop
        self.engaged = rng.random(n) < cfg["engaged_share"]

        lon = np.empty(n)
        lat = np.empty(n)
        village = np.full(n, "", dtype=object)
        for k, sid in enumerate(self.station_df.station_id):
            m = np.flatnonzero(st_idx == k)
            if len(m) == 0:
                continue
            ring = self.polys[sid]
            sx, sy = self.station_df.lon[k], self.station_df.lat[k]
            n_vil = 14
            vx, vy = geo.uniform_in_polygon(rng, ring, n_vil)
            vil = rng.integers(0, n_vil, len(m))
            is_urban = urban[m]
            cx = np.where(is_urban, sx, vx[vil])
            cy = np.where(is_urban, sy, vy[vil])
            sd = np.where(is_urban, 0.011, 0.004)
            lon[m], lat[m] = geo.sample_in_polygon(rng, ring, cx, cy, sd)
            vnames = np.array(names.VILLAGES)[(np.arange(n_vil) + 3 * k) % len(names.VILLAGES)]
            village[m] = vnames[vil]
        cust["lon"] = np.round(lon, 6)
        cust["lat"] = np.round(lat, 6)

        owner = names.person_names(rng, n)
        cust["owner_name"] = owner
        cust["phone"] = names.phones(rng, n)
        suffix = np.empty(n, dtype=object)
        for t, opts in names.SUFFIX.items():
            m = bt == t
            suffix[m] = np.array(opts, dtype=object)[rng.integers(0, len(opts), m.sum())]
        style = rng.integers(0, 4, n)
        word = np.array(names.SHOP_WORDS, dtype=object)[rng.integers(0, len(names.SHOP_WORDS), n)]
        surname = np.array([o[0] for o in owner], dtype=object)
        head = np.where(
            style == 0, owner, np.where(style == 1, word, np.where(style == 2, "老" + surname, village))
        )
        head = np.where((head == "") | ((style == 3) & urban), word, head)
        cust["shop_name"] = head + suffix
        st_name = self.station_df.name.to_numpy()[st_idx]
        road = np.array(names.ROADS, dtype=object)[rng.integers(0, len(names.ROADS), n)]
        num = rng.integers(1, 400, n).astype(str).astype(object)
        town = np.where(np.char.startswith(st_name.astype(str), "第"), st_name + "辖区", st_name + "街道")
        cust["address"] = np.where(
            urban,
            "潍坊市寒亭区" + town + road + num + "号",
            "潍坊市寒亭区" + town + village + "村" + num + "号",
        )
        if n < 900_000:
            serial = (np.arange(n, dtype=np.int64) * 7919 + 104_729) % 1_000_000
            cust["license_no"] = [f"370703{s:06d}" for s in serial]
        else:
            serial = (np.arange(n, dtype=np.int64) * 7_919_113 + 104_729) % 10_000_000_000
            cust["license_no"] = [f"37{s:010d}" for s in serial]
        self.cust = cust
        self.st_idx = st_idx
        self.route_idx = route_idx
        cols = [
            "customer_id",
            "license_no",
            "shop_name",
            "owner_name",
            "phone",
            "address",
            "route_id",
            "business_type",
            "market_type",
            "scale",
            "grade",
            "credit",
            "order_weekday",
            "has_pos",
            "lon",
            "lat",
            "opened_on",
            "status",
        ]
        return cust[cols]

    def _open_at(self, day: np.ndarray, who: np.ndarray) -> np.ndarray:
        opened = self.cust["opened_on"].to_numpy()[who]
        return (opened <= day) & (day < self.stop[who])

    def _work_days(self, n: int, weekdays=(0, 1, 2, 3, 4, 5)) -> np.ndarray:
        days = np.arange(self.first, self.end)
        wd = (days.astype("datetime64[D]").view("int64") - 4) % 7  # 0 = Monday
        keep = np.isin(wd, weekdays)
        for sf in self.sfs:
            keep &= ~((days >= sf - 3 * DAY) & (days <= sf + 4 * DAY))
        days = days[keep]
        return np.sort(days[self.rng.integers(0, len(days), n)])

    # -------------------------------------------------------- training, residencies

    def training(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, cfg = self.rng, self.cfg
        n_cust_station = np.bincount(self.st_idx, minlength=len(self.station_df))
        expected = n_cust_station * cfg["sessions_per_customer_year"] * self.years
        goal = cfg.get("targets", {})
        if "sessions" in goal:  # a preset's totals, exactly
            counts = rng.multinomial(goal["sessions"], expected / expected.sum())
        else:
            counts = rng.poisson(expected)
        staff = self.staff_df
        trainers = staff[staff.role.isin(["customer_manager", "station_head"])]
        trainer_by_station = {s: g.staff_id.to_numpy() for s, g in trainers.groupby("station_id")}
        sessions, attendance = [], []
        cust_station_members = {
            k: np.flatnonzero((self.st_idx == k) & self.engaged) for k in range(len(counts))
        }
        rural_share = 1 - self.urban_share
        sid_arr = self.station_df.station_id.to_numpy()
        for k, c in enumerate(counts):
            if c == 0:
                continue
            days = self._work_days(int(c))
            fmt = _choice(rng, ["classroom", "guidance", "livestream"], [0.45, 0.35, 0.2], int(c))
            topic = _choice(
                rng,
                ["policy", "operations", "display", "digital", "brand", "law"],
                [0.2, 0.25, 0.15, 0.2, 0.1, 0.1],
                int(c),
            )
            is_rural = rng.random(int(c)) < np.clip(0.1 + 0.85 * rural_share[k], 0, 1)
            tr = trainer_by_station[sid_arr[k]]
            trainer = tr[rng.integers(0, len(tr), int(c))]
            hours = rng.choice([1.0, 1.5, 2.0, 2.5, 3.0], int(c), p=[0.25, 0.25, 0.3, 0.1, 0.1])
            viewers = np.where(fmt == "livestream", rng.integers(50, 401, int(c)), -1)
            pool = cust_station_members[k]
            for j in range(int(c)):
                sessions.append(
                    (days[j], fmt[j], topic[j], sid_arr[k], is_rural[j], trainer[j], hours[j], viewers[j])
                )
                if fmt[j] == "livestream" or len(pool) == 0:
                    continue
                open_pool = pool[self._open_at(np.full(len(pool), days[j]), pool)]
                size = rng.integers(15, 41) if fmt[j] == "classroom" else rng.integers(1, 4)
                who = rng.choice(open_pool, min(int(size), len(open_pool)), replace=False)
                attendance.append((len(sessions), who))
        ses = pd.DataFrame(
            sessions,
            columns=[
                "held_on",
                "format",
                "topic",
                "station_id",
                "is_rural",
                "trainer_id",
                "hours",
                "viewers",
            ],
        )
        if goal:
            self._hit_training_targets(ses, sum(len(w) for _, w in attendance), goal)
        order = np.lexsort((ses.station_id.to_numpy(), ses.held_on.to_numpy()))
        new_id = np.empty(len(ses), dtype=np.int64)
        new_id[order] = np.arange(1, len(ses) + 1)
        ses.insert(0, "session_id", new_id)
        ses["viewers"] = ses["viewers"].astype("Int64").where(ses["viewers"] >= 0)
        ses = ses.iloc[order].reset_index(drop=True)
        if attendance:
            sess_no = np.concatenate([np.full(len(w), s) for s, w in attendance])
            who = np.concatenate([w for _, w in attendance])
        else:
            sess_no, who = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        att = pd.DataFrame({"session_id": new_id[sess_no - 1], "customer_id": who + 1})
        att = att.sort_values(["session_id", "customer_id"]).reset_index(drop=True)
        held = dict(zip(ses.session_id, ses.held_on, strict=True))
        self.att_days = (
            att.customer_id.to_numpy() - 1,
            np.array([held[s] for s in att.session_id], dtype="datetime64[D]"),
        )
        return ses, att

    def _hit_training_targets(self, ses: pd.DataFrame, n_attendance_rows: int, goal: dict) -> None:
        """Exactly the preset's rural sessions (weighted by the stations' rural share) and attendances
        (attendance rows plus livestream viewers: the viewers are spread to make up the rest)."""
        rng = self.rng
        if "rural_sessions" in goal:
            station = self.station_df.station_id.to_numpy()
            rural_share = dict(zip(station, 1 - self.urban_share, strict=True))
            w = np.clip(0.1 + 0.85 * ses.station_id.map(rural_share).to_numpy(), 0.01, 1)
            rural = np.zeros(len(ses), dtype=bool)
            rural[rng.choice(len(ses), goal["rural_sessions"], replace=False, p=w / w.sum())] = True
            ses["is_rural"] = rural
        if "attendances" in goal:
            live = (ses.format == "livestream").to_numpy()
            drawn = ses.viewers.to_numpy()[live].astype(float)
            viewers = rng.multinomial(goal["attendances"] - n_attendance_rows, drawn / drawn.sum())
            ses.loc[live, "viewers"] = viewers

    def _exact_residencies(self, goal: dict) -> pd.DataFrame:
        """A preset's residency totals exactly: as many stores (each hosts one residency), staff (each
        hosts at least one) and days as asked, spread over the stations' staff and the data's weekdays."""
        rng = self.rng
        staff = self.staff_df
        hosts = staff[staff.role.isin(["customer_manager", "station_head", "inspector"])].reset_index(
            drop=True
        )
        n_res, n_staff = goal["residency_stores"], goal["residency_staff"]
        chosen = rng.choice(len(hosts), n_staff, replace=False)
        who = np.concatenate([chosen, chosen[rng.integers(0, n_staff, n_res - n_staff)]])
        rng.shuffle(who)
        st_pos = {s: k for k, s in enumerate(self.station_df.station_id)}
        station = np.array([st_pos[s] for s in hosts.station_id.to_numpy()[who]])
        # one store each: the station's customers in a random order, taken in turn
        order = np.lexsort((rng.random(len(self.st_idx)), self.st_idx))
        first_of = np.searchsorted(self.st_idx[order], np.arange(len(self.station_df)))
        taken = np.zeros(len(self.station_df), dtype=np.int64)
        store = np.empty(n_res, dtype=np.int64)
        for i, k in enumerate(station):
            store[i] = order[first_of[k] + taken[k]]
            taken[k] += 1
        days = np.ones(n_res, dtype=np.int64)
        days[rng.choice(n_res, goal["residency_days"] - n_res, replace=False)] += 1
        opened = self.cust.opened_on.to_numpy()[store]
        lo = np.maximum(opened, self.first)
        hi = np.minimum(self.stop[store], self.end) - days * DAY
        span = np.maximum((hi - lo) / DAY, 0).astype(np.int64)
        start = lo + (rng.random(n_res) * (span + 1)).astype(np.int64) * DAY
        res = pd.DataFrame(
            {
                "staff_id": hosts.staff_id.to_numpy()[who],
                "customer_id": store + 1,
                "start_on": start,
                "days": days,
            }
        )
        return res

    def residencies(self) -> pd.DataFrame:
        rng, cfg = self.rng, self.cfg
        if "residency_stores" in cfg.get("targets", {}):
            return self._finish_residencies(self._exact_residencies(cfg["targets"]))
        staff = self.staff_df
        hosts = staff[staff.role.isin(["customer_manager", "station_head"])].reset_index(drop=True)
        st_pos = {s: k for k, s in enumerate(self.station_df.station_id)}
        n_years = int(np.ceil(self.years - 1e-9))
        rows = []
        for y in range(n_years):
            y0 = (self.first.astype("datetime64[M]") + 12 * y).astype("datetime64[D]")
            y1 = min(self.end, (self.first.astype("datetime64[M]") + 12 * (y + 1)).astype("datetime64[D]"))
            frac = (y1 - y0) / np.timedelta64(365, "D")
            n_res = int(rng.poisson(cfg["customers"] * cfg["residencies_per_customer_year"] * frac))
            if n_res == 0:
                continue
            m = max(1, min(len(hosts), int(round(n_res / 2.2))))
            chosen = rng.choice(len(hosts), m, replace=False)
            who = np.concatenate([chosen, chosen[rng.integers(0, m, max(0, n_res - m))]])[:n_res]
            days_all = np.arange(y0, y1)
            wd = (days_all.view("int64") - 4) % 7
            days_all = days_all[wd < 5]
            start = days_all[rng.integers(0, len(days_all), n_res)]
            ndays = rng.choice([1, 2, 3, 4], n_res, p=[0.88, 0.09, 0.02, 0.01])
            for s, d, nd in zip(who, start, ndays, strict=True):
                k = st_pos[hosts.station_id[s]]
                pool = np.flatnonzero(self.st_idx == k)
                pool = pool[self._open_at(np.full(len(pool), d), pool)]
                rows.append((hosts.staff_id[s], int(rng.choice(pool)) + 1, d, int(nd)))
        return self._finish_residencies(
            pd.DataFrame(rows, columns=["staff_id", "customer_id", "start_on", "days"])
        )

    def _finish_residencies(self, res: pd.DataFrame) -> pd.DataFrame:
        """Ids in start order, the focus of each, and every customer's first treatment day."""
        rng = self.rng
        res = res.sort_values(["start_on", "staff_id", "customer_id"], kind="stable").reset_index(drop=True)
        res.insert(0, "residency_id", np.arange(1, len(res) + 1, dtype=np.int64))
        res["focus"] = _choice(
            rng,
            ["display", "brand", "digital", "pricing", "management"],
            [0.3, 0.2, 0.2, 0.15, 0.15],
            len(res),
        )
        self.res_df = res
        # first treatment day per customer: a classroom/guidance attendance or a residency hosted
        n = len(self.cust)
        treat = np.full(n, np.datetime64("NaT", "D"))
        idx = np.concatenate([self.att_days[0], res.customer_id.to_numpy() - 1])
        day = np.concatenate([self.att_days[1], res.start_on.to_numpy().astype("datetime64[D]")])
        if len(idx):
            o = np.lexsort((day, idx))
            idx, day = idx[o], day[o]
            first = np.r_[True, idx[1:] != idx[:-1]]
            treat[idx[first]] = day[first]
        self.treat = treat
        return res

    # -------------------------------------------------------- monthly figures

    def _season(self, months: np.ndarray, amp_before: float, amp_after: float) -> np.ndarray:
        """Monthly factor: a peak over the 30 days before each Spring Festival, a dip after it."""
        f = np.ones(len(months))
        m_end = (months.astype("datetime64[M]") + 1).astype("datetime64[D]")
        for sf in self.sfs:
            for lo, hi, amp, span in (
                (sf - 30 * DAY, sf, amp_before, 30),
                (sf, sf + 15 * DAY, -amp_after, 15),
            ):
                overlap = (np.minimum(m_end, hi) - np.maximum(months, lo)) / DAY
                f += amp * np.clip(overlap, 0, None) / span
        return f

    def customer_monthly(self, lo: int = 0, hi: int | None = None, rng=None) -> pd.DataFrame:
        """Monthly orders and profit of the customers lo..hi (all by default); keeps their non-tobacco
        revenue and open months for the POS sales."""
        rng = rng or self.rng
        hi = len(self.cust) if hi is None else hi
        n, months = hi - lo, self.month_list
        nm = len(months)
        if lo == 0:
            self.nt_matrix = np.zeros((len(self.cust), nm))
            self.open_mask = np.zeros((len(self.cust), nm), dtype=bool)
        cust = self.cust.iloc[lo:hi]
        grade = cust.grade.to_numpy().astype(float)
        bt = cust.business_type.to_numpy()
        base_tob = 2_600 * 1.12 ** (grade - 1) * rng.lognormal(0, 0.15, n)
        tob_rate = rng.uniform(0.09, 0.12, n)
        base_nt = np.vectorize(NONTOB_BASE.get)(bt) * 1.04 ** (grade - 15) * rng.lognormal(0, 0.3, n)
        nt_rate = rng.uniform(0.15, 0.25, n)
        trend = 1 + 0.03 * np.arange(nm) / 12
        s_tob = self._season(months, 0.75, 0.25) * trend
        s_nt = self._season(months, 0.35, 0.1) * trend * (1 + 0.08 * np.sin((np.arange(nm) + 2) * np.pi / 6))

        # treatment uplift: half in the month after the first treatment, full from the month after that
        treat_m = self.treat[lo:hi].astype("datetime64[M]")
        k = (months.astype("datetime64[M]")[None, :] - treat_m[:, None]).astype("float64")
        k = np.where(np.isnat(treat_m)[:, None], 0, k)
        eff = rng.normal(DEMO_FACTS["treatment_effect"]["gross_profit_uplift"], 0.02, n)
        uplift = 1 + eff[:, None] * np.where(k >= 2, 1.0, np.where(k == 1, 0.5, 0.0))

        noise_t = rng.lognormal(0, 0.07, (n, nm))
        noise_n = rng.lognormal(0, 0.09, (n, nm))
        tob = base_tob[:, None] * s_tob[None, :] * noise_t * uplift
        tob_gp = tob * (tob_rate[:, None] + rng.normal(0, 0.004, (n, nm)))
        nt = base_nt[:, None] * s_nt[None, :] * noise_n * uplift
        nt_gp = nt * (nt_rate[:, None] + rng.normal(0, 0.01, (n, nm)))

        opened_m = cust.opened_on.to_numpy().astype("datetime64[M]").astype("datetime64[D]")
        open_mask = (opened_m[:, None] <= months[None, :]) & (months[None, :] < self.stop[lo:hi, None])
        ci, mi = np.nonzero(open_mask)
        df = pd.DataFrame(
            {
                "customer_id": ci.astype(np.int64) + lo + 1,
                "month": months[mi],
                "tobacco_orders_yuan": np.round(tob[ci, mi], 2),
                "tobacco_gross_profit_yuan": np.round(tob_gp[ci, mi], 2),
                "nontobacco_revenue_yuan": np.round(nt[ci, mi], 2),
                "nontobacco_gross_profit_yuan": np.round(nt_gp[ci, mi], 2),
            }
        )
        self.nt_matrix[lo:hi] = nt
        self.open_mask[lo:hi] = open_mask
        return df

    # -------------------------------------------------------- products and POS sales

    def products(self) -> pd.DataFrame:
        df = pd.DataFrame(names.PRODUCTS, columns=["name", "category", "price"])
        df.insert(0, "sku_id", np.arange(1, len(df) + 1, dtype=np.int32))
        df["margin"] = df.category.map(names.CATEGORY_MARGIN)
        df["popularity"] = self.rng.lognormal(0, 0.9, len(df))
        df["avg_basket"] = df.price * 1.5 + self.rng.uniform(12, 45, len(df))
        self.product_df = df
        return df[["sku_id", "name", "category"]]

    def product_sales_chunks(self, chunk_stores: int = 400):
        """Yield product_sales_monthly frames for the POS stores, a chunk of stores at a time."""
        rng = self.rng
        prod = self.product_df
        n_sku = len(prod)
        pos = np.flatnonzero(self.cust.has_pos.to_numpy())
        showcase = DEMO_FACTS["nine_grid_customer_id"] - 1 if self.is_demo else -1
        pos = pos[pos != showcase]
        lo, hi = self.cfg["pos_skus"]
        pop = np.log(prod.popularity.to_numpy())
        price = prod.price.to_numpy()
        margin = prod.margin.to_numpy()
        basket = prod.avg_basket.to_numpy()
        months = self.month_list
        for start in range(0, len(pos), chunk_stores):
            stores = pos[start : start + chunk_stores]
            ns = len(stores)
            k = rng.integers(lo, hi + 1, ns)
            keys = pop[None, :] + rng.gumbel(size=(ns, n_sku))
            rank = np.argsort(np.argsort(-keys, axis=1), axis=1)
            carried = rank < k[:, None]
            weight = np.where(carried, np.exp(pop)[None, :] * rng.lognormal(0, 0.8, (ns, n_sku)), 0)
            share = weight / weight.sum(axis=1, keepdims=True)
            si, ki = np.nonzero(carried)
            store_margin = rng.uniform(0.85, 1.15, ns)
            store_basket = rng.uniform(0.7, 1.4, ns)
            pair_stock = rng.uniform(0.4, 2.6, len(si))
            # pairs x open months
            om = self.open_mask[stores]
            mi_per_pair = [np.flatnonzero(om[s]) for s in range(ns)]
            n_m = np.array([len(x) for x in mi_per_pair])[si]
            pair_rep = np.repeat(np.arange(len(si)), n_m)
            mi = np.concatenate([mi_per_pair[s] for s in si]) if len(si) else np.zeros(0, dtype=np.int64)
            s_r, k_r = si[pair_rep], ki[pair_rep]
            total = self.nt_matrix[stores[s_r], mi]
            rev = total * share[s_r, k_r] * rng.lognormal(0, 0.12, len(s_r))
            units = np.round(rev / (price[k_r] * rng.uniform(0.95, 1.05, len(s_r))))
            rev = np.round(np.where(units > 0, rev, 0.0), 2)
            gp = np.round(rev * margin[k_r] * store_margin[s_r] * rng.uniform(0.9, 1.1, len(s_r)), 2)
            trans = np.round(units / rng.uniform(1.0, 2.2, len(s_r))).astype(np.int64)
            trans = np.where((units > 0) & (trans == 0), 1, trans)
            bval = np.round(trans * basket[k_r] * store_basket[s_r] * rng.uniform(0.85, 1.15, len(s_r)), 2)
            stock = np.round(np.maximum(units, 1) * pair_stock[pair_rep] * rng.uniform(0.8, 1.2, len(s_r)), 1)
            yield pd.DataFrame(
                {
                    "customer_id": stores[s_r].astype(np.int64) + 1,
                    "sku_id": prod.sku_id.to_numpy()[k_r],
                    "month": months[mi],
                    "units": units,
                    "revenue_yuan": rev,
                    "gross_profit_yuan": gp,
                    "transactions": trans,
                    "basket_value_yuan": bval,
                    "avg_stock_units": stock,
                }
            )
        if self.is_demo:
            yield signals.nine_grid_store(
                rng, showcase + 1, self.product_df, list(months), (_d("2026-03-01"), _d("2026-05-01"))
            )

    # -------------------------------------------------------- surveys

    def surveys(self) -> pd.DataFrame:
        rng = self.rng
        n = len(self.cust)
        n_st = len(self.station_df)
        station_eff = rng.normal(0, 1.5, n_st)
        dim_station = rng.normal(0, 1.5, (n_st, len(DIMENSIONS)))
        if self.is_demo:  # delivery weaker at the rural stations, GL worst; ordering weaker at GD
            station_eff[:] = [1.5, 2.0, -0.5, -1.0, 0.0]
            dim_station[:] = 0
            dim_station[3, 2], dim_station[2, 2], dim_station[4, 2] = -9, -5, -3
            dim_station[2, 1] = -4
            dim_station[:2, 6] = 2
        route_eff = rng.normal(0, 1.2, len(self.route_df))
        weak = self.route_df.route_id.to_numpy() == DEMO_FACTS["weak_route_id"]
        route_eff[weak] = -21.0
        cust_eff = rng.normal(0, 4.5, n)
        dim_base = np.array([2.0, 1.0, 0.0, 1.0, 3.0, -2.0, 2.5])
        rural_ordering = np.where(self.cust.market_type.to_numpy() == "X", -2.0, 0.0)

        q0 = self.first.astype("datetime64[M]")
        q0 = q0 - (q0.astype(int) % 3)
        frames = []
        q = q0
        while q.astype("datetime64[D]") < self.end:
            lo = max(q.astype("datetime64[D]"), self.first)
            hi = min((q + 3).astype("datetime64[D]"), self.end)
            year = q.astype("datetime64[Y]").astype(int) + 1970
            wave = f"{year}Q{q.astype(int) % 12 // 3 + 1}"
            day = lo + rng.integers(0, int((hi - lo) / DAY), n) * DAY
            pick = (rng.random(n) < 0.35) & self._open_at(day, np.arange(n))
            ci = np.flatnonzero(pick)
            d = day[ci]
            treated = ~np.isnat(self.treat[ci]) & (self.treat[ci] < d)
            latent = 84 + station_eff[self.st_idx[ci]] + route_eff[self.route_idx[ci]] + cust_eff[ci]
            latent = (
                latent
                + DEMO_FACTS["treatment_effect"]["overall_score"] * treated
                + rng.normal(0, 1.5, len(ci))
            )
            dims = (
                latent[:, None]
                + dim_base[None, :]
                + dim_station[self.st_idx[ci]]
                + rng.normal(0, 5, (len(ci), len(DIMENSIONS)))
            )
            dims[:, 1] += rural_ordering[ci]
            dims = np.clip(np.round(dims, 1), 0, 100)
            overall = np.clip(np.round(dims @ DIM_WEIGHTS + rng.normal(0, 2.0, len(ci)), 1), 0, 100)
            f = pd.DataFrame(dims, columns=DIMENSIONS)
            f.insert(0, "wave", wave)
            f.insert(0, "surveyed_on", d)
            f.insert(0, "customer_id", ci.astype(np.int64) + 1)
            f["overall"] = overall
            frames.append(f)
            q = q + 3
        df = pd.concat(frames, ignore_index=True)
        df = df.sort_values(["surveyed_on", "customer_id"], kind="stable").reset_index(drop=True)
        df.insert(0, "survey_id", np.arange(1, len(df) + 1, dtype=np.int64))
        return df

    # -------------------------------------------------------- tickets

    def tickets(self) -> pd.DataFrame:
        rng, cfg = self.rng, self.cfg
        days = np.arange(self.first, self.end)
        in_peak = np.zeros(len(days), dtype=bool)
        for sf in self.sfs:
            in_peak |= (days >= sf - 28 * DAY) & (days < sf)
        w = np.where(in_peak, 2.6, 1.0)
        n_cust = len(self.cust)
        weak_c = self.cust.route_id.to_numpy() == DEMO_FACTS["weak_route_id"]
        lam = cfg["tickets_per_customer_year"] * self.years * np.where(weak_c, 1.4, 1.0) * 1.08
        per = rng.poisson(lam, n_cust)
        ci = np.repeat(np.arange(n_cust), per)
        di = rng.choice(len(days), len(ci), p=w / w.sum())
        day = days[di]
        ok = self._open_at(day, ci)
        ci, di, day = ci[ok], di[ok], day[ok]
        goal = cfg.get("targets", {}).get("tickets")
        if goal:  # a preset's total, exactly: a random subset of the candidates, in their order
            keep = np.sort(rng.choice(len(ci), goal, replace=False))
            ci, di, day = ci[keep], di[keep], day[keep]
        m = len(ci)
        hour = rng.choice(np.arange(24), m, p=self._hour_profile())
        received = (
            day.astype("datetime64[s]") + hour * HOUR + rng.integers(0, 3600, m) * np.timedelta64(1, "s")
        )
        weak = weak_c[ci]
        kind = _choice(
            rng, ["consultation", "complaint", "report", "suggestion"], [0.55, 0.25, 0.08, 0.12], m
        )
        kind = np.where(weak & (rng.random(m) < 0.2), "complaint", kind)
        channel = _choice(
            rng,
            ["hotline_12313", "wechat", "ordering_web", "qr_miniprogram", "ai_service", "staff_entry"],
            [0.35, 0.2, 0.15, 0.1, 0.1, 0.1],
            m,
        )
        topics = np.array(
            [
                "supply",
                "price",
                "service_attitude",
                "delivery",
                "ordering_system",
                "settlement",
                "grade",
                "licensing",
                "other",
            ]
        )
        topic = _choice(rng, topics, [0.15, 0.1, 0.1, 0.14, 0.15, 0.08, 0.12, 0.06, 0.1], m)
        topic = np.where(in_peak[di] & (rng.random(m) < 0.67), "supply", topic)
        topic = np.where((kind == "complaint") & (rng.random(m) < 0.25), "service_attitude", topic)
        topic = np.where(in_peak[di] & (rng.random(m) < 0.55), "supply", topic)

        routes = self.route_df.set_index("route_id")
        r_of = self.cust.route_id.to_numpy()[ci]
        cm = routes.customer_manager_id.reindex(r_of).to_numpy()
        ins = routes.inspector_id.reindex(r_of).to_numpy()
        heads = self.staff_df[self.staff_df.role == "station_head"].set_index("station_id").staff_id
        head = heads.reindex(self.cust.station_id.to_numpy()[ci]).to_numpy()
        u = rng.random(m)
        owner = np.where(u < 0.8, cm, np.where(u < 0.9, ins, head))

        def hours(x):
            return (np.asarray(x) * 3600).astype(np.int64) * np.timedelta64(1, "s")

        resp_h = np.where(
            rng.random(m) < np.where(weak, 0.35, 0.07),
            rng.uniform(24.5, 60, m),
            rng.lognormal(np.log(1.5), 0.9, m).clip(0.05, 23.5),
        )
        responded = received + hours(resp_h)
        routed = responded + hours(rng.lognormal(np.log(0.6), 0.8, m).clip(0.02, 12))
        med = np.select(
            [kind == "consultation", kind == "complaint", kind == "report"], [4.0, 40.0, 44.0], 90.0
        )
        res_h = rng.lognormal(np.log(med), 0.5, m) * np.where(weak, 2.2, 1.0)
        res_h = np.where(kind == "consultation", res_h.clip(0.2, 20), res_h.clip(1, 24 * 9))
        stuck = rng.random(m) < 0.015  # the backlog: a few tickets stay open for weeks
        res_h = np.where(stuck, rng.uniform(7 * 24, 45 * 24, m), res_h)
        resolved = routed + hours(res_h)
        called = rng.random(m) < 0.85
        callback = resolved + hours(rng.uniform(20, 48, m))
        result = _choice(rng, ["satisfied", "basic", "unsatisfied"], [0.72, 0.21, 0.07], m)
        result = np.where(weak & (rng.random(m) < 0.25), "unsatisfied", result)
        reopened = rng.choice([0, 1, 2], m, p=[0.93, 0.06, 0.01])

        end = self.end.astype("datetime64[s]")
        nat = np.datetime64("NaT", "s")
        responded = np.where(responded < end, responded, nat)
        routed = np.where(~np.isnat(responded) & (routed < end), routed, nat)
        resolved = np.where(~np.isnat(routed) & (resolved < end), resolved, nat)
        callback = np.where(called & ~np.isnat(resolved) & (callback < end), callback, nat)
        result = np.where(np.isnat(callback), None, result)
        reopened = np.where(np.isnat(resolved), 0, reopened)
        df = pd.DataFrame(
            {
                "customer_id": ci.astype(np.int64) + 1,
                "channel": channel,
                "kind": kind,
                "topic": topic,
                "first_owner_id": owner,
                "received_at": received,
                "responded_at": responded,
                "routed_at": routed,
                "resolved_at": resolved,
                "callback_at": callback,
                "callback_result": result,
                "reopened_count": reopened.astype(np.int32),
            }
        )
        df = df.sort_values(["received_at", "customer_id"], kind="stable").reset_index(drop=True)
        df.insert(0, "ticket_id", np.arange(1, len(df) + 1, dtype=np.int64))
        self.ticket_df = df
        return df

    @staticmethod
    def _hour_profile() -> np.ndarray:
        p = np.array([1, 0.5, 0.3, 0.3, 0.3, 0.5, 2, 5, 9, 10, 10, 9, 7, 8, 9, 9, 8, 7, 6, 5, 4, 3, 2, 1.5])
        return p / p.sum()

    # -------------------------------------------------------- plans and visits

    def customer_chunks(self, tag: int = 7) -> list[tuple[int, int, np.random.Generator]]:
        """Ranges of customers whose plans and visits are generated together, each with a random stream.
        One range on the main stream when the data set fits in memory at once (the demo and city scales
        come out as they always have); otherwise ranges of `chunk_customers`, each on a stream of its
        own derived from the seed, so memory stays bounded and the result deterministic."""
        n = len(self.cust)
        size = self.cfg.get("chunk_customers") or n
        if size >= n:
            return [(0, n, self.rng)]
        return [
            (lo, min(n, lo + size), np.random.default_rng([self.seed, tag, k]))
            for k, lo in enumerate(range(0, n, size))
        ]

    def visit_plans(self, lo: int = 0, hi: int | None = None, rng=None) -> pd.DataFrame:
        """Plans of the customers lo..hi: each on its route's weekday, every other week."""
        rng = rng or self.rng
        hi = len(self.cust) if hi is None else hi
        routes = self.route_df
        wd_of_route = routes.visit_weekday.to_numpy()
        cust_wd = wd_of_route[self.route_idx[lo:hi]]
        parity = rng.integers(0, 2, hi - lo)
        days = np.arange(self.first, self.end)
        iso_wd = (days.view("int64") - 4) % 7 + 1
        week_no = (days.view("int64") - 4) // 7
        skip = np.zeros(len(days), dtype=bool)
        for sf in self.sfs:
            skip |= (days >= sf - 3 * DAY) & (days <= sf + 4 * DAY)
        ci_parts, d_parts = [], []
        for wd in range(1, 8):
            for p in (0, 1):
                members = np.flatnonzero((cust_wd == wd) & (parity == p)) + lo
                dd = days[(iso_wd == wd) & (week_no % 2 == p) & ~skip]
                if len(members) == 0 or len(dd) == 0:
                    continue
                ci_parts.append(np.repeat(members, len(dd)))
                d_parts.append(np.tile(dd, len(members)))
        ci = np.concatenate(ci_parts) if ci_parts else np.zeros(0, dtype=np.int64)
        day = np.concatenate(d_parts) if d_parts else np.zeros(0, dtype="datetime64[D]")
        ok = self._open_at(day, ci)
        ci, day = ci[ok], day[ok]
        cm = routes.customer_manager_id.to_numpy()[self.route_idx[ci]]
        df = pd.DataFrame({"staff_id": cm, "customer_id": ci.astype(np.int64) + 1, "planned_on": day})
        return df.sort_values(["planned_on", "staff_id", "customer_id"], kind="stable").reset_index(drop=True)

    def manager_rates(self) -> dict:
        """Each customer manager's share of plans kept (the weak one's lower on the demo)."""
        cms = self.route_df.customer_manager_id.unique()
        cm_rate = dict(zip(cms, self.rng.uniform(0.885, 0.94, len(cms)), strict=True))
        if self.is_demo:
            cm_rate[DEMO_FACTS["weak_customer_manager_id"]] = 0.875
        return cm_rate

    def routine_visits(
        self, plans: pd.DataFrame, cm_rate: dict, rng=None
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The routine and joint visits made of plans, and the inspectors' rows of the joint ones."""
        rng = rng or self.rng
        m = len(plans)
        ci = plans.customer_id.to_numpy() - 1
        ridx = self.route_idx[ci]
        routes = self.route_df
        weak = routes.route_id.to_numpy()[ridx] == DEMO_FACTS["weak_route_id"]
        rate = np.vectorize(cm_rate.get, otypes=[float])(plans.staff_id.to_numpy()) if m else np.zeros(0)
        rate = np.where(weak, 0.6, rate)
        done = rng.random(m) < rate
        late = rng.random(m) < 0.12
        day = plans.planned_on.to_numpy() + np.where(late, 1, 0) * DAY
        start = day.astype("datetime64[s]") + rng.integers(8 * 3600 + 1800, 17 * 3600, m) * np.timedelta64(
            1, "s"
        )
        dur = np.where(weak, rng.uniform(5, 20, m), rng.uniform(10, 40, m))
        dist = np.where(weak, rng.lognormal(np.log(140), 0.7, m), rng.lognormal(np.log(18), 0.8, m))
        req = rng.integers(2, 6, m)
        short = rng.random(m) < np.where(weak, 0.45, 0.1)
        tdone = np.where(short, np.maximum(0, req - rng.integers(1, 3, m)), req)
        base = pd.DataFrame(
            {
                "staff_id": plans.staff_id.to_numpy(),
                "customer_id": plans.customer_id.to_numpy(),
                "kind": "routine",
                "started_at": start,
                "ended_at": start + (dur * 60).astype(np.int64) * np.timedelta64(1, "s"),
                "checkin_distance_m": np.round(dist, 1),
                "tasks_required": req,
                "tasks_done": tdone,
            }
        )[done & self._open_at(day, ci)]
        # joint visits (专销联合): the route's inspector comes along, one row each
        joint = rng.random(len(base)) < 0.06
        base.loc[joint, "kind"] = "joint"
        ins = base[joint].copy()
        ins["staff_id"] = routes.inspector_id.to_numpy()[self.route_idx[ins.customer_id.to_numpy() - 1]]
        ins["checkin_distance_m"] = np.round(rng.lognormal(np.log(20), 0.8, len(ins)), 1)
        return base, ins

    def other_visits(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Callback visits after complaints, and one visit per residency day."""
        rng = self.rng
        routes = self.route_df
        t = self.ticket_df
        comp = t[(t.kind == "complaint") & t.resolved_at.notna()]
        comp = comp[rng.random(len(comp)) < 0.5]
        cb_start = comp.resolved_at.to_numpy().astype("datetime64[D]") + rng.integers(1, 4, len(comp)) * DAY
        cb_start = cb_start.astype("datetime64[s]") + rng.integers(
            9 * 3600, 17 * 3600, len(comp)
        ) * np.timedelta64(1, "s")
        cb_ci = comp.customer_id.to_numpy() - 1
        cb = pd.DataFrame(
            {
                "staff_id": routes.customer_manager_id.to_numpy()[self.route_idx[cb_ci]],
                "customer_id": comp.customer_id.to_numpy(),
                "kind": "callback",
                "started_at": cb_start,
                "ended_at": cb_start + rng.integers(15 * 60, 45 * 60, len(comp)) * np.timedelta64(1, "s"),
                "checkin_distance_m": np.round(rng.lognormal(np.log(18), 0.8, len(comp)), 1),
                "tasks_required": 1,
                "tasks_done": 1,
            }
        )[cb_start < self.end.astype("datetime64[s]")]
        # residency visits: one row per day spent in the store
        r = self.res_df
        rep = np.repeat(np.arange(len(r)), r.days.to_numpy())
        offset = np.concatenate([np.arange(d) for d in r.days.to_numpy()]) if len(r) else np.zeros(0, int)
        rs = (r.start_on.to_numpy().astype("datetime64[D]")[rep] + offset * DAY).astype(
            "datetime64[s]"
        ) + 9 * HOUR
        rv = pd.DataFrame(
            {
                "staff_id": r.staff_id.to_numpy()[rep],
                "customer_id": r.customer_id.to_numpy()[rep],
                "kind": "residency",
                "started_at": rs,
                "ended_at": rs + rng.integers(5 * 60, 8 * 60, len(rep)) * 60 * np.timedelta64(1, "s"),
                "checkin_distance_m": np.round(rng.uniform(0, 15, len(rep)), 1),
                "tasks_required": 3,
                "tasks_done": 3,
            }
        )[rs < self.end.astype("datetime64[s]")]
        return cb, rv

    def visits(self, plans: pd.DataFrame) -> pd.DataFrame:
        """Every visit of a data set generated in one piece, numbered in time order."""
        base, ins = self.routine_visits(plans, self.manager_rates())
        cb, rv = self.other_visits()
        df = pd.concat([base, ins, cb, rv], ignore_index=True)
        df = df.sort_values(["started_at", "staff_id", "customer_id"], kind="stable").reset_index(drop=True)
        df.insert(0, "visit_id", np.arange(1, len(df) + 1, dtype=np.int64))
        df["tasks_required"] = df.tasks_required.astype(np.int32)
        df["tasks_done"] = df.tasks_done.astype(np.int32)
        return df

    def stream_plans_and_visits(self, con, chunks) -> dict[str, int]:
        """Plans and visits chunk by chunk into staging tables, then into the tables in time order (visit
        ids follow started_at, staff, customer, then the order they were made in), as in one piece."""
        con.execute("create temp table _plans as select * from visit_plans limit 0")
        con.execute(
            "create temp table _visits as select * exclude (visit_id), 0 as part, 0::bigint as seq "
            "from visits limit 0"
        )
        cm_rate = self.manager_rates()
        seq = 0

        def stage(df: pd.DataFrame, part: int) -> None:
            nonlocal seq
            staged = df.assign(part=part, seq=np.arange(seq, seq + len(df), dtype=np.int64))
            seq += len(df)
            con.from_df(staged[con.table("_visits").columns]).insert_into("_visits")

        n_plans = 0
        for lo, hi, rng in chunks:
            plans = self.visit_plans(lo, hi, rng)
            con.from_df(plans).insert_into("_plans")
            n_plans += len(plans)
            base, ins = self.routine_visits(plans, cm_rate, rng)
            stage(base, 0)
            stage(ins, 1)
        cb, rv = self.other_visits()
        stage(cb, 2)
        stage(rv, 3)
        # Into the tables a month at a time, in time order, each month's visit ids numbered on from the months
        # before: the same tables as one sort of everything, which for the country's year (~140 million
        # visits) needs more memory than a shared machine has.
        for (start,) in con.execute(
            "select distinct date_trunc('month', planned_on) as m from _plans order by m"
        ).fetchall():
            con.execute(
                "insert into visit_plans select * from _plans where date_trunc('month', planned_on) = $start "
                "order by planned_on, staff_id, customer_id",
                {"start": start},
            )
        numbered = 0
        for (start,) in con.execute(
            "select distinct date_trunc('month', started_at) as m from _visits order by m"
        ).fetchall():
            (added,) = con.execute(
                """
                insert into visits
                select
                    $numbered + row_number() over (order by started_at, staff_id, customer_id, part, seq)
                        as visit_id,
                    staff_id, customer_id, kind, started_at, ended_at, checkin_distance_m,
                    tasks_required::integer, tasks_done::integer
                from _visits
                where date_trunc('month', started_at) = $start
                order by visit_id
                """,
                {"start": start, "numbered": numbered},
            ).fetchone()
            numbered += added
        con.execute("drop table _plans")
        con.execute("drop table _visits")
        return {"visit_plans": n_plans, "visits": seq}


def _drop_key(con, table: str) -> str:
    """Make a table as the schema has it, less its primary-key index (over a few hundred million rows
    DuckDB's key index needs more memory than a shared machine has); returns the key, for check_key.
    Identifiers come from the schema file and the presets, never from a user."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    found = re.search(rf"create table if not exists {table} \((.*?)\n\);", text, re.DOTALL)
    body = found.group(1)
    clause = re.search(r",\s*primary key \(([^)]*)\)", body)  # primary key (a, b, c)
    if clause:
        key, body = clause.group(1), body.replace(clause.group(0), "")
    else:  # a_id bigint primary key
        key, body = re.search(r"(\w+) \w+ primary key", body).group(1), body.replace(" primary key", "", 1)
    con.execute("drop table " + table)  # sql: identifiers only (a table name of our schema)
    con.execute("create table " + table + " (" + body + ")")  # sql: identifiers only (its own columns)
    return key


def check_key(con, table: str, key: str) -> None:
    """Fail the build if a table loaded without its key index repeats a key."""
    found = con.table(table).aggregate(key + ", count(*) as n", key).filter("n > 1").limit(3).fetchall()
    if found:
        raise RuntimeError(f"{table}: key ({key}) repeated, e.g. {found}")


def verify_nine_grid(con) -> dict:
    """Classify the showcase store from the DB rows; fail the build if the counts are not the planted ones."""
    from dashboard.metrics.nine_grid import cell_counts, classify

    out = {}
    for label in ("before", "after"):
        lo, hi = DEMO_FACTS[f"nine_grid_{label}"]
        skus = con.execute(
            """
            select sku_id, sum(units) as units, sum(revenue_yuan)::double as revenue_yuan,
                   sum(gross_profit_yuan)::double as gross_profit_yuan, sum(transactions) as transactions,
                   sum(basket_value_yuan)::double as basket_value_yuan,
                   avg(avg_stock_units) as avg_stock_units
            from product_sales_monthly
            where customer_id = $cid and month between $lo and $hi
            group by sku_id order by sku_id
            """,
            {"cid": DEMO_FACTS["nine_grid_customer_id"], "lo": lo, "hi": hi},
        ).df()
        days = int((_d(hi) - _d(lo)) / DAY) + 1
        counts = cell_counts(classify(skus, days))
        want = DEMO_FACTS["nine_grid_counts"][label]
        if counts["slow"] != want["slow"] or counts["hit"] != want["hit"]:
            raise RuntimeError(f"nine-grid showcase {label}: got {counts}, want {want}")
        out[label] = counts
    return out


def memory_limit(scale: str) -> str:
    """DuckDB's memory limit while building (and refreshing) a scale's store."""
    return SCALES[scale].get("memory_limit", "8GB")


def _rollups(out: Path, limit: str, progress: bool) -> None:
    """The rollups of a built store, on the file in place: should they fail, the raw tables (an hour's
    work at the national scale) stay, pages read them (slower, the same figures), and `python -m
    dashboard refresh` builds the rollups again."""
    try:
        rollups.refresh_file(out, limit, progress)
    except Exception as error:
        raise RuntimeError(
            f"{out}: the raw tables are built but the rollups failed ({error}); "
            f"`python -m dashboard refresh --in-place --db {out}` builds them again"
        ) from error


def build(out: Path, scale: str = "demo", seed: int = 20261031, progress: bool = True) -> dict:
    """Generate a data set into a temp file beside `out`, then atomically replace `out` with it."""
    t0 = time.perf_counter()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"{out.name}.tmp-{os.getpid()}")
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        p.unlink(missing_ok=True)
    g = _Gen(scale, seed)
    steps = [
        "stations",
        "staff",
        "routes",
        "customers",
        "training",
        "residencies",
        "customer_monthly",
        "products",
        "product_sales_monthly",
        "surveys",
        "tickets",
        "visit_plans",
        "visits",
        "checkpoint",
    ]
    bar = tqdm(
        total=len(steps), desc=f"demo data ({scale})", disable=not progress, file=sys.stderr, unit="step"
    )
    rows: dict[str, int] = {}
    con = connect(tmp, read_only=False)
    try:
        con.execute("set enable_progress_bar = false")  # our own bar (or silence) only
        # a shared machine: big presets sort and index within a bounded memory, spilling beside the file
        con.execute("set memory_limit = $limit", {"limit": memory_limit(scale)})
        con.execute("set temp_directory = $dir", {"dir": str(tmp.parent / ".duckdb-tmp")})
        apply_schema(con)
        unkeyed = {table: _drop_key(con, table) for table in g.cfg.get("unkeyed", ())}

        def put(table, df):
            _insert(con, table, df)
            rows[table] = rows.get(table, 0) + len(df)

        def step(name):
            bar.set_postfix_str(name)

        step("stations")
        put("stations", g.stations())
        bar.update()
        step("staff")
        put("staff", g.staff())
        bar.update()
        step("routes")
        put("routes", g.routes())
        bar.update()
        step("customers")
        put("customers", g.customers())
        bar.update()
        step("training")
        ses, att = g.training()
        put("training_sessions", ses)
        put("training_attendance", att)
        bar.update()
        step("residencies")
        put("residencies", g.residencies())
        bar.update()
        step("customer_monthly")
        con.execute("create temp table _cm as select * from customer_monthly limit 0")
        n_monthly = 0
        for lo, hi, rng in g.customer_chunks(tag=3):
            cm = g.customer_monthly(lo, hi, rng)
            con.from_df(cm).insert_into("_cm")
            n_monthly += len(cm)
        del cm
        bar.update()
        step("products")
        put("products", g.products())
        bar.update()
        step("product_sales_monthly")
        for chunk in g.product_sales_chunks():
            put("product_sales_monthly", chunk)
        # POS stores: the non-tobacco figures are the sums of their SKU sales
        con.execute(
            """
            insert into customer_monthly
            select c.customer_id, c.month, c.tobacco_orders_yuan, c.tobacco_gross_profit_yuan,
                   coalesce(p.revenue_yuan, c.nontobacco_revenue_yuan),
                   coalesce(p.gross_profit_yuan, c.nontobacco_gross_profit_yuan)
            from _cm as c
            left join (
                select customer_id, month, sum(revenue_yuan) as revenue_yuan,
                       sum(gross_profit_yuan) as gross_profit_yuan
                from product_sales_monthly group by all
            ) as p using (customer_id, month)
            order by c.customer_id, c.month
            """
        )
        con.execute("drop table _cm")
        rows["customer_monthly"] = n_monthly
        bar.update()
        step("surveys")
        put("surveys", g.surveys())
        bar.update()
        step("tickets")
        put("tickets", g.tickets())
        bar.update()
        chunks = g.customer_chunks()
        if len(chunks) == 1:
            step("visit_plans")
            plans = g.visit_plans()
            put("visit_plans", plans)
            bar.update()
            step("visits")
            put("visits", g.visits(plans))
            del plans
        else:
            step("visit_plans + visits")
            rows.update(g.stream_plans_and_visits(con, chunks))
            bar.update()
        bar.update()
        step("checkpoint")
        if g.is_demo:
            verify_nine_grid(con)
        for table, key in unkeyed.items():
            check_key(con, table, key)
        con.execute("checkpoint")
        bar.update()
    except BaseException:
        con.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        bar.close()
    con.close()
    os.replace(tmp, out)
    tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
    _rollups(out, memory_limit(scale), progress)

    return {
        "scale": scale,
        "seed": seed,
        "seconds": round(time.perf_counter() - t0, 3),
        "rows": {t: rows.get(t, 0) for t in TABLES},
    }
