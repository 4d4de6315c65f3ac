"""The benchmark's naive baseline: the tables a page needs loaded whole into pandas, and the page's figures
computed there, the way most Streamlit dashboards work. Not used by the app; `bench` times it against the
pages' own queries (same process, same scope) and checks that both give the same figures.

Each page function takes the loaded frames and returns the page's headline figures under the names the
app's own functions use, so the bench can compare them key by key.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from dashboard import overview as overview_area
from dashboard import staff as staff_area
from dashboard import tickets as tickets_area
from dashboard.metrics import km, three_labor
from dashboard.metrics.did import did
from dashboard.metrics.nine_grid import cell_counts, classify
from dashboard.satisfaction import DIMENSIONS
from dashboard.scope import Scope, add_months, month_end
from dashboard.settings import settings

DAY = pd.Timedelta(days=1)
SAMPLE_ROWS = 50_000


def load(con, tables: list[str]) -> dict[str, pd.DataFrame]:
    """`select *` of every table, as a DataFrame each (the naive app's cache miss)."""
    return {name: con.table(name).df() for name in tables}


def estimate_bytes(con, tables: list[str]) -> int:
    """Memory the frames of `load` would take: a sample's deep size scaled to the table's row count."""
    total = 0
    for name in tables:
        rel = con.table(name)
        n = rel.aggregate("count(*)").fetchall()[0][0]
        if n:
            sample = rel.limit(SAMPLE_ROWS).df()
            total += int(sample.memory_usage(deep=True).sum() / len(sample) * n)
    return total


# ---- shared rules ----------------------------------------------------------------------------------


def _day(value: date) -> pd.Timestamp:
    return pd.Timestamp(value)


def _mean(series: pd.Series):
    return float(series.mean()) if series.notna().any() else None


def _median(series: pd.Series):
    return float(series.median()) if series.notna().any() else None


def scoped(f: dict, scope: Scope) -> pd.DataFrame:
    """The customers of the scope (its filters as the SQL gets them, cut to a role's limit), with their
    station."""
    c = f["customers"].merge(f["routes"][["route_id", "station_id"]], on="route_id")
    given = scope.filter_params()
    keep = np.ones(len(c), dtype=bool)
    for column, key in (
        ("station_id", "stations"),
        ("route_id", "routes"),
        ("business_type", "btypes"),
        ("market_type", "markets"),
    ):
        if given[key]:
            keep &= c[column].isin(given[key]).to_numpy()
    if given["customer"] is not None:
        keep &= (c["customer_id"] == given["customer"]).to_numpy()
    return c[keep]


def ranked_surveys(f: dict, ids: pd.Series, to: pd.Timestamp) -> pd.DataFrame:
    """Surveys of the customers up to `to`, newest first per customer, with their rank (1 = latest)."""
    s = f["surveys"]
    s = s[s["customer_id"].isin(ids) & (s["surveyed_on"] <= to)]
    s = s.sort_values(["customer_id", "surveyed_on", "survey_id"], ascending=[True, False, False])
    return s.assign(rank=s.groupby("customer_id").cumcount() + 1)


def latest_surveys(f: dict, ids: pd.Series, to: pd.Timestamp) -> pd.DataFrame:
    s = ranked_surveys(f, ids, to)
    return s[(s["rank"] == 1) & (s["surveyed_on"] > to - pd.DateOffset(months=12))]


def _hours(later: pd.Series, earlier: pd.Series) -> pd.Series:
    return (later - earlier).dt.total_seconds() / 3600


def tickets_as_of(f: dict, end: pd.Timestamp) -> pd.DataFrame:
    """Tickets received before E with every stage time at or after E blanked (DESIGN.md section 5)."""
    t = f["tickets"]
    t = t[t["received_at"] < end].copy()
    called = t["callback_at"] < end
    for column in ("responded_at", "routed_at", "resolved_at", "callback_at"):
        t[column] = t[column].where(t[column] < end)
    t["callback_result"] = t["callback_result"].where(called)
    return t


# ---- overview, programs -----------------------------------------------------------------------------


def program_kpis(f: dict, scope: Scope) -> dict:
    c = scoped(f, scope)
    fr, to = _day(scope.date_from), _day(scope.date_to)
    sessions = f["training_sessions"]
    held = sessions[sessions["held_on"].between(fr, to)]
    at_stations = held[held["station_id"].isin(c["station_id"].unique())]
    attendance = f["training_attendance"].merge(held[["session_id"]], on="session_id")
    attendance = attendance[attendance["customer_id"].isin(c["customer_id"])]
    viewers = int(at_stations.loc[at_stations["format"] == "livestream", "viewers"].sum())
    active = c[(c["opened_on"] <= to) & (c["status"] == "active")]
    reached = attendance["customer_id"].nunique()
    res = f["residencies"]
    res = res[res["customer_id"].isin(c["customer_id"]) & res["start_on"].between(fr, to)]
    n_staff = res["staff_id"].nunique()
    return {
        "training.sessions": len(at_stations),
        "training.rural_sessions": int(at_stations["is_rural"].sum()),
        "training.attendances": len(attendance) + viewers,
        "training.customers_reached": reached,
        "training.coverage": reached / len(active) if len(active) else None,
        "training.livestream_viewers": viewers,
        "residency.staff": n_staff,
        "residency.stores": res["customer_id"].nunique(),
        "residency.days": int(res["days"].sum()),
        "residency.avg_days_per_staff": int(res["days"].sum()) / n_staff if n_staff else None,
    }


def overview_kpis(f: dict, scope: Scope) -> dict:
    c = scoped(f, scope)
    fr, to = _day(scope.date_from), _day(scope.date_to)
    end = to + DAY
    opened = c[c["opened_on"] <= to]
    latest = latest_surveys(f, c["customer_id"], to)
    low = float(settings()["satisfaction"]["low_score"])
    t = f["tickets"]
    t = t[t["customer_id"].isin(c["customer_id"]) & (t["received_at"] >= fr) & (t["received_at"] < end)]
    p = f["visit_plans"]
    p = p[p["customer_id"].isin(c["customer_id"]) & p["planned_on"].between(fr, to)]
    v = f["visits"]
    v = v[
        v["customer_id"].isin(c["customer_id"])
        & v["kind"].isin(["routine", "joint"])
        & (v["started_at"] >= fr)
        & (v["started_at"] < end)
    ]
    programs = program_kpis(f, scope)
    shared = ("training.sessions", "training.rural_sessions", "residency.staff", "residency.stores",
              "residency.days", "residency.avg_days_per_staff")  # fmt: skip
    return {
        "customers.in_scope": len(opened),
        "customers.active": int((opened["status"] == "active").sum()),
        "satisfaction.surveyed": len(latest),
        "satisfaction.overall_mean": _mean(latest["overall"]),
        "satisfaction.low_count": int((latest["overall"] < low).sum()),
        "tickets.received": len(t),
        "visits.planned": len(p),
        "visits.done": len(v),
    } | {k: programs[k] for k in shared}


def overview_page(f: dict, scope: Scope, first_day: date) -> dict:
    """The overview's headline figures of kpis.overview for the period, the one before and last year's
    (a part of what the page shows: its sparklines, ranking and the other areas' cards are not redone
    here, so the pandas time is an underestimate): of the period, what the page reads (SHOWN_KPIS); of the
    periods compared with, what the cards show."""
    shown = {h.kpi for h in overview_area.HEADLINES} | set(overview_area.TREND_COUNTS.values())
    read = set(overview_area.SHOWN_KPIS)
    out = {}
    for name, period in (
        ("current", scope),
        ("previous", scope.previous()),
        ("last_year", scope.last_year()),
    ):
        if period.date_from >= first_day:
            figures = overview_kpis(f, period)
            figures["visits.done_rate"] = (
                figures["visits.done"] / figures["visits.planned"] if figures["visits.planned"] else None
            )
            kept = {k: v for k, v in figures.items() if k in (read if name == "current" else shown)}
            out |= {f"{name}.{k}": v for k, v in kept.items()}
    return out


# ---- tickets ----------------------------------------------------------------------------------------


def ticket_kpis(f: dict, scope: Scope) -> dict:
    c = scoped(f, scope)
    fr, end = _day(scope.date_from), _day(scope.date_to) + DAY
    t = tickets_as_of(f, end)
    t = t[t["customer_id"].isin(c["customer_id"])]
    period = t[t["received_at"] >= fr]
    flags = ticket_flags(period, end)
    response, resolved = flags["response"], flags["resolved"]
    r_met, r_breach = flags["response_met"], flags["response_breach"]
    s_met, s_breach = flags["resolution_met"], flags["resolution_breach"]
    called, satisfied, closed = flags["called"], flags["satisfied"], flags["closed"]
    hours = _hours(period["resolved_at"].fillna(end), period["received_at"])
    curve = km.kaplan_meier(hours, resolved)
    open_ = t[t["resolved_at"].isna()]
    open_age = (end - open_["received_at"]).dt.total_seconds() / 3600
    by = {
        f"tickets.received_by_{name}": {
            code: int(n) for code, n in period[name].value_counts().reindex(codes, fill_value=0).items()
        }
        for name, codes in (
            ("channel", tickets_area.CHANNELS),
            ("kind", tickets_area.KINDS),
            ("topic", tickets_area.TOPICS),
        )
    }

    def rate(num, den):
        return int(num) / int(den) if int(den) else None

    return {
        "tickets.received": len(period),
        **by,
        "tickets.response_sla_rate": rate(r_met.sum(), r_met.sum() + r_breach.sum()),
        "tickets.response_hours_median": _median(response),
        "tickets.resolution_sla_rate": rate(s_met.sum(), s_met.sum() + s_breach.sum()),
        "tickets.resolution_hours_median": km.median(curve) if len(period) else None,
        "tickets.callback_rate": rate(called.sum(), resolved.sum()),
        "tickets.callback_satisfied_rate": rate(satisfied.sum(), called.sum()),
        "tickets.closed_loop_rate": rate(closed.sum(), len(period)),
        "tickets.backlog": len(open_),
        "tickets.backlog_by_age": {
            "lt_24h": int((open_age < 24).sum()),
            "1_3d": int(((open_age >= 24) & (open_age < 72)).sum()),
            "3_7d": int(((open_age >= 72) & (open_age < 168)).sum()),
            "gt_7d": int((open_age >= 168).sum()),
        },
    }


def tickets_page(f: dict, scope: Scope, first_day: date) -> dict:
    """The KPIs of the period and the previous one, the daily volume by channel, the ticket list."""
    now = ticket_kpis(f, scope)
    previous = scope.previous()
    before = ticket_kpis(f, previous) if previous.date_from >= first_day else {}
    c = scoped(f, scope)
    fr, end = _day(scope.date_from), _day(scope.date_to) + DAY
    t = tickets_as_of(f, end)
    t = t[t["customer_id"].isin(c["customer_id"]) & (t["received_at"] >= fr)]
    listed = t.merge(c[["customer_id", "shop_name", "route_id", "station_id"]], on="customer_id")
    listed = listed.merge(f["stations"][["station_id", "name"]], on="station_id")
    listed = listed.assign(day=listed["received_at"].dt.floor("D"))
    listed.groupby(["day", "channel", "kind", "topic"]).size()  # the volume chart's buckets
    return (
        now
        | {f"previous.{k}": v for k, v in before.items()}
        | {"list.rows": len(listed)}
        | ticket_tables(f, scope, t, end)
    )


STAGES = ["responded_at", "routed_at", "resolved_at", "callback_at"]


def ticket_flags(t: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Per ticket of a period (as of `end`): its response and resolution hours, whether each met or broke
    its target (an open ticket older than the target broke it), and how far along the loop it is."""
    goal = tickets_area.targets()
    limit = goal["response_hours"]
    response = _hours(t["responded_at"], t["received_at"])
    resolution = _hours(t["resolved_at"], t["received_at"])
    target = t["kind"].map(goal["resolution_hours"]).astype("float64")
    age = (end - t["received_at"]).dt.total_seconds() / 3600
    resolved = t["resolved_at"].notna()
    called = resolved & t["callback_at"].notna()
    return pd.DataFrame(
        {
            "response": response,
            "response_met": response <= limit,
            "response_breach": (response > limit) | (response.isna() & (age > limit)),
            "resolution_met": resolution <= target,
            "resolution_breach": (resolution > target) | (resolution.isna() & (age > target)),
            "resolved": resolved,
            "called": called,
            "satisfied": called & t["callback_result"].isin(["satisfied", "basic"]),
            "closed": t[STAGES].notna().all(axis=1),
        }
    )


def ticket_tables(f: dict, scope: Scope, t: pd.DataFrame, end: pd.Timestamp) -> dict:
    """The page's tables from the period's tickets `t` (as of `end`): the ranking of stations, routes and
    owners, the funnel, the closure times by kind, and the backlog (every open ticket in scope), summed up
    for the check."""
    c = scoped(f, scope)[["customer_id", "route_id", "station_id"]]
    flags = ticket_flags(t, end).assign(customer_id=t["customer_id"], owner_id=t["first_owner_id"].fillna(""))
    flags = flags.merge(c, on="customer_id")
    resolved = t["resolved_at"].notna()
    found = {}
    for unit, key in (("station", "station_id"), ("route", "route_id"), ("owner", "owner_id")):
        g = flags.groupby(key).agg(
            received=("customer_id", "size"),
            response_met=("response_met", "sum"),
            response_breach=("response_breach", "sum"),
            response_hours_median=("response", "median"),
            resolution_met=("resolution_met", "sum"),
            resolution_breach=("resolution_breach", "sum"),
            resolved=("resolved", "sum"),
            called=("called", "sum"),
            satisfied=("satisfied", "sum"),
            closed=("closed", "sum"),
        )
        rates = {
            "response_sla_rate": g["response_met"] / (g["response_met"] + g["response_breach"]),
            "resolution_sla_rate": g["resolution_met"] / (g["resolution_met"] + g["resolution_breach"]),
            "callback_rate": g["called"] / g["resolved"],
            "callback_satisfied_rate": g["satisfied"] / g["called"],
            "closed_loop_rate": g["closed"] / g["received"],
        }
        found[f"ranking.{unit}.units"] = len(g)
        found[f"ranking.{unit}.received"] = int(g["received"].sum())
        found[f"ranking.{unit}.response_hours_median"] = float(g["response_hours_median"].sum())
        for name, rate in rates.items():  # a rate of no tickets is none, as NULLIF gives it
            found[f"ranking.{unit}.{name}"] = float(rate.replace([np.inf, -np.inf], np.nan).sum())
    reached_at = {"received": t["received_at"], **{at.removesuffix("_at"): t[at] for at in STAGES}}
    now_at = np.select(
        [t["callback_at"].notna(), resolved, t["routed_at"].notna(), t["responded_at"].notna()],
        ["callback", "resolved", "routed", "responded"],
        "received",
    )
    for stage, at in reached_at.items():
        hours = _hours(at, t["received_at"]).clip(lower=0)
        found |= {
            f"funnel.{stage}.reached": int(at.notna().sum()),
            f"funnel.{stage}.median_hours": _median(hours),
            f"funnel.{stage}.now": int((now_at == stage).sum()),
        }
    times = pd.DataFrame({"kind": t["kind"], "hours": _hours(t["resolved_at"].fillna(end), t["received_at"])})
    times["is_resolved"] = resolved
    _, closure = tickets_area.resolution_curves(times)
    for row in closure.to_dict("records"):
        found |= {f"closure.{row['kind']}.{k}": v for k, v in row.items() if k != "kind"}
    everything = tickets_as_of(f, end)
    backlog = everything[everything["resolved_at"].isna() & everything["customer_id"].isin(c["customer_id"])]
    backlog = backlog.merge(c, on="customer_id").merge(f["stations"][["station_id", "name"]], on="station_id")
    found["backlog.rows"] = len(backlog)
    found["backlog.age_hours"] = float(((end - backlog["received_at"]).dt.total_seconds() / 3600).sum())
    return found


# ---- satisfaction -----------------------------------------------------------------------------------


def satisfaction_page(f: dict, scope: Scope) -> dict:
    limits = settings()["satisfaction"]
    to = _day(scope.date_to)
    end = to + DAY
    c = scoped(f, scope)
    opened = c[c["opened_on"] <= to]
    ranked = ranked_surveys(f, opened["customer_id"], to)
    latest = ranked[(ranked["rank"] == 1) & (ranked["surveyed_on"] > to - pd.DateOffset(months=12))]
    previous = ranked[ranked["rank"] == 2][["customer_id", "overall"]].rename(
        columns={"overall": "previous_overall"}
    )
    frame = opened.merge(latest.drop(columns=["rank"]), on="customer_id", how="left")
    frame = frame.merge(previous, on="customer_id", how="left")
    frame.loc[frame["overall"].isna(), "previous_overall"] = np.nan
    v = f["visits"]
    last_visit = v[v["started_at"] < end].groupby("customer_id")["started_at"].max()
    t = f["tickets"]
    open_t = t[(t["received_at"] < end) & (t["resolved_at"].isna() | (t["resolved_at"] >= end))]
    frame["last_visit_on"] = frame["customer_id"].map(last_visit)
    frame["n_open_tickets"] = frame["customer_id"].map(open_t.groupby("customer_id").size()).fillna(0)
    is_low = frame["overall"] < float(limits["low_score"])
    is_drop = (frame["overall"] - frame["previous_overall"]) <= -float(limits["drop_points"])
    scope_latest = latest_surveys(f, c["customer_id"], to)  # the means: every scoped customer's latest
    dims = ["overall", *DIMENSIONS]
    station_means = frame.groupby("station_id")[dims].mean()
    return {
        "satisfaction.overall_mean": _mean(scope_latest["overall"]),
        "satisfaction.surveyed": int(frame["overall"].notna().sum()),
        "satisfaction.low_count": int(is_low.sum()),
        "satisfaction.dimension_mean": {d: _mean(scope_latest[d]) for d in dims[1:]},
        "satisfaction.follow_up_count": int((is_low | is_drop).sum()),
        "stations.rows": len(station_means),
    }


# ---- nine-grid --------------------------------------------------------------------------------------


def sku_totals(f: dict, stores: pd.Series, date_from: date, date_to: date) -> pd.DataFrame:
    s = f["product_sales_monthly"]
    s = s[s["customer_id"].isin(stores) & s["month"].between(_day(date_from), _day(date_to))]
    totals = s.groupby("sku_id").agg(
        units=("units", "sum"),
        revenue_yuan=("revenue_yuan", "sum"),
        gross_profit_yuan=("gross_profit_yuan", "sum"),
        transactions=("transactions", "sum"),
        basket_value_yuan=("basket_value_yuan", "sum"),
        n_stores=("customer_id", "nunique"),
    )
    stock = s.groupby(["sku_id", "month"])["avg_stock_units"].sum().groupby("sku_id").mean()
    return totals.assign(avg_stock_units=stock).reset_index()


def nine_grid_counts(f: dict, stores: pd.Series, date_from: date, date_to: date) -> dict | None:
    totals = sku_totals(f, stores, date_from, date_to)
    first = date_from if date_from.day == 1 else add_months(date_from, 1)
    days, month = 0, first
    while month <= date_to:
        days += (month_end(month) - month).days + 1
        month = add_months(month, 1)
    if totals.empty or not days:
        return None
    ng = settings()["nine_grid"]
    skus = classify(totals, days, tuple(ng["cutoffs"]), ng["drop_days"], ng["fast_share"])
    return cell_counts(skus)


def nine_grid_page(f: dict, scope: Scope, before: tuple, after: tuple) -> dict:
    c = scoped(f, scope)
    stores = c.loc[c["has_pos"], "customer_id"]
    listed = scoped(f, scope.without_customer())
    counts = nine_grid_counts(f, stores, scope.date_from, scope.date_to)
    return {
        "stores": int(listed["has_pos"].sum()),
        "nine_grid.cell_counts": counts,
        "before": nine_grid_counts(f, stores, *before),
        "after": nine_grid_counts(f, stores, *after),
    }


# ---- staff ------------------------------------------------------------------------------------------


def staff_inputs(f: dict, scope: Scope, period: tuple, previous: tuple, conf: dict) -> pd.DataFrame:
    """queries/staff/inputs.sql for one period, in pandas."""
    fr, to = _day(period[0]), _day(period[1])
    end = to + DAY
    c = scoped(f, scope)
    cm_of_route = f["routes"].set_index("route_id")["customer_manager_id"]
    assigned = c[(c["status"] == "active") & (c["opened_on"] <= to)][["customer_id", "route_id"]]
    assigned = assigned.assign(staff_id=assigned["route_id"].map(cm_of_route))[["staff_id", "customer_id"]]
    plans = f["visit_plans"]
    plans = plans[plans["customer_id"].isin(c["customer_id"]) & plans["planned_on"].between(fr, to)]
    v = f["visits"]
    done = v[
        v["customer_id"].isin(c["customer_id"])
        & v["kind"].isin(["routine", "joint"])
        & (v["started_at"] >= fr)
        & (v["started_at"] < end)
    ].copy()
    done["day"] = done["started_at"].dt.floor("D")
    inspectors = f["staff"].loc[f["staff"]["role"] == "inspector", "staff_id"]
    joint = v[(v["kind"] == "joint") & v["staff_id"].isin(inspectors) & (v["started_at"] >= fr)]
    joint = joint[joint["started_at"] < end]
    inspector_days = set(zip(joint["customer_id"], joint["started_at"].dt.floor("D"), strict=True))
    plan_keys = set(zip(plans["staff_id"], plans["customer_id"], plans["planned_on"], strict=True))
    assigned_keys = set(zip(assigned["staff_id"], assigned["customer_id"], strict=True))
    keys = list(zip(done["staff_id"], done["customer_id"], done["day"], strict=True))
    done["is_on_plan"] = [k in plan_keys for k in keys]
    done["is_assigned"] = [(s, cu) in assigned_keys for s, cu, _ in keys]
    done["has_inspector"] = [(cu, d) in inspector_days for _, cu, d in keys]
    seconds = (done["ended_at"] - done["started_at"]).dt.total_seconds().clip(lower=0)
    done["visit_seconds"] = seconds.fillna(0).astype("int64")
    done["checked_in"] = done["checkin_distance_m"] <= conf["checkin_distance_m"]
    done["is_joint"] = done["kind"] == "joint"
    g = done.groupby("staff_id")
    done_counts = pd.DataFrame(
        {
            "done": g.size(),
            "visited": done[done["is_assigned"]].groupby("staff_id")["customer_id"].nunique(),
            "on_plan": g["is_on_plan"].sum(),
            "visit_hours": g["visit_seconds"].sum() / 3600.0,
            "tasks_done": g["tasks_done"].sum(),
            "tasks_required": g["tasks_required"].sum(),
            "checked_in": g["checked_in"].sum(),
            "joint": g["is_joint"].sum(),
            "joint_with_inspector": done[(done["kind"] == "joint") & done["has_inspector"]]
            .groupby("staff_id")
            .size(),
        }
    )
    latest = latest_surveys(f, assigned["customer_id"], to).merge(assigned, on="customer_id")
    goal = tickets_area.targets()["resolution_hours"]
    t = f["tickets"]
    t = t[(t["received_at"] >= fr) & (t["received_at"] < end)].merge(assigned, on="customer_id")
    resolution = _hours(t["resolved_at"].where(t["resolved_at"] < end), t["received_at"])
    target = t["kind"].map(goal).astype("float64")
    age = (end - t["received_at"]).dt.total_seconds() / 3600
    t = t.assign(
        sla_met=resolution <= target,
        sla_breach=(resolution > target) | (resolution.isna() & (age > target)),
    )
    m = f["customer_monthly"].merge(assigned, on="customer_id")
    gp = m["tobacco_gross_profit_yuan"] + m["nontobacco_gross_profit_yuan"]
    now = m["month"].between(fr, to)
    before = m["month"].between(_day(previous[0]), _day(previous[1]))
    held = f["training_sessions"]
    held = held.loc[held["held_on"].between(fr, to), ["session_id"]]
    trained = pd.concat(
        [
            f["training_attendance"].merge(held, on="session_id")[["customer_id"]],
            f["residencies"].loc[f["residencies"]["start_on"].between(fr, to), ["customer_id"]],
        ]
    ).merge(assigned, on="customer_id")
    people = f["staff"].merge(
        f["stations"][["station_id", "name"]].rename(columns={"name": "station_name"}), on="station_id"
    )
    people = people[people["role"] == "customer_manager"].set_index("staff_id")
    out = pd.DataFrame({"assigned": assigned.groupby("staff_id").size()})
    out = out[out.index.isin(people.index)]
    out["staff_name"] = people["name"]
    out["station_id"] = people["station_id"]
    out["station_name"] = people["station_name"]
    out["planned"] = plans.groupby("staff_id").size()
    out = out.join(done_counts)
    out["surveyed"] = latest.groupby("staff_id").size()
    out["satisfaction_mean"] = latest.groupby("staff_id")["overall"].mean()
    out["sla_met"] = t.groupby("staff_id")["sla_met"].sum()
    out["sla_breach"] = t.groupby("staff_id")["sla_breach"].sum()
    out["gp_yuan"] = gp[now].groupby(m.loc[now, "staff_id"]).sum()
    out["gp_previous_yuan"] = gp[before].groupby(m.loc[before, "staff_id"]).sum()
    out["trained"] = trained.groupby("staff_id")["customer_id"].nunique()
    counts = [c for c in out.columns if c not in ("staff_name", "station_id", "station_name",
                                                  "satisfaction_mean")]  # fmt: skip
    out[counts] = out[counts].fillna(0)
    return out.reset_index(names="staff_id").sort_values("staff_id").reset_index(drop=True)


def staff_page(f: dict, scope: Scope, first_day: date) -> dict:
    """The period's indices, the one before (for the rank change) and the trend months."""
    conf = staff_area.conf()
    this = (scope.date_from, scope.date_to)
    before = Scope(*this).previous()
    before = (before.date_from, before.date_to)
    periods = list(
        dict.fromkeys(
            [this, *([before] if before[0] >= first_day else []), *staff_area.trend_months(scope, first_day)]
        )
    )
    scored = {}
    for period in periods:
        previous = Scope(*period).previous()
        inputs = staff_inputs(f, scope, period, (previous.date_from, previous.date_to), conf)
        scored[period] = three_labor.score(inputs, conf)
    current = scored[this]
    return {
        f"staff.{row['staff_id']}.{name}": (None if pd.isna(row[name]) else float(row[name]))
        for row in current.to_dict("records")
        for name in three_labor.SCORES
    }


# ---- training ---------------------------------------------------------------------------------------


def training_page(f: dict, scope: Scope, period: tuple[date, date], window: int) -> dict:
    """What the page shows: the KPIs, the sessions by format, topic, station and month, the residencies,
    the untrained customers (the first ones with their names) and the effect of the service period."""
    c = scoped(f, scope)
    fr, to = _day(scope.date_from), _day(scope.date_to)
    sessions = f["training_sessions"]
    held = sessions[sessions["held_on"].between(fr, to) & sessions["station_id"].isin(c["station_id"])]
    attended = f["training_attendance"][f["training_attendance"]["customer_id"].isin(c["customer_id"])]
    per_session = held.merge(attended.groupby("session_id").size().rename("n").reset_index(), how="left")
    per_session["n"] = per_session["n"].fillna(0) + per_session["viewers"].fillna(0)
    per_session["month"] = per_session["held_on"].dt.strftime("%Y-%m")
    keys = ("format", "topic", "station_id", "month")
    by = {key: per_session.groupby(key, dropna=False)["n"].agg(["size", "sum"]) for key in keys}
    recent = sessions[(sessions["held_on"] <= to) & (sessions["held_on"] > to - pd.DateOffset(months=12))]
    trained = f["training_attendance"].merge(recent[["session_id"]], on="session_id")["customer_id"]
    untrained = c[(c["status"] == "active") & (c["opened_on"] <= to) & ~c["customer_id"].isin(trained)]
    shown = (
        untrained.sort_values(["route_id", "customer_id"])
        .head(2000)
        .merge(f["stations"][["station_id", "name"]], on="station_id", how="left")
    )
    res = f["residencies"]
    res = res[res["customer_id"].isin(c["customer_id"]) & res["start_on"].between(fr, to)]
    res = res.merge(f["staff"][["staff_id", "name"]], on="staff_id", how="left")
    return program_kpis(f, scope) | {
        "untrained.rows": len(untrained),
        "untrained.shown": len(shown),
        "training_by.rows": sum(len(part) for part in by.values()),
        "training_by.attendances": int(by["format"]["sum"].sum()),
        "residencies.rows": len(res),
        **effect_figures(f, scope, period, window),
    }


def effect_figures(f: dict, scope: Scope, period: tuple[date, date], window: int) -> dict:
    """The difference-in-differences of gross profit and satisfaction of the customers first served in
    `period` against those not served (queries/programs/effect.sql's customers, dashboard.metrics.did)."""
    c = scoped(f, scope)
    c = c.loc[c["status"] == "active", ["customer_id", "business_type", "market_type"]]
    fr, to = _day(period[0]), _day(period[1])
    first_month = fr.to_period("M").to_timestamp()
    after_from = to.to_period("M").to_timestamp() + pd.DateOffset(months=1)
    after_to = after_from + pd.DateOffset(months=window)
    s = f["training_sessions"]
    taught = s.loc[s["format"].isin(["classroom", "guidance"]), ["session_id", "held_on"]]
    served = pd.concat(
        [
            f["training_attendance"].merge(taught, on="session_id")[["customer_id", "held_on"]],
            f["residencies"][["customer_id", "start_on"]].rename(columns={"start_on": "held_on"}),
        ]
    )
    first = served.groupby("customer_id")["held_on"].min()
    when = c["customer_id"].map(first)
    # first served in the period: treated; not served before the after window ends: compared; else neither
    treated = np.where(when.between(fr, to), True, np.where(when.isna() | (when >= after_to), False, None))
    c = c.assign(is_treated=treated)
    c = c[c["is_treated"].notna()].astype({"is_treated": bool})
    m = f["customer_monthly"]
    m = m[m["customer_id"].isin(c["customer_id"])]
    gp = m["tobacco_gross_profit_yuan"] + m["nontobacco_gross_profit_yuan"]
    before = m["month"].between(first_month - pd.DateOffset(months=window), first_month, inclusive="left")
    after = m["month"].between(after_from, after_to, inclusive="left")
    c = c.merge(gp[before].groupby(m["customer_id"]).mean().rename("gp_before"), on="customer_id", how="left")
    c = c.merge(gp[after].groupby(m["customer_id"]).mean().rename("gp_after"), on="customer_id", how="left")
    v = f["surveys"]
    v = v[v["customer_id"].isin(c["customer_id"])].sort_values(["surveyed_on", "survey_id"])
    prior = v[(v["surveyed_on"] < fr) & (v["surveyed_on"] >= fr - pd.DateOffset(months=12))]
    later = v[v["surveyed_on"] > to]
    for name, part, keep in (("score_before", prior, "last"), ("score_after", later, "first")):
        score = part.drop_duplicates("customer_id", keep=keep).set_index("customer_id")["overall"]
        c = c.merge(score.rename(name), on="customer_id", how="left")
    return {
        f"effect.{name}.{key}": value
        for name, (a, b) in (
            ("gross_profit", ("gp_before", "gp_after")),
            ("satisfaction", ("score_before", "score_after")),
        )
        for key, value in did(c, a, b).items()
    }


# ---- customer profile -------------------------------------------------------------------------------


def profile_page(f: dict, scope: Scope) -> dict:
    cid, to = scope.customer, _day(scope.date_to)
    end = to + DAY
    me = f["customers"][f["customers"]["customer_id"] == cid]
    if me.empty:
        return {}
    route = f["routes"][f["routes"]["route_id"].isin(me["route_id"])]
    m = f["customer_monthly"]
    first = to.to_period("M").to_timestamp() - pd.DateOffset(months=11)
    monthly = m[(m["customer_id"] == cid) & m["month"].between(first, to)]
    s = f["surveys"]
    surveys = s[(s["customer_id"] == cid) & (s["surveyed_on"] <= to)]
    t = tickets_as_of(f, end)
    t = t[t["customer_id"] == cid]
    v = f["visits"]
    v = v[(v["customer_id"] == cid) & (v["started_at"] < end)].nlargest(50, ["started_at", "visit_id"])
    sessions = f["training_sessions"]
    attended = f["training_attendance"].loc[f["training_attendance"]["customer_id"] == cid, "session_id"]
    recent = sessions[(sessions["held_on"] <= to) & (sessions["held_on"] > to - pd.DateOffset(months=12))]
    training = recent[recent["session_id"].isin(attended) | recent["station_id"].isin(route["station_id"])]
    r = f["residencies"]
    residencies = r[(r["customer_id"] == cid) & (r["start_on"] <= to)]
    grid = None
    if bool(me["has_pos"].any()):
        grid = nine_grid_counts(f, pd.Series([cid]), scope.date_from, scope.date_to)
    return {
        "monthly": len(monthly),
        "surveys": len(surveys),
        "tickets": len(t),
        "visits": len(v),
        "training": len(training),
        "residencies": len(residencies),
        "nine_grid": grid,
    }


# ---- the entry script -------------------------------------------------------------------------------


def entry_page(f: dict) -> dict:
    days = [
        f["tickets"]["received_at"].min().date(),
        f["visits"]["started_at"].min().date(),
        f["customer_monthly"]["month"].min().date(),
    ]
    last_month = f["customer_monthly"]["month"].max().date()
    ends = [
        f["tickets"]["received_at"].max().date(),
        f["visits"]["started_at"].max().date(),
        month_end(last_month),
    ]
    return {
        "stations": len(f["stations"]),
        "routes": len(f["routes"]),
        "first_day": min(days),
        "last_day": max(ends),
    }
