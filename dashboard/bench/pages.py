"""What the benchmark measures per page: the page's full query set (the function the page itself calls),
its figures from the app's own functions and from the naive pandas baseline, the tables that baseline
loads, and the bare scan of the rows the page reads (queries/bench/<page>.sql)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from dashboard import customer, nine_grid, overview, programs, satisfaction, staff, store, tickets
from dashboard.bench import naive
from dashboard.catalog import load_catalog
from dashboard.scope import Catalog, Scope, add_months

PROFILED = 1027  # DEMO_FACTS["nine_grid_customer_id"]: a store with POS data (the busiest kind of profile)


@dataclass(frozen=True)
class Page:
    name: str
    ours: Callable  # (run, scope, catalog) -> anything: everything the page queries and builds
    check: Callable  # (run, scope, catalog) -> {figure: value}, from the app's functions
    naive: Callable  # (frames, scope, catalog) -> {figure: value}, the same in pandas
    tables: tuple[str, ...]  # what the naive baseline loads
    span: Callable  # (scope, catalog) -> (first day, last day) of the rows the page reads
    scan: str  # queries/bench/<scan>.sql: a bare scan of those rows


def _nine_grid_periods(scope: Scope) -> tuple[tuple[date, date], tuple[date, date]]:
    previous = scope.previous()
    return (previous.date_from, previous.date_to), (scope.date_from, scope.date_to)


def _profiled(scope: Scope) -> Scope:
    return replace(scope, customer=PROFILED)


def _previous_span(scope: Scope, catalog: Catalog) -> tuple[date, date]:
    return max(scope.previous().date_from, catalog.first_day), scope.date_to


def _year_span(scope: Scope, catalog: Catalog) -> tuple[date, date]:
    """The overview: its period, last year's, and the 12 sparkline months between."""
    return max(scope.last_year().date_from, catalog.first_day), scope.date_to


def _staff_span(scope: Scope, catalog: Catalog) -> tuple[date, date]:
    months = staff.trend_months(scope, catalog.first_day)
    first = min([scope.previous().date_from, *(m[0] for m in months)])
    return max(first, catalog.first_day), scope.date_to


def _training_span(scope: Scope, catalog: Catalog) -> tuple[date, date]:
    """The period, the untrained list's 12 months, the effect's windows around its quarter."""
    start, _ = programs.effect_period(catalog.last_day)
    first = min(add_months(start, -programs.WINDOW_MONTHS), add_months(scope.date_to.replace(day=1), -12))
    return max(first, catalog.first_day), catalog.last_day


def _whole(scope: Scope, catalog: Catalog) -> tuple[date, date]:
    return catalog.first_day, catalog.last_day


def _overview_check(run, scope, catalog) -> dict:
    data = overview.gather(run, scope, catalog.first_day)
    return {
        f"{period}.{k}": v
        for period, values in (("current", data.current), ("previous", data.previous),
                               ("last_year", data.last_year))
        for k, v in values.items()
    }  # fmt: skip


def _tickets_check(run, scope, catalog) -> dict:
    data = tickets.gather(run, scope, catalog.first_day)
    found = {"list.rows": data.n_tickets}
    for unit, part in data.ranking.groupby("unit"):
        found[f"ranking.{unit}.units"] = len(part)
        found[f"ranking.{unit}.received"] = int(part["received"].sum())
        for name in ("response_hours_median", "response_sla_rate", "resolution_sla_rate", "callback_rate",
                     "callback_satisfied_rate", "closed_loop_rate"):  # fmt: skip
            found[f"ranking.{unit}.{name}"] = float(part[name].astype("float64").sum())
    for row in data.funnel.itertuples():
        found |= {
            f"funnel.{row.stage}.reached": int(row.n_reached),
            f"funnel.{row.stage}.median_hours": row.median_hours,
            f"funnel.{row.stage}.now": int(row.n_now),
        }
    for row in data.closure.to_dict("records"):
        found |= {f"closure.{row['kind']}.{k}": v for k, v in row.items() if k != "kind"}
    found["backlog.rows"] = len(data.backlog)
    found["backlog.age_hours"] = float(data.backlog["age_hours"].sum())
    return data.kpis | {f"previous.{k}": v for k, v in data.previous_kpis.items()} | found


def _satisfaction_check(run, scope, catalog) -> dict:
    figures = satisfaction.page_figures(run, scope, "zh")
    surveyed = figures.summary[figures.summary["n_surveyed"] > 0]
    return figures.kpis | {"stations.rows": surveyed["station_id"].nunique()}


def _nine_grid_check(run, scope, catalog) -> dict:
    stores, current, (before, after) = nine_grid.page_figures(run, scope, *_nine_grid_periods(scope))

    def counts(grid):
        return None if grid.empty else grid.counts()

    return {
        "stores": len(stores),
        "nine_grid.cell_counts": counts(current),
        "before": counts(before),
        "after": counts(after),
    }


def _training_check(run, scope, catalog) -> dict:
    data = programs.gather(run, scope, programs.effect_period(catalog.last_day))
    by = data.training_by
    return data.kpis | {
        "untrained.rows": len(data.untrained),
        "untrained.shown": len(data.untrained_shown),
        "training_by.rows": len(by),
        "training_by.attendances": int(by.loc[by["dimension"] == "format", "n_attendances"].sum()),
        "residencies.rows": len(data.residencies),
        **{
            f"effect.{name}.{key}": value
            for name in ("gross_profit", "satisfaction")
            for key, value in data.effect[name].items()
        },
    }


