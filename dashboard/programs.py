"""Training and store residencies (培训 · 驻店体验): reach, the lists, and the effect on the customers
served, against similar customers not served. No Streamlit here; the page places what these return.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard import parallel, rollups, tables
from dashboard.i18n import fmt_number, label, t
from dashboard.kpis import Runner, plain
from dashboard.metrics.did import did
from dashboard.scope import Scope, add_months, month_end

WINDOW_MONTHS = 3  # months before and after the treatment period that the effect compares
EFFECT_MONTHS = 3  # the default treatment period: a quarter

# Dotted KPI name -> column of queries/programs/kpis.sql (the overview's five are computed again here:
# the registry checks both give the same values).
KPIS = {
    "training.sessions": "training_sessions",
    "training.rural_sessions": "training_rural_sessions",
    "training.attendances": "training_attendances",
    "training.customers_reached": "training_customers_reached",
    "training.coverage": "training_coverage",
    "training.livestream_viewers": "training_livestream_viewers",
    "residency.staff": "residency_staff",
    "residency.stores": "residency_stores",
    "residency.days": "residency_days",
    "residency.avg_days_per_staff": "residency_avg_days_per_staff",
}


def kpis_from(row: dict) -> dict:
    return {name: plain(row[column]) for name, column in KPIS.items()}


def program_kpis(run: Runner, scope: Scope) -> dict:
    """Every `training.*` and `residency.*` KPI for one scope (`python -m dashboard kpis`, the page)."""
    return kpis_from(rollups.answer(run, scope, "programs/kpis", scope.params()).to_dict("records")[0])


def effect_period(last_day: date, window: int = WINDOW_MONTHS, months: int = EFFECT_MONTHS) -> tuple:
    """The latest quarter whose `window` months after it are in the data."""
    last_full = last_day.replace(day=1) if last_day == month_end(last_day) else add_months(last_day, -1)
    end = add_months(last_full, -window)
    return add_months(end, -(months - 1)), month_end(end)


def effect_months(months: list[date], last_day: date) -> tuple[date, date]:
    """The default service period as (first month, last month) among the data's months."""
    start, end = effect_period(last_day)
    inside = [m for m in months if start <= m <= end] or months[:1]
    return inside[0], inside[-1]


def effect_customers(run: Runner, scope: Scope, period: tuple[date, date], window: int = WINDOW_MONTHS):
    """The customers the effect compares: first served in `period` or not served, with their measures
    before and after (programs/effect.sql, or its copy over the rollups where they keep this window)."""
    treated = replace(scope, date_from=period[0], date_to=period[1])
    # the rollups keep windows of this length, and surveys as of month ends
    kept = window == WINDOW_MONTHS and period[0].day == 1 and rollups.ready(run)
    query = "programs/effect_monthly" if kept else "programs/effect"
    return run(query, {**treated.params(), "window_months": window})


def effect(run: Runner, scope: Scope, period: tuple[date, date], window: int = WINDOW_MONTHS) -> dict:
    """Gross profit and satisfaction of customers served in `period` vs similar customers not served;
    for the whole company, the figures the rollups kept for the default period (see `kept_effect`)."""
    measures = kept_effect(run, scope, period) if window == WINDOW_MONTHS else None
    if measures is None:
        frame = effect_customers(run, scope, period, window)
        measures = {
            "gross_profit": did(frame, "gp_before", "gp_after"),
            "satisfaction": did(frame, "score_before", "score_after"),
        }
    return {"period": period, "window": window, **measures}


def kept_effect(run: Runner, scope: Scope, period: tuple[date, date]) -> dict | None:
    """The whole company's effect measures that the refresh kept for `period` (programs/effect_kept.sql:
    the default period of the data, a province's 300,000 customers compared), or None."""
    if not rollups.whole_company(scope) or not rollups.ready(run) or rollups.building():
        return None
    kept = run("programs/effect_kept", {"date_from": period[0], "date_to": period[1]})
    return None if kept.empty else json.loads(kept["measures"].iloc[0])


@dataclass
class ProgramData:
    """Everything the programs page shows for one scope, gathered by one function."""

    scope: Scope
    kpis: dict
    training_by: pd.DataFrame
    untrained: pd.DataFrame  # ids and routes
    untrained_shown: pd.DataFrame  # its first rows, the ones a table shows, with their names
    residencies: pd.DataFrame
    effect: dict


