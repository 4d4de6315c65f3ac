"""KPIs under the names of DESIGN.md section 5, computed by the same functions for pages and the CLI."""

from __future__ import annotations

import math
from collections.abc import Callable

import pandas as pd

from dashboard import parallel
from dashboard.scope import Scope
from dashboard.settings import settings

Runner = Callable[[str, dict], pd.DataFrame]

# Dotted KPI name -> column of queries/overview/kpis.sql.
OVERVIEW_KPIS = {
    "customers.in_scope": "customers_in_scope",
    "customers.active": "customers_active",
    "satisfaction.surveyed": "satisfaction_surveyed",
    "satisfaction.overall_mean": "satisfaction_overall_mean",
    "satisfaction.low_count": "satisfaction_low_count",
    "tickets.received": "tickets_received",
    "visits.planned": "visits_planned",
    "visits.done": "visits_done",
}


def plain(value):
    """A JSON-ready number: int when whole-valued counts, float otherwise, None when not computable."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# The overview's training and residency cards come from the programs area, which owns those KPIs.
PROGRAM_KPIS = (
    "training.sessions",
    "training.rural_sessions",
    "training.customers_reached",
    "training.coverage",
    "residency.staff",
    "residency.stores",
    "residency.days",
    "residency.avg_days_per_staff",
)


PROFIT_KPIS = (
    "customers.gross_profit_yuan",
    "customers.gross_profit_last_year_yuan",
    "customers.gross_profit_yoy",
)


def ratio(num, den):
    """num / den, or None when either is missing or the denominator is zero."""
    return None if num is None or den is None or not den else num / den


def gross_profit(run: Runner, scope: Scope) -> dict:
    """customers.gross_profit_*: the period's gross profit, the same months last year, and the growth."""
    last_year = scope.last_year()
    params = {**scope.params(), "ly_from": last_year.date_from, "ly_to": last_year.date_to}
    from dashboard import rollups

    summed = scope.filter_params()["customer"] is None and rollups.ready(run)  # no customer in its grain
    row = run("overview/profit_monthly" if summed else "overview/profit", params).to_dict("records")[0]
    now, before = plain(row["gross_profit_yuan"]), plain(row["gross_profit_last_year_yuan"])
    now, before = (None if v is None else float(v) for v in (now, before))
    growth = ratio(now, before)
    return dict(zip(PROFIT_KPIS, (now, before, None if growth is None else growth - 1), strict=True))


def overview(run: Runner, scope: Scope) -> dict:
    """The overview's own KPIs for one scope and period (customers, surveys, tickets, visits, profit); for
    the whole company and a calendar month, as the refresh kept them among the overview's headlines."""
    from dashboard import rollups
    from dashboard.programs import program_kpis  # programs builds on this module

    if (kept := rollups.kept_headlines(run, scope)) is not None:
        names = (*OVERVIEW_KPIS, "visits.done_rate", *PROFIT_KPIS, *PROGRAM_KPIS)
        return {name: kept[name] for name in names}

    low_score = float(settings()["satisfaction"]["low_score"])
    query = "overview/kpis_monthly" if rollups.usable(run, scope) else "overview/kpis"
    rows, programs, profit = parallel.together(
        lambda: run(query, {**scope.params(), "low_score": low_score}),
        lambda: program_kpis(run, scope),
        lambda: gross_profit(run, scope),
    )
    row = rows.to_dict("records")[0]
    figures = {name: plain(row[column]) for name, column in OVERVIEW_KPIS.items()}
    figures["visits.done_rate"] = ratio(figures["visits.done"], figures["visits.planned"])
    return figures | profit | {name: programs[name] for name in PROGRAM_KPIS}


def _areas() -> list[Callable[[Runner, Scope], dict]]:
    """Each page area's KPI function, (run, scope) -> {dotted name: value}; imported when asked for,
    since the areas build on this module."""
    from dashboard import nine_grid, programs, satisfaction, staff, tickets

    return [
        overview,
        tickets.ticket_kpis,
        satisfaction.satisfaction_kpis,
        nine_grid.kpis,
        staff.staff_kpis,
        programs.program_kpis,
    ]


def all_kpis(run: Runner, scope: Scope) -> dict:
    """Every KPI that exists so far, one flat dict keyed by dotted name (the `kpis --json` output)."""
    figures: dict = {}
    for area in _areas():
        for name, value in area(run, scope).items():
            if name in figures and figures[name] != value:
                raise ValueError(f"KPI {name} computed twice with different values")
            figures[name] = value
    return dict(sorted(figures.items()))
