"""The staff area (三劳指数 · 二次考核): each customer manager's inputs, indices, ranking and payroll rows.

One query gathers the inputs of every period the page needs (this one, the one before for the rank
change, the trend months) in one pass; dashboard.metrics.three_labor applies the formulas. The page,
the CLI and the benchmark call the same functions, so a figure on screen is the one in `kpis --json`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from dashboard import rollups
from dashboard.i18n import fmt_pct, t
from dashboard.kpis import Runner, plain
from dashboard.metrics import three_labor
from dashboard.metrics.three_labor import SCORES
from dashboard.scope import Scope, add_months, month_end
from dashboard.settings import settings
from dashboard.tickets import KINDS, targets

TREND_MONTHS = 6
WEIGHT_GROUPS = ("diligence", "effort", "merit", "composite", "assessment")
DEFAULTS = {
    "checkin_distance_m": 100.0,
    "hours_per_planned_visit": 0.5,
    "uplift_slope": 5.0,
    "uplift_centre": 0.5,
    "diligence": {"done_rate": 0.5, "coverage": 0.3, "on_plan": 0.2},
    "effort": {"hours": 0.4, "tasks": 0.3, "checkin": 0.3},
    "merit": {"satisfaction": 0.35, "uplift": 0.25, "resolution_sla": 0.25, "trained": 0.15},
    "composite": {"diligence": 0.3, "effort": 0.3, "merit": 0.4},
    "assessment": {"satisfaction": 0.4, "uplift": 0.3, "diligence": 0.2, "resolution_sla": 0.1},
}


def conf() -> dict:
    """Weights and targets from the [staff] section of the settings file (DESIGN.md defaults)."""
    given = settings().get("staff", {})
    out = {}
    for key, default in DEFAULTS.items():
        if isinstance(default, dict):
            out[key] = {k: float(given.get(key, {}).get(k, v)) for k, v in default.items()}
        else:
            out[key] = float(given.get(key, default))
    return out


def with_weights(base: dict, composite: dict | None = None, assessment: dict | None = None) -> dict:
    """The configuration with other composite/assessment weights (the page's what-if; nothing saved)."""
    return {
        **base,
        "composite": composite or base["composite"],
        "assessment": assessment or base["assessment"],
    }


def _previous(date_from: date, date_to: date) -> tuple[date, date]:
    before = Scope(date_from, date_to).previous()
    return before.date_from, before.date_to


def trend_months(scope: Scope, first_day: date | None = None) -> list[tuple[date, date]]:
    """The last TREND_MONTHS calendar months up to the period's end month, none before the data starts."""
    last = scope.date_to.replace(day=1)
    months = [add_months(last, -i) for i in range(TREND_MONTHS - 1, -1, -1)]
    return [(m, month_end(m)) for m in months if first_day is None or m >= first_day]


def query_params(scope: Scope, periods: list[tuple[date, date]], settings_: dict) -> dict:
    """The scope's customer filters, the periods (each with the one before it) and the targets."""
    previous = [_previous(*p) for p in periods]
    goal = targets()["resolution_hours"]
    kinds = [k for k in KINDS if k in goal]
    return {
        **scope.filter_params(),
        "period_starts": [p[0] for p in periods],
        "period_ends": [p[1] for p in periods],
        "previous_starts": [p[0] for p in previous],
        "previous_ends": [p[1] for p in previous],
        "checkin_m": settings_["checkin_distance_m"],
        "resolution_kinds": kinds,
        "resolution_hours": [goal[k] for k in kinds],
    }


def _inputs(run: Runner, scope: Scope, periods: list[tuple[date, date]], settings_: dict) -> pd.DataFrame:
    """The inputs query's frame for `periods` (period_no = 1.. in their order): the months whose answers
    the refresh kept read back, the other periods made of whole months from the monthly rollups, the rest
    (a custom range, the one before it) from the raw tables."""
    ready = rollups.ready(run)
    monthly = [i for i, p in enumerate(periods) if ready and rollups.whole_months_only(scope, [p])]
    kept = [monthly[j] for j in rollups.kept_periods(run, scope, [periods[i] for i in monthly])]
    sources = {
        "kept": kept,
        "monthly": [i for i in monthly if i not in kept],
        "raw": [i for i in range(len(periods)) if i not in monthly],
    }
    parts = [
        _inputs_of(run, scope, periods, picked, settings_, source)
        for source, picked in sources.items()
        if picked
    ]
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True).sort_values(["period_no", "staff_id"], ignore_index=True)


