"""The nine-grid page's figures: SKU totals from the store, classified by dashboard.metrics.nine_grid.

Monthly sales count when the month's first day is in the period; turnover uses the days of those
months, so a partial month never distorts days of stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

import pandas as pd

from dashboard import parallel, rollups
from dashboard.kpis import Runner
from dashboard.metrics.nine_grid import CELLS, cell_counts, classify
from dashboard.scope import Scope, add_months, month_end
from dashboard.settings import settings

CELL_ORDER = list(CELLS.values())  # hit, profit, niche, traffic, staple, watch, potential, improve, slow
CLASSES = ("high", "mid", "low")


@dataclass(frozen=True)
class Grid:
    """One period's classification: a row per SKU, and the cut values between classes on each axis."""

    date_from: date
    date_to: date
    skus: pd.DataFrame
    days: int

    @property
    def empty(self) -> bool:
        return self.skus.empty

    def counts(self) -> dict[str, int]:
        return cell_counts(self.skus) if not self.empty else dict.fromkeys(CELL_ORDER, 0)

    def cells(self) -> pd.DataFrame:
        """Per cell: SKU count and revenue share (all nine, zeros included)."""
        total = float(self.skus.revenue_yuan.sum()) if not self.empty else 0.0
        rows = []
        for (product_class, user_class), cell in CELLS.items():
            members = self.skus[self.skus.cell == cell] if not self.empty else self.skus
            revenue = float(members.revenue_yuan.sum()) if not self.empty else 0.0
            rows.append(
                {
                    "cell": cell,
                    "product_class": product_class,
                    "user_class": user_class,
                    "n_skus": len(members),
                    "revenue_share": revenue / total if total else None,
                }
            )
        return pd.DataFrame(rows)

    def cut_values(self, axis: str) -> list[float]:
        """Where the classes of an axis meet: midway between the lowest of one class and the highest of
        the next (the classes are ranks by cumulative contribution, not fixed values)."""
        column, klass = (
            ("product_value", "product_class") if axis == "product" else ("user_value", "user_class")
        )
        cuts = []
        for upper, lower in (("high", "mid"), ("mid", "low")):
            a, b = self.skus[self.skus[klass] == upper][column], self.skus[self.skus[klass] == lower][column]
            if len(a) and len(b):
                cuts.append((float(a.min()) + float(b.max())) / 2)
        return cuts


def period_months(date_from: date, date_to: date) -> list[date]:
    """The months whose first day lies in the period."""
    first = date_from if date_from.day == 1 else add_months(date_from, 1)
    months = []
    while first <= date_to:
        months.append(first)
        first = add_months(first, 1)
    return months


def cutoffs() -> tuple[float, float]:
    """The cumulative cut-offs in force (settings file)."""
    return tuple(settings()["nine_grid"]["cutoffs"])


def thresholds() -> dict:
    ng = settings()["nine_grid"]
    return {"cutoffs": tuple(ng["cutoffs"]), "drop_days": ng["drop_days"], "fast_share": ng["fast_share"]}


def grid(run: Runner, scope: Scope, date_from: date, date_to: date) -> Grid:
    """Classify the SKUs of the scope's POS stores (one store when it names a customer) over a period."""
    months = period_months(date_from, date_to)
    params = {**scope.params(), "date_from": date_from, "date_to": date_to}
    level = rollups.level(scope)
    if scope.customer is None and level and months and rollups.ready(run):
        params = {k: v for k, v in params.items() if k not in ("customer", "routes")} | {"level": level}
        asked = [partial(run, "nine_grid/sku_totals_monthly", params)]
        if len(months) > 1:  # its n_stores add up within a month; a period's count each store once
            given = {k: params[k] for k in ("stations", "btypes", "markets")}
            asked.append(partial(run, "nine_grid/sku_stores_monthly", {**given, "months": months}))
        totals, *stores = parallel.together(*asked)
        if stores:
            totals = totals.drop(columns="n_stores").merge(stores[0], on="sku_id")[totals.columns]
    else:
        totals = run("nine_grid/sku_totals", params)
    days = sum((month_end(m) - m).days + 1 for m in months)
    if totals.empty or not days:
        return Grid(date_from, date_to, totals.iloc[0:0], days)
    classified = classify(totals, days, **thresholds())
    extra = totals[["sku_id", "sku_name", "category", "n_stores"]]
    return Grid(date_from, date_to, classified.merge(extra, on="sku_id"), days)


