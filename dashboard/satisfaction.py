"""The satisfaction area: survey figures of a scope, the map bands, the follow-up rule, and every
figure the satisfaction page shows (one function for the page and the benchmark)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard import charts, maps, parallel, rollups, tables
from dashboard.i18n import fmt_count, fmt_date, fmt_number, label, t
from dashboard.kpis import Runner, plain
from dashboard.scope import Scope, month_end
from dashboard.settings import settings

DIMENSIONS = (
    "supply",
    "ordering",
    "delivery",
    "customer_manager",
    "settlement",
    "complaint_handling",
    "market_regulation",
)
MAX_UNITS = 60  # stations or routes drawn in a chart of each (the lowest-scoring ones beyond that)
BANDS = ("top", "high", "mid", "low", "none")  # >= bands[0], bands[1]..bands[0], ..., < bands[2], no survey


@dataclass(frozen=True)
class Thresholds:
    low_score: float
    drop_points: float
    bands: tuple[float, float, float]


def thresholds() -> Thresholds:
    """The follow-up and band thresholds of settings.toml (read when called)."""
    cfg = settings()["satisfaction"]
    return Thresholds(
        float(cfg["low_score"]), float(cfg["drop_points"]), tuple(float(b) for b in cfg["bands"])
    )


def band(score, bands: tuple[float, float, float]) -> str:
    """The map band of a score: top >= bands[0] > high >= bands[1] > mid >= bands[2] > low; none if none."""
    if score is None or (isinstance(score, float) and math.isnan(score)):
        return "none"
    for code, cut in zip(BANDS[:3], bands, strict=True):
        if score >= cut:
            return code
    return "low"


def bands_of(scores: pd.Series, bands: tuple[float, float, float]) -> np.ndarray:
    """`band` of every score at once (a province's 500,000 customers in milliseconds, not seconds)."""
    values = scores.to_numpy(dtype=float, na_value=np.nan)
    cuts = [values >= cut for cut in bands] + [~np.isnan(values)]
    return np.select(cuts, list(BANDS[:4]), default="none")


def band_labels(bands: tuple[float, float, float], lang: str) -> dict[str, str]:
    """Legend labels of the bands, with the configured cut-offs."""
    hi, mid, lo = (f"{b:g}" for b in bands)
    return {
        "top": t("satisfaction.band.at_least", lang, v=hi),
        "high": t("satisfaction.band.between", lang, lo=mid, hi=hi),
        "mid": t("satisfaction.band.between", lang, lo=lo, hi=mid),
        "low": t("satisfaction.band.below", lang, v=lo),
        "none": t("satisfaction.band.none", lang),
    }


def scope_params(scope: Scope) -> dict:
    """Satisfaction queries take the period's end and the filters (the survey rule needs no start)."""
    return {"date_to": scope.date_to, **scope.filter_params()}


def _monthly(run: Runner, scope: Scope) -> bool:
    """Whether the period ends on a month's last day and the rollups may answer it."""
    return scope.date_to == month_end(scope.date_to) and rollups.ready(run)


def _query(run: Runner, name: str, scope: Scope) -> pd.DataFrame:
    """A satisfaction query, from the rollups when the period ends on a month's last day (the answer
    kept for the whole company's calendar month, where the rollups keep one)."""
    if not _monthly(run, scope):
        return run(name, scope_params(scope))
    return rollups.answer(run, scope, f"{name}_monthly", scope_params(scope))


def _summed(run: Runner, scope: Scope) -> bool:
    """Whether the scope's summary comes from rollup_satisfaction_month (whose grain has no customer)."""
    return _monthly(run, scope) and scope.filter_params()["customer"] is None


def customers(
    run: Runner, scope: Scope, limits: Thresholds | None = None, shops: bool = True
) -> pd.DataFrame:
    """In-scope customers with their latest survey, its band, and the follow-up flags; with their shop
    names and addresses unless `shops` is false (then `with_shops` adds them to the rows that need them)."""
    limits = limits or thresholds()
    frame = flagged(_query(run, "satisfaction/customers", scope), limits)
    return with_shops(run, frame) if shops else frame


def flagged(frame: pd.DataFrame, limits: Thresholds) -> pd.DataFrame:
    """Customer rows with their band, the change since the previous survey and the follow-up flags."""
    frame["band"] = bands_of(frame["overall"], limits.bands)
    frame["change"] = frame["overall"] - frame["previous_overall"]
    frame["is_low"] = frame["overall"] < limits.low_score
    frame["is_drop"] = frame["change"] <= -limits.drop_points
    return frame


def with_shops(run: Runner, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the shop name and address of each customer, in the same row order."""
    return tables.with_names(run, frame, ("shop_name", "address"))


def shown_rows(run: Runner, listed: pd.DataFrame) -> pd.DataFrame:
    """The rows of a list a table shows (the first MAX_TABLE_ROWS), with their shop names."""
    return with_shops(run, listed.head(tables.MAX_TABLE_ROWS))


def follow_up(frame: pd.DataFrame) -> pd.DataFrame:
    """Customers to follow up: overall below the low score, or a drop of the set points since the previous
    survey (NaN compares false, so a customer without a survey or a previous one is judged on what it has).
    Lowest score first, ties by customer id."""
    picked = frame[frame["is_low"] | frame["is_drop"]]
    return picked.sort_values(["overall", "customer_id"], kind="stable").reset_index(drop=True)


def satisfaction_kpis(run: Runner, scope: Scope) -> dict:
    """`satisfaction.*` of DESIGN.md section 5, per-dimension means keyed by dimension code, and the size of
    the follow-up list. The three overview figures are recomputed from the same rule (the registry checks
    they agree)."""
    means = _query(run, "satisfaction/dimension_means", scope)
    return satisfaction_kpis_from(means, gather(run, scope, thresholds(), points=False).summary)


# ---- a scope's survey figures, summed ----------------------------------------------------------

GRAIN = ["station_id", "route_id", "business_type"]


@dataclass
class Surveyed:
    summary: pd.DataFrame  # one row per station, route and business type (satisfaction/summary_monthly)
    frame: pd.DataFrame | None  # one row a customer, when the scope is small enough to draw them (or
    # off the rollups); None: the follow-up list and the grid come from their own monthly queries


def gather(run: Runner, scope: Scope, limits: Thresholds, points: bool = True) -> Surveyed:
    """The scope's summary, and its customers when `points` and there are at most maps.MAX_POINTS of them
    (the map draws each; a province's 500,000 rows cost seconds to fetch and are never drawn). Off the
    rollups the customers are fetched anyway and summed here."""
    if _summed(run, scope):
        summary = _query(run, "satisfaction/summary", scope)
        small = points and summary["n_customers"].sum() <= maps.MAX_POINTS
        frame = customers(run, scope, limits, shops=False) if small else None
        return Surveyed(with_route_names(run, summary), frame)
    frame = customers(run, scope, limits, shops=False)
    return Surveyed(with_route_names(run, summarise(frame)), frame)


def summarise(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of satisfaction/summary_monthly from the per-customer frame: the same columns, counts and
    sums (the raw-table path; tests/test_rollups.py checks both agree)."""
    parts = {
        "n_customers": 1,
        "n_surveyed": frame["overall"].notna(),
        "n_low": frame["is_low"],
        "n_follow_up": frame["is_low"] | frame["is_drop"],
        "sum_lon": frame["lon"],
        "sum_lat": frame["lat"],
        "sum_overall": frame["overall"],
    }
    for dim in DIMENSIONS:
        parts |= {f"sum_{dim}": frame[dim], f"n_{dim}": frame[dim].notna()}
    data = frame[GRAIN].assign(**parts)
    counts = [c for c in parts if c.startswith("n_")]
    sums = [c for c in parts if c.startswith("sum_")]
    grouped = data.groupby(GRAIN, sort=True)
    out = grouped[counts].sum().astype("int64").join(grouped[sums].sum(min_count=1).astype("float64"))
    return out[list(parts)].reset_index()


def with_route_names(run: Runner, summary: pd.DataFrame) -> pd.DataFrame:
    """The summary with each route's, station's and customer manager's name (one small cached query)."""
    names = rollups.whole(run, "satisfaction/routes").set_index("route_id")
    at = names.index.get_indexer(summary["route_id"])
    named = summary.copy()
    for column in ("route_name", "station_name", "customer_manager_name"):
        # categories of the 12,500 routes' names taken by position: a province's 76,000 rows get their
        # names in milliseconds (a merge, or text columns, cost 10x that)
        values = pd.Categorical(names[column])
        named[column] = pd.Categorical.from_codes(values.codes[at], values.categories)
    return named


def follow_up_of(run: Runner, scope: Scope, surveyed: Surveyed, limits: Thresholds) -> pd.DataFrame:
    """The follow-up list: from the customers when fetched, else the rollup's few flagged rows."""
    if surveyed.frame is not None:
        return follow_up(surveyed.frame)
    params = follow_up_params(scope, limits)
    return flagged(rollups.answer(run, scope, "satisfaction/follow_up_monthly", params), limits)


def follow_up_params(scope: Scope, limits: Thresholds | None = None) -> dict:
    """satisfaction/follow_up_monthly's parameters (the settings' thresholds unless others are given)."""
    limits = limits or thresholds()
    return scope_params(scope) | {"low_score": limits.low_score, "drop_points": limits.drop_points}


def grid_of(run: Runner, scope: Scope, surveyed: Surveyed, size: float) -> pd.DataFrame:
    """The map grid's cells (i, j, n_surveyed, mean): summed from the customers when fetched, else by
    satisfaction/grid_monthly."""
    if surveyed.frame is None:
        return run("satisfaction/grid_monthly", scope_params(scope) | {"cell_size": size})
    return maps.grid_of(surveyed.frame, size)


# ---- display frames (labels from the locale, values formatted) --------------------------------


def _score(value) -> str:
    return fmt_number(value) if value is not None and not pd.isna(value) else "—"


def _day(value, lang: str) -> str:
    return fmt_date(pd.Timestamp(value).date(), lang) if value is not None and not pd.isna(value) else "—"


def reasons(row, limits: Thresholds, lang: str) -> str:
    parts = []
    if row["is_low"]:
        parts.append(t("satisfaction.reason.low", lang, low=f"{limits.low_score:g}"))
    if row["is_drop"]:
        parts.append(t("satisfaction.reason.drop", lang, points=fmt_number(-row["change"])))
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def follow_up_table(frame: pd.DataFrame, limits: Thresholds, lang: str) -> pd.DataFrame:
    """The follow-up list as shown and downloaded: headers and codes in the page's language."""

    def col(key: str) -> str:
        return t(f"satisfaction.col.{key}", lang)

    return pd.DataFrame(
        {
            col("shop"): frame["shop_name"],
            col("station"): frame["station_name"],
            col("route"): frame["route_name"],
            col("customer_manager"): frame["customer_manager_name"],
            col("inspector"): frame["inspector_name"].fillna("—"),
            col("business_type"): [label("business_type", c, lang) for c in frame["business_type"]],
            col("overall"): [_score(v) for v in frame["overall"]],
            col("previous_overall"): [_score(v) for v in frame["previous_overall"]],
            col("reason"): [reasons(row, limits, lang) for _, row in frame.iterrows()],
            col("surveyed_on"): [_day(v, lang) for v in frame["surveyed_on"]],
            col("last_visit"): [_day(v, lang) for v in frame["last_visit_on"]],
            col("open_tickets"): frame["n_open_tickets"].astype(int),
        }
    )


def customer_details(run: Runner, frame: pd.DataFrame | None, customer_id, lang: str) -> list[tuple]:
    """One customer's card beside the map: (label, value) pairs; empty when the id is not in scope (or
    the map draws no customers)."""
    rows = frame[frame["customer_id"] == customer_id] if frame is not None else frame
    if rows is None or rows.empty:
        return []
    row = with_shops(run, rows).iloc[0]

    def col(key: str) -> str:
        return t(f"satisfaction.col.{key}", lang)

    pairs = [
        (col("shop"), row["shop_name"]),
        (col("address"), row["address"] or "—"),
        (col("station"), row["station_name"]),
        (col("route"), row["route_name"]),
        (col("customer_manager"), row["customer_manager_name"]),
        (col("inspector"), row["inspector_name"] if isinstance(row["inspector_name"], str) else "—"),
        (col("business_type"), label("business_type", row["business_type"], lang)),
        (col("market_type"), label("market_type", row["market_type"], lang)),
        (col("grade"), str(int(row["grade"]))),
        (col("status"), label("status", row["status"], lang)),
        (col("surveyed_on"), _day(row["surveyed_on"], lang)),
        (col("overall"), _score(row["overall"])),
        (col("previous_overall"), _score(row["previous_overall"])),
    ]
    pairs += [(t(f"satisfaction.dimension.{d}", lang), _score(row[d])) for d in DIMENSIONS]
    pairs += [
        (col("last_visit"), _day(row["last_visit_on"], lang)),
        (col("open_tickets"), str(int(row["n_open_tickets"]))),
    ]
    return pairs


def narrow(frame: pd.DataFrame, pick: dict | None) -> pd.DataFrame:
    """The rows of a map pick: a station's area, a route dot, a grid cell or a customer; all when none."""
    if not pick:
        return frame
    kind, key = pick["kind"], pick["key"]
    if kind == "station":
        return frame[frame["station_id"] == key]
    if kind == "route":
        return frame[frame["route_id"] == key]
    if kind == "customer":
        return frame[frame["customer_id"] == key]
    if kind == "cell":
        return frame[maps.cell_keys(frame, pick["size"]) == key]
    return frame


def read_pick(selection) -> dict | None:
    """What the user clicked on the map, from `st.pydeck_chart`'s selection (None when nothing)."""
    objects = (selection or {}).get("objects") or {}
    for layer_id, kind, field in (
        (maps.CUSTOMERS_LAYER, "customer", "customer_id"),
        (maps.ROUTES_LAYER, "route", "route_id"),
        (maps.STATIONS_LAYER, "station", "station_id"),
        (maps.GRID_LAYER, "cell", "cell"),
        (maps.AREAS_LAYER, "station", "station_id"),
    ):
        for obj in objects.get(layer_id) or []:
            props = obj.get("properties", obj) if isinstance(obj, dict) else {}
            if props.get(field) is not None:
                return {
                    "kind": kind,
                    "key": props[field],
                    "size": props.get("size"),
                    "name": props.get("name"),
                }
    return None


# ---- everything the page shows -----------------------------------------------------------------


@dataclass
class Figures:
    kpis: dict
    company: dict  # the same means for the whole company
    summary: pd.DataFrame  # per station, route and business type (`gather`)
    customers: pd.DataFrame | None  # one row a customer when the map draws them, else None
    n_customers: int
    follow_up: pd.DataFrame
    deck: object  # pydeck.Deck
    legend: str  # HTML
    aggregated: bool | str  # False, or how the map grouped its dots: "route", "station"
    distribution: tuple  # the station level's (counts figure, means figure, note); `distribution` for routes
    dimensions: object  # plotly Figure
    station_dimensions: object  # plotly Figure
    stations_note: str | None  # which stations it shows, when not all
    drag: pd.DataFrame
    limits: Thresholds


def page_figures(run: Runner, scope: Scope, lang: str, layer: str = "band") -> Figures:
    """Every figure of the satisfaction page for one scope, language and map layer: the cards, charts and
    map dots from the scope's summary, the customers only when the map draws each of them."""
    limits = thresholds()
    surveyed, means, stations = parallel.together(
        lambda: gather(run, scope, limits),
        lambda: _query(run, "satisfaction/dimension_means", scope),
        lambda: rollups.whole(run, "satisfaction/stations"),
    )
    summary, frame = surveyed.summary, surveyed.frame
    n_customers = int(summary["n_customers"].sum())
    points = frame if frame is not None and len(frame) <= maps.MAX_POINTS else None
    if points is not None:  # the map draws each customer, its tooltip names the shop
        points = with_shops(run, points)
        surveyed = Surveyed(summary, points)  # the follow-up list taken from them is named too
    company = {
        dim: plain(v)
        for dim, v in means[means.snapshot == "company"].set_index("dimension").mean_score.items()
    }
    areas = maps.service_areas(maps.load_areas(), stations, lang)
    cells = grid_of(run, scope, surveyed, maps.cell_size(areas)) if layer == "grid" else None
    labels = band_labels(limits.bands, lang)
    deck, aggregated = maps.satisfaction_deck(
        summary, points, cells, areas, layer, lang, lambda s: band(s, limits.bands)
    )
    station_means = station_dimension_means(summary)
    drawn = lowest(summary, "station_id", MAX_UNITS)  # the heatmap's rows: at most MAX_UNITS stations
    heat = station_means if drawn is None else station_means[station_means["station_id"].isin(drawn)]
    return Figures(
        kpis=satisfaction_kpis_from(means, summary),
        company=company,
        summary=summary,
        customers=points,
        n_customers=n_customers,
        follow_up=follow_up_of(run, scope, surveyed, limits),
        deck=deck,
        legend=maps.legend_html(layer, lang, labels, aggregated),
        aggregated=aggregated,
        distribution=distribution(summary, "station", lang),
        dimensions=charts.dimension_comparison(means, lang, DIMENSIONS),
        station_dimensions=charts.station_dimensions(heat, company, lang, DIMENSIONS, order=drawn),
        stations_note=None if drawn is None else cap_note(summary, "station", MAX_UNITS, lang),
        drag=drag_table(station_means, company, lang),
        limits=limits,
    )


def satisfaction_kpis_from(means: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """The KPIs from frames already fetched (the page's path; `satisfaction_kpis` fetches them itself)."""
    mine = means[means.snapshot == "scope"].set_index("dimension")

    def mean(dim: str):
        return plain(mine.mean_score.get(dim)) if dim in mine.index else None

    return {
        "satisfaction.overall_mean": mean("overall"),
        "satisfaction.surveyed": int(summary["n_surveyed"].sum()),
        "satisfaction.low_count": int(summary["n_low"].sum()),
        "satisfaction.dimension_mean": {dim: mean(dim) for dim in DIMENSIONS},
        "satisfaction.follow_up_count": int(summary["n_follow_up"].sum()),
    }


def station_dimension_means(summary: pd.DataFrame) -> pd.DataFrame:
    """Mean of each dimension per station over the in-scope customers' latest surveys (long form)."""
    columns = ["station_id", "station_name", "dimension", "mean_score", "n_scores"]
    sums = [f"sum_{d}" for d in DIMENSIONS]
    counts = [f"n_{d}" for d in DIMENSIONS]
    grouped = summary.groupby(["station_id", "station_name"], sort=True)
    totals = grouped[sums].sum(min_count=1).join(grouped[[*counts, "n_surveyed"]].sum())
    totals = totals[totals["n_surveyed"] > 0]
    if totals.empty:
        return pd.DataFrame(columns=columns)
    wide = totals[sums].to_numpy() / totals[counts].to_numpy()  # 0 scores: NaN (0/0), as pandas' mean
    out = pd.DataFrame(
        {
            "station_id": np.repeat(totals.index.get_level_values(0), len(DIMENSIONS)),
            "station_name": np.repeat(totals.index.get_level_values(1).astype(str), len(DIMENSIONS)),
            "dimension": np.tile(DIMENSIONS, len(totals)),
            "mean_score": wide.ravel(),
            "n_scores": totals[counts].to_numpy().ravel().astype("int64"),
        }
    )
    return out.sort_values(["station_id", "dimension"]).reset_index(drop=True)


def lowest(summary: pd.DataFrame, key: str, max_units: int) -> list | None:
    """The `max_units` stations (key "station_id") or routes with the lowest mean satisfaction, lowest
    first and those without a survey last; None when there are no more than that."""
    units = summary.groupby(key)[["sum_overall", "n_surveyed"]].sum(min_count=1)
    if len(units) <= max_units:
        return None
    means = units["sum_overall"] / units["n_surveyed"].where(units["n_surveyed"] > 0)
    return list(means.sort_values(kind="stable").index[:max_units])


def cap_note(summary: pd.DataFrame, level: str, max_units: int, lang: str) -> str:
    """The caption of a chart that shows only the lowest `max_units` stations or routes."""
    total = summary[f"{level}_id"].nunique()
    return t(f"satisfaction.{level}s_lowest", lang, n=max_units, total=fmt_count(total, lang))


def distribution(summary: pd.DataFrame, level: str, lang: str, max_units: int | None = None):
    """The business-type distribution charts of one level (built for the level shown only), and the
    note saying which stations or routes they show when a scope has more than `max_units`: those with
    the lowest mean satisfaction (a chart of 12,500 routes is 300,000 px tall and helps nobody)."""
    max_units = max_units or MAX_UNITS
    shown = lowest(summary, f"{level}_id", max_units)
    if shown is None:
        return (*charts.btype_distribution(summary, level, lang), None)
    picked = summary[summary[f"{level}_id"].isin(shown)]
    figures = charts.btype_distribution(picked, level, lang, order=shown)  # the lowest on top
    return (*figures, cap_note(summary, level, max_units, lang))


def drag_table(station_means: pd.DataFrame, company: dict, lang: str) -> pd.DataFrame:
    """Per station, the dimension furthest below the company's mean for it (ties by dimension order)."""
    if station_means.empty:
        return pd.DataFrame()
    data = station_means.assign(gap=station_means["mean_score"] - station_means["dimension"].map(company))
    order = {d: i for i, d in enumerate(DIMENSIONS)}
    data = data.assign(order=data["dimension"].map(order)).sort_values(["station_id", "gap", "order"])
    worst = data.groupby("station_id", as_index=False).first()

    def col(key: str) -> str:
        return t(f"satisfaction.col.{key}", lang)

    return pd.DataFrame(
        {
            col("station"): worst["station_name"],
            col("dimension"): [t(f"satisfaction.dimension.{d}", lang) for d in worst["dimension"]],
            col("score"): [fmt_number(v) for v in worst["mean_score"]],
            col("gap"): [fmt_number(v) for v in worst["gap"]],
        }
    )