def gather(run: Runner, scope: Scope, period: tuple[date, date]) -> ProgramData:
    """Run every query of the page (the page with the cached runner, the bench without)."""
    params = scope.params()
    asked = {
        "kpis": (scope, "programs/kpis", params),
        "training_by": (scope, "programs/training_by", params),
        "untrained": (scope, "programs/untrained", params),
        "untrained_shown": (scope, "programs/untrained_shown", params),
        "residencies": (scope, "programs/residencies", params),
    }
    got, effect_ = parallel.together(
        lambda: rollups.answers(run, asked),  # the company's months: the answers kept at refresh, together
        lambda: effect(run, scope, period),
        at_once=not rollups.kept_month(run, scope),
    )
    return ProgramData(
        scope=scope,
        kpis=kpis_from(got["kpis"].to_dict("records")[0]),
        training_by=got["training_by"],
        untrained=got["untrained"],
        untrained_shown=got["untrained_shown"],
        residencies=got["residencies"],
        effect=effect_,
    )


# ---- breakdowns and tables ----------------------------------------------------------------------------


def training_names(frame: pd.DataFrame, dimension: str, lang: str) -> pd.Series:
    """The shown name of a breakdown's codes: labels for formats and topics, names for stations."""
    part = frame[frame["dimension"] == dimension]
    if dimension in ("format", "topic"):
        return part["code"].map(lambda c: label(f"training_{dimension}", c, lang))
    return part["name"]


def residency_by(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """Residencies per station, month or focus: staff, stores, days, days per staff member."""
    key = {"station": "station_name", "month": "month", "focus": "focus"}[by]
    if frame.empty:
        return pd.DataFrame(columns=[key, "n_staff", "n_stores", "days", "days_per_staff"])
    out = frame.groupby(key).agg(
        n_staff=("staff_id", "nunique"), n_stores=("customer_id", "nunique"), days=("days", "sum")
    )
    out["days_per_staff"] = out["days"] / out["n_staff"]
    return out.reset_index().sort_values(key)


def residency_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    h = lambda key: t(f"programs.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("staff"): frame["staff_name"],
            h("role"): [label("role", r, lang) for r in frame["staff_role"]],
            h("shop"): frame["shop_name"],
            h("station"): frame["station_name"],
            h("start_on"): [d.strftime("%Y-%m-%d") for d in pd.to_datetime(frame["start_on"])],
            h("end_on"): [d.strftime("%Y-%m-%d") for d in pd.to_datetime(frame["end_on"])],
            h("days"): frame["days"],
            h("focus"): [label("residency_focus", f, lang) for f in frame["focus"]],
        }
    )


def shown_untrained(run: Runner, untrained: pd.DataFrame) -> pd.DataFrame:
    """The untrained list's rows a table shows, with their names (kept at refresh for a company month)."""
    return with_owners(run, untrained.head(tables.MAX_TABLE_ROWS))


def with_owners(run: Runner, frame: pd.DataFrame) -> pd.DataFrame:
    """The untrained customers' route, station, manager, shop, owner and types (fetched for the rows
    shown or downloaded: the list itself is ids)."""
    columns = ("route_name", "station_name", "customer_manager_name", "shop_name", "owner_name",
               "business_type", "market_type")  # fmt: skip
    return tables.with_names(run, frame, columns)


def untrained_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    h = lambda key: t(f"programs.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("route"): frame["route_name"],
            h("station"): frame["station_name"],
            h("customer_manager"): frame["customer_manager_name"].fillna("—"),
            h("shop"): frame["shop_name"],
            h("owner"): frame["owner_name"],
            h("business_type"): [label("business_type", c, lang) for c in frame["business_type"]],
            h("market_type"): [label("market_type", c, lang) for c in frame["market_type"]],
        }
    )


def effect_table(result: dict, lang: str) -> pd.DataFrame:
    """The two measures' group means before and after, the difference-in-differences and group sizes."""
    rows = []
    for measure, digits in (("gross_profit", 0), ("satisfaction", 1)):
        r = result[measure]
        f = lambda v, d=digits: fmt_number(v, d)  # noqa: E731
        share = "—" if r["effect_share"] is None else f"{100 * r['effect_share']:+.1f}%"
        effect = "—" if r["effect"] is None else f"{r['effect']:+,.{digits}f}"
        rows.append(
            {
                t("programs.col.measure", lang): t(f"programs.measure.{measure}", lang),
                t("programs.col.treated", lang): f"{f(r['treated_before'])} → {f(r['treated_after'])}",
                t("programs.col.control", lang): f"{f(r['control_before'])} → {f(r['control_after'])}",
                t("programs.col.effect", lang): effect,
                t("programs.col.effect_share", lang): share,
                t("programs.col.n_treated", lang): r["n_treated"],
                t("programs.col.n_control", lang): r["n_control"],
            }
        )
    return pd.DataFrame(rows)