def transitions(before: Grid, after: Grid) -> pd.DataFrame:
    """SKUs per (cell before, cell after); a SKU sold in one period only moves from or to 'none'."""
    a = before.skus[["sku_id", "cell"]] if not before.empty else pd.DataFrame(columns=["sku_id", "cell"])
    b = after.skus[["sku_id", "cell"]] if not after.empty else pd.DataFrame(columns=["sku_id", "cell"])
    both = a.merge(b, on="sku_id", how="outer", suffixes=("_before", "_after")).fillna("none")
    return both.groupby(["cell_before", "cell_after"]).size().rename("n_skus").reset_index()


def moved_skus(before: Grid, after: Grid) -> pd.DataFrame:
    """The SKUs whose cell changed, with both cells."""
    if before.empty or after.empty:
        return pd.DataFrame(columns=["sku_id", "sku_name", "cell_before", "cell_after"])
    both = before.skus[["sku_id", "sku_name", "cell"]].merge(
        after.skus[["sku_id", "cell"]], on="sku_id", suffixes=("_before", "_after")
    )
    return both[both.cell_before != both.cell_after].reset_index(drop=True)


def kpis(run: Runner, scope: Scope) -> dict:
    """nine_grid.* of the scope and period: its POS stores together, or its one store."""
    g = grid(run, scope, scope.date_from, scope.date_to)
    if g.empty:
        return dict.fromkeys(
            ["nine_grid.cell_counts", "nine_grid.hits", "nine_grid.slow_sellers", "nine_grid.slow_share"]
        )
    counts = g.counts()
    return {"nine_grid.cell_counts": counts, "nine_grid.hits": counts["hit"], **slow_figures(counts)}


def slow_figures(counts: dict[str, int]) -> dict:
    """nine_grid.slow_sellers and nine_grid.slow_share of a grid's cell counts."""
    return {
        "nine_grid.slow_sellers": counts["slow"],
        "nine_grid.slow_share": counts["slow"] / sum(counts.values()),
    }


def monthly_slow(run: Runner, scope: Scope, months: list[date]) -> dict[date, dict]:
    """nine_grid.slow_sellers and nine_grid.slow_share of each month as a period of its own (as `kpis`
    gives them), from one query for all months."""
    level = rollups.level(scope)
    if scope.customer is None and level and rollups.ready(run):
        given = {k: v for k, v in scope.filter_params().items() if k not in ("customer", "routes")}
        frame = run("nine_grid/sku_months_monthly", {**given, "months": months, "level": level})
    else:
        frame = run("nine_grid/sku_months", {**scope.filter_params(), "months": months})
    parts = {pd.Timestamp(m).date(): part for m, part in frame.groupby("month", sort=False)}
    found = {}
    for month in months:
        part = parts.get(month)
        if part is None:
            found[month] = dict.fromkeys(["nine_grid.slow_sellers", "nine_grid.slow_share"])
            continue
        days = (month_end(month) - month).days + 1
        found[month] = slow_figures(cell_counts(classify(part, days, **thresholds())))
    return found


def page_figures(run: Runner, scope: Scope, before: tuple[date, date], after: tuple[date, date]):
    """Everything the page draws: the stores to pick from, the period's grid, and the two compared."""
    stores, current, then, now = parallel.together(
        lambda: run("nine_grid/stores", scope.without_customer().filter_params()),
        lambda: grid(run, scope, scope.date_from, scope.date_to),
        lambda: grid(run, scope, *before),
        lambda: grid(run, scope, *after),
    )
    return stores, current, (then, now)