def _inputs_of(run, scope: Scope, periods: list, picked: list[int], settings_: dict, source: str):
    """The inputs of the periods at `picked`, all from one source (see `_inputs`), numbered as in
    `periods`."""
    chosen = [periods[i] for i in picked]
    params = query_params(scope, chosen, settings_)
    if source == "raw":
        frame = run("staff/inputs", params)
    elif source == "monthly":
        frame = run("staff/inputs_monthly", {k: v for k, v in params.items() if k != "checkin_m"})
    elif piece := rollups.one_slice(scope):
        kept = {"period_starts": params["period_starts"], "slice": piece[0], "code": piece[1]}
        frame = run("staff/inputs_by_slice_month", kept)
    else:
        frame = run("staff/inputs_by_month", {"period_starts": params["period_starts"]})
    if len(picked) < len(periods):  # a new frame: `run` may hand back a cached one
        numbers = {n: i + 1 for n, i in enumerate(picked, start=1)}
        frame = frame.assign(period_no=frame["period_no"].map(numbers))
    return frame


def ranked(inputs: pd.DataFrame, settings_: dict) -> pd.DataFrame:
    """Scores and ranks (composite and assessment) of one period's inputs."""
    frame = three_labor.score(inputs.reset_index(drop=True), settings_)
    frame["rank"] = three_labor.rank(frame, "composite")
    frame["assessment_rank"] = three_labor.rank(frame, "assessment")
    return frame


@dataclass(frozen=True)
class StaffData:
    """Everything the staff page shows for one scope."""

    scope: Scope
    conf: dict
    inputs: pd.DataFrame  # one row per manager and period (all periods)
    current: pd.DataFrame  # scored and ranked, this period
    previous: pd.DataFrame | None  # scored and ranked, the period before (None: before the data)
    trend: pd.DataFrame  # scored, one row per manager and trend month

    def rescored(self, settings_: dict) -> StaffData:
        """The same inputs under other weights (the what-if panel)."""
        return replace(self, conf=settings_, **_scored(self.inputs, settings_))


def _scored(inputs: pd.DataFrame, settings_: dict) -> dict:
    slots = inputs.attrs["slots"]  # which period number is this period, the one before, each trend month
    current = ranked(inputs[inputs.period_no == slots["current"]], settings_)
    previous = None
    if slots["previous"] is not None:
        previous = ranked(inputs[inputs.period_no == slots["previous"]], settings_)
    months = inputs[inputs.period_no.isin(slots["trend"])]
    trend = three_labor.score(months.reset_index(drop=True), settings_) if len(months) else months
    if previous is not None:
        change = current.staff_id.map(dict(zip(previous.staff_id, previous["rank"], strict=True)))
        current["rank_change"] = change - current["rank"]  # positive: moved up
    else:
        current["rank_change"] = pd.Series([None] * len(current), dtype="float64")
    return {"current": current, "previous": previous, "trend": trend}


def gather(run: Runner, scope: Scope, first_day: date | None = None) -> StaffData:
    """Run the page's one inputs query: this period, the one before it, and the trend months (a period
    that is also a trend month is asked for once)."""
    settings_ = conf()
    this, before = (scope.date_from, scope.date_to), _previous(scope.date_from, scope.date_to)
    has_previous = first_day is None or before[0] >= first_day
    months = trend_months(scope, first_day)
    periods = list(dict.fromkeys([this, *([before] if has_previous else []), *months]))
    inputs = _inputs(run, scope, periods, settings_)
    number = {p: i + 1 for i, p in enumerate(periods)}  # period_no is 1-based, in the order asked
    inputs.attrs["slots"] = {
        "current": number[this],
        "previous": number[before] if has_previous else None,
        "trend": [number[m] for m in months],
    }
    return StaffData(scope, settings_, inputs, **_scored(inputs, settings_))


def staff_kpis(run: Runner, scope: Scope) -> dict:
    """`staff.<id>.<score>` for every customer manager with assigned customers in scope (null when not
    computable)."""
    settings_ = conf()
    inputs = _inputs(run, scope, [(scope.date_from, scope.date_to)], settings_)
    frame = three_labor.score(inputs, settings_)
    people = {
        f"staff.{row['staff_id']}.{name}": plain(row[name])
        for row in frame.to_dict("records")
        for name in SCORES
    }
    return people | {"staff.composite_mean": composite_mean(frame)}


def composite_mean(scored: pd.DataFrame):
    """The unweighted mean composite of the managers scored (None when none has one)."""
    values = scored["composite"].dropna() if len(scored) else scored
    return plain(float(values.mean())) if len(values) else None


def composite_means(run: Runner, scope: Scope, periods: list[tuple[date, date]]) -> dict:
    """staff.composite_mean of each period (date_from, date_to) -> value, from one inputs query."""
    periods = list(dict.fromkeys(periods))
    if not periods:
        return {}
    settings_ = conf()
    inputs = _inputs(run, scope, periods, settings_)
    scored = three_labor.score(inputs, settings_) if len(inputs) else inputs
    return {
        period: composite_mean(scored[scored.period_no == i + 1]) if len(scored) else None
        for i, period in enumerate(periods)
    }