def _profile_check(run, scope, catalog) -> dict:
    p = customer.gather(run, _profiled(scope))
    if p is None:
        return {}
    return {
        "monthly": len(p.monthly),
        "surveys": len(p.surveys),
        "tickets": len(p.tickets),
        "visits": len(p.visits),
        "training": len(p.training),
        "residencies": len(p.residencies),
        "nine_grid": None if p.grid is None or p.grid.empty else p.grid.counts(),
    }


def _entry_check(run, scope, catalog) -> dict:
    cat = load_catalog(run)
    return {
        "stations": len(cat.stations),
        "routes": len(cat.routes),
        "first_day": cat.first_day,
        "last_day": cat.last_day,
    }


def _satisfaction_page(run, scope: Scope):
    """The page's figures and the shop names of the follow-up rows it shows."""
    figures = satisfaction.page_figures(run, scope, "zh")
    return figures, satisfaction.shown_rows(run, figures.follow_up)


def _training_page(run, scope: Scope, catalog: Catalog):
    """The page's queries, with the names of the untrained customers it shows."""
    return programs.gather(run, scope, programs.effect_period(catalog.last_day))


CUSTOMERS = ("customers", "routes")
PAGES = [
    # The entry script's catalog is cached per DB version in the app, so pages get it ready-made.
    Page(
        "entry (filters)",
        lambda run, scope, catalog: load_catalog(run),
        _entry_check,
        lambda f, scope, catalog: naive.entry_page(f),
        ("stations", "routes", "tickets", "visits", "customer_monthly"),
        _whole,
        "bench/entry",
    ),
    Page(
        "overview",
        lambda run, scope, catalog: overview.gather(run, scope, catalog.first_day),
        _overview_check,
        lambda f, scope, catalog: naive.overview_page(f, scope, catalog.first_day),
        (
            *CUSTOMERS,
            "surveys",
            "tickets",
            "visit_plans",
            "visits",
            "training_sessions",
            "training_attendance",
            "residencies",
        ),  # fmt: skip
        _year_span,
        "bench/overview",
    ),
    Page(
        "nine-grid",
        lambda run, scope, catalog: nine_grid.page_figures(run, scope, *_nine_grid_periods(scope)),
        _nine_grid_check,
        lambda f, scope, catalog: naive.nine_grid_page(f, scope, *_nine_grid_periods(scope)),
        (*CUSTOMERS, "product_sales_monthly"),
        _previous_span,
        "bench/nine_grid",
    ),
    Page(
        "complaints",
        lambda run, scope, catalog: tickets.figures(tickets.gather(run, scope, catalog.first_day), "zh"),
        _tickets_check,
        lambda f, scope, catalog: naive.tickets_page(f, scope, catalog.first_day),
        (*CUSTOMERS, "stations", "tickets"),
        _previous_span,
        "bench/complaints",
    ),
    Page(
        "satisfaction-map",
        lambda run, scope, catalog: _satisfaction_page(run, scope),
        _satisfaction_check,
        lambda f, scope, catalog: naive.satisfaction_page(f, scope),
        (*CUSTOMERS, "surveys", "visits", "tickets"),
        _whole,
        "bench/satisfaction_map",
    ),
    Page(
        "three-labor",
        lambda run, scope, catalog: staff.page_figures(
            staff.gather(run, scope, catalog.first_day), run, "zh"
        ),
        lambda run, scope, catalog: staff.staff_kpis(run, scope),
        lambda f, scope, catalog: naive.staff_page(f, scope, catalog.first_day),
        (
            *CUSTOMERS,
            "staff",
            "stations",
            "visit_plans",
            "visits",
            "surveys",
            "tickets",
            "customer_monthly",
            "training_sessions",
            "training_attendance",
            "residencies",
        ),  # fmt: skip
        _staff_span,
        "bench/three_labor",
    ),
    Page(
        "training",
        lambda run, scope, catalog: _training_page(run, scope, catalog),
        _training_check,
        lambda f, scope, catalog: naive.training_page(
            f, scope, programs.effect_period(catalog.last_day), programs.WINDOW_MONTHS
        ),
        (
            *CUSTOMERS,
            "stations",
            "staff",
            "training_sessions",
            "training_attendance",
            "residencies",
            "customer_monthly",
            "surveys",
        ),
        _training_span,
        "bench/training",
    ),
    Page(
        "customer-profile",
        lambda run, scope, catalog: customer.gather(run, _profiled(scope)),
        _profile_check,
        lambda f, scope, catalog: naive.profile_page(f, _profiled(scope)),
        (
            *CUSTOMERS,
            "customer_monthly",
            "surveys",
            "tickets",
            "visits",
            "training_sessions",
            "training_attendance",
            "residencies",
            "product_sales_monthly",
        ),  # fmt: skip
        _whole,
        "bench/customer_profile",
    ),
]


def scan_params(page: Page, scope: Scope, catalog: Catalog) -> dict:
    """Parameters of a page's bare scan: the span of days its queries read, and the profiled store."""
    first, last = page.span(scope, catalog)
    given = {"first_day": first, "last_day": last, "customer_id": PROFILED}
    return {k: v for k, v in given.items() if k in store.load_query(page.scan).params}