def visits(run: Runner, scope: Scope, staff_id: str) -> pd.DataFrame:
    """One manager's plans and visits in the period, matched by customer and day (the drill-down)."""
    return run("staff/visits", {**scope.params(), "staff_id": staff_id})


def station_means(frame: pd.DataFrame) -> pd.DataFrame:
    """Per station: the unweighted mean of its managers' scores and assessment components."""
    columns = ["satisfaction_mean", "uplift", "sla_rate", *SCORES]
    means = frame.groupby(["station_id", "station_name"], as_index=False)[columns].mean()
    counts = frame.groupby("station_id").size().rename("n_staff").reset_index()
    return means.merge(counts, on="station_id").sort_values("station_id").reset_index(drop=True)


def joint_visits(frame: pd.DataFrame) -> pd.DataFrame:
    """Per station: managers' done visits, joint visits (专销联合), their share, those with an inspector."""
    sums = frame.groupby(["station_id", "station_name"], as_index=False)[
        ["done", "joint", "joint_with_inspector"]
    ].sum()
    sums["joint_share"] = sums.joint / sums.done.where(sums.done > 0)
    return sums.sort_values("station_id").reset_index(drop=True)


def weights_text(settings_: dict, group: str, lang: str) -> str:
    """One formula as a line: 勤劳 = 50% 完成率 + 30% 覆盖率 + 20% 按计划率."""
    terms = " + ".join(
        f"{fmt_pct(w, 0)} {t(f'staff.term.{group}.{k}', lang)}" for k, w in settings_[group].items()
    )
    return f"{t(f'staff.score.{group}', lang)} = {terms}"


def default_person(current: pd.DataFrame) -> str | None:
    """The person to open first: the lowest composite (the one a manager asks about)."""
    return None if current.empty else str(current.sort_values("rank").staff_id.iloc[-1])


def person_view(data: StaffData, staff_id: str) -> tuple[dict, dict, pd.DataFrame]:
    """One person's row, their station's mean row, and their trend rows."""
    person = data.current[data.current.staff_id == staff_id].iloc[0].to_dict()
    station = data.current[data.current.station_id == person["station_id"]]
    means = station.drop(columns=["staff_id", "staff_name", "station_id", "station_name"]).mean(
        numeric_only=True
    )
    trend = data.trend[data.trend.staff_id == staff_id] if len(data.trend) else data.trend
    return person, means.to_dict(), trend


def visit_counts(visits_: pd.DataFrame) -> dict:
    """Plans, plans kept, missed and unplanned visits of a drill-down (a kept plan counts once)."""
    status = visits_.status
    kept = visits_[status == "on_plan"][["customer_id", "planned_on"]].drop_duplicates()
    return {
        "planned": int(len(kept) + (status == "missed").sum()),
        "kept": int(len(kept)),
        "missed": int((status == "missed").sum()),
        "unplanned": int((status == "unplanned").sum()),
    }


def page_figures(data: StaffData, run: Runner, lang: str, staff_id: str | None = None) -> dict:
    """Every figure and table of the page for one language and one person (the benchmark's work)."""
    from dashboard import charts, kpis, tables

    out = {
        "visit_cards": kpis.overview(run, data.scope),  # the page's planned/done cards
        "ranking": charts.staff_ranking(data.current, lang),
        "ranking_table": tables.staff_ranking(data.current, lang),
        "inputs": tables.staff_inputs(data.current, lang),
        "payroll": tables.staff_payroll(data.current, data.conf["assessment"], "", lang),
        "stations": tables.staff_stations(station_means(data.current), lang),
        "joint": charts.staff_joint(joint_visits(data.current), lang),
    }
    staff_id = staff_id or default_person(data.current)
    if staff_id is not None:
        person, station, trend = person_view(data, staff_id)
        out["radar"] = charts.staff_radar(person, station, lang)
        out["terms"] = charts.staff_terms(person, station, lang)
        out["trend"] = charts.staff_trend(trend, person["staff_name"], lang)
        out["visits"] = tables.staff_visits(visits(run, data.scope, staff_id), lang)
    return out


def route_summary(visits_: pd.DataFrame) -> pd.DataFrame:
    """Per route of a drill-down: plans, missed plans, unplanned visits and the median check-in distance,
    so a weak route stands out from a person's other routes."""
    rows = []
    for route, part in visits_.groupby("route_name", sort=True):
        counts = visit_counts(part)
        distance = part.checkin_distance_m.dropna()
        rows.append(
            {
                "route_name": route,
                **counts,
                "missed_share": counts["missed"] / counts["planned"] if counts["planned"] else None,
                "median_distance_m": float(distance.median()) if len(distance) else None,
            }
        )
    columns = ["route_name", "planned", "kept", "missed", "unplanned", "missed_share", "median_distance_m"]
    return pd.DataFrame(rows, columns=columns)
