"""The overview (总览): every area's headline KPI against its target, its change from the previous
period and from last year, a 12-month sparkline; stations and routes on the same measures, and the
ones that need attention. No Streamlit here; the page places what these return.

The headline figures are the area functions' own (kpis --json); the sparklines and the unit table
are grouped queries of the same definitions, and the tests hold them equal to the area functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

import numpy as np
import pandas as pd

from dashboard import kpis, nine_grid, parallel, rollups, staff, tickets
from dashboard.i18n import fmt_count, fmt_delta, fmt_number, fmt_pct, fmt_yuan, t
from dashboard.kpis import Runner, plain
from dashboard.scope import Scope, add_months, month_end, whole_months
from dashboard.settings import settings

TREND_MONTHS = 12


@dataclass(frozen=True)
class Headline:
    kpi: str  # the figure the card shows (a `kpis --json` name)
    kind: str  # how it reads: points, pct, count, yuan, days
    page: str  # url_path of the page that explains it
    target_kpi: str | None = None  # the figure the target is on, when it is not the shown one
    inverse: bool = False  # up is bad


HEADLINES = (
    Headline("satisfaction.overall_mean", "points", "satisfaction-map"),
    Headline("tickets.response_sla_rate", "pct", "complaints"),
    Headline("tickets.resolution_sla_rate", "pct", "complaints"),
    Headline("tickets.closed_loop_rate", "pct", "complaints"),
    Headline("visits.done_rate", "pct", "three-labor"),
    Headline("staff.composite_mean", "points", "three-labor"),
    Headline("nine_grid.slow_sellers", "count", "nine-grid", "nine_grid.slow_share", inverse=True),
    Headline("training.coverage", "pct", "training"),
    Headline("residency.avg_days_per_staff", "days", "training"),
    Headline("customers.gross_profit_yuan", "yuan", "three-labor", "customers.gross_profit_yoy"),
)

# How a target figure reads, when it is not a headline's own.
TARGET_KINDS = {"nine_grid.slow_share": "pct", "customers.gross_profit_yoy": "growth"}

# Columns of overview/units.sql and tickets/ranking.sql -> the KPI each is, unit by unit.
UNIT_MEASURES = {
    "satisfaction_overall_mean": "satisfaction.overall_mean",
    "response_sla_rate": "tickets.response_sla_rate",
    "resolution_sla_rate": "tickets.resolution_sla_rate",
    "closed_loop_rate": "tickets.closed_loop_rate",
    "visits_done_rate": "visits.done_rate",
    "training_coverage": "training.coverage",
    "residency_avg_days_per_staff": "residency.avg_days_per_staff",
    "gross_profit_yoy": "customers.gross_profit_yoy",
}
UNIT_COUNTS = {
    "customers_in_scope": "customers.in_scope",
    "satisfaction_surveyed": "satisfaction.surveyed",
    "satisfaction_low_count": "satisfaction.low_count",
    "visits_planned": "visits.planned",
    "visits_done": "visits.done",
    "customers_reached": "training.customers_reached",
    "residency_staff": "residency.staff",
    "residency_days": "residency.days",
    "gross_profit_yuan": "customers.gross_profit_yuan",
    "received": "tickets.received",
}

# Columns of overview/trend.sql -> KPI names: the unit measures month by month (the gross profit itself
# rather than its growth); the staff and nine-grid sparklines come from their areas.
TREND_COLUMNS = {k: v for k, v in UNIT_MEASURES.items() if k != "gross_profit_yoy"} | {
    "gross_profit_yuan": "customers.gross_profit_yuan"
}
# ... and the context row's counts (dashboard/cards.py): with the headline figures, all that a period
# compared with shows, so a month's period before and last year's are two rows of the trend query.
TREND_COUNTS = {
    "customers_in_scope": "customers.in_scope",
    "tickets_received": "tickets.received",
    "visits_done": "visits.done",
    "training_sessions": "training.sessions",
    "residency_stores": "residency.stores",
}
# ... and what only the current period's context row reads (its captions): with these, a month's own
# figures are a row of the trend too, so a narrowed month asks the areas' functions nothing.
TREND_EXTRAS = {
    "customers_active": "customers.active",
    "visits_planned": "visits.planned",
    "training_rural_sessions": "training.rural_sessions",
    "residency_staff": "residency.staff",
    "residency_days": "residency.days",
}
COUNT_KPIS = {*TREND_COUNTS.values(), *TREND_EXTRAS.values(), "nine_grid.slow_sellers"}
# What the cards, the context row and the exports read of a period's figures.
SHOWN_KPIS = (
    *(h.kpi for h in HEADLINES),
    *TARGET_KINDS,
    *TREND_COUNTS.values(),
    *TREND_EXTRAS.values(),
)


def targets() -> dict[str, tuple[str, float]]:
    """KPI name -> ("min" | "max", value): the settings' [targets] and the tickets SLA rate target."""
    found = {}
    for name, rule in settings().get("targets", {}).items():
        (op, value), *_ = rule.items()
        found[name] = (op, float(value))
    sla = tickets.targets()["sla_rate"]
    found.setdefault("tickets.response_sla_rate", ("min", sla))
    found.setdefault("tickets.resolution_sla_rate", ("min", sla))
    return found


def judge(value, rule: tuple[str, float] | None) -> str | None:
    """'met' or 'missed' against a target rule; None when there is no value or no target."""
    if value is None or rule is None or pd.isna(value):
        return None
    op, goal = rule
    return "met" if (value >= goal if op == "min" else value <= goal) else "missed"


def _span(scope: Scope) -> tuple[date, date]:
    return scope.date_from, scope.date_to


def area_figures(run: Runner, scope: Scope) -> dict:
    """The headline figures but the staff composite, each from the function of the area that owns it."""
    parts = parallel.together(
        partial(kpis.overview, run, scope),
        partial(tickets.ticket_rates, run, scope),
        partial(nine_grid.kpis, run, scope),
    )
    return parts[0] | parts[1] | parts[2]


def headline_kpis(run: Runner, scope: Scope, composite: dict | None = None) -> dict:
    """Every figure the cards show or judge (the area functions'; for the whole company and one month,
    their answers kept by the rollups). `composite` holds staff.composite_mean by period when the caller
    asked for several at once."""
    figures = headline_figures(run, scope)
    if composite is None:
        composite = staff.composite_means(run, scope, [_span(scope)])
    figures["staff.composite_mean"] = composite[_span(scope)]
    return figures


def headline_figures(run: Runner, scope: Scope) -> dict:
    """The headline figures but the staff composite (which comes from one query for every period)."""
    kept = rollups.kept_headlines(run, scope)
    return area_figures(run, scope) if kept is None else kept


def trend_months(scope: Scope, first_day: date | None, n: int = TREND_MONTHS) -> list[date]:
    """The n calendar months up to the period's end month, none before the data's first month."""
    last = scope.date_to.replace(day=1)
    months = [add_months(last, -i) for i in range(n - 1, -1, -1)]
    return [m for m in months if first_day is None or m >= first_day.replace(day=1)]


def trend_params(scope: Scope, months: list[date]) -> dict:
    """The parameters of overview/trend(_monthly).sql: the scope's filters, the months, the ticket targets."""
    goal = tickets.target_params(scope)
    given = {k: goal[k] for k in ("response_target_hours", "resolution_kinds", "resolution_hours")}
    return {**scope.filter_params(), "months": months, **given}


def trend(run: Runner, scope: Scope, months: list[date], composite: dict | None = None) -> pd.DataFrame:
    """One row per month (index: first day), one column per headline KPI: each month as a period."""
    if not months:
        return pd.DataFrame(columns=[h.kpi for h in HEADLINES])
    if composite is None:
        composite = staff.composite_means(run, scope, [(m, month_end(m)) for m in months])
    rows, slow = parallel.together(
        lambda: trend_rows(run, scope, months), lambda: nine_grid.monthly_slow(run, scope, months)
    )
    return trend_table(rows, months, composite, slow)


def trend_rows(run: Runner, scope: Scope, months: list[date]) -> pd.DataFrame:
    """The trend query's rows (one a month) for the months, from the rollups where they cover them."""
    params = trend_params(scope, months)
    spans = [(m, month_end(m)) for m in months]
    if not rollups.ready(run):
        return run("overview/trend", params)
    kept = [months[i] for i in rollups.kept_periods(run, scope, spans)]
    rest = [m for m in months if m not in kept]
    parts = []
    if kept and (piece := rollups.one_slice(scope)):
        slice_ = {"months": kept, "slice": piece[0], "code": piece[1]}
        parts.append(run("overview/trend_by_slice_month", slice_))
    elif kept:
        parts.append(run("overview/trend_by_month", {"months": kept}))
    if rest:  # months are whole; a year ago's month before a country's 12, say
        parts.append(run("overview/trend_monthly", trend_params(scope, rest)))
    if len(parts) == 1:
        return parts[0]
    return pd.concat(parts, ignore_index=True).sort_values("month", ignore_index=True)


def trend_table(rows: pd.DataFrame, months: list[date], composite: dict, slow: dict) -> pd.DataFrame:
    """The trend's rows as the headline KPIs by month, with the staff composite and the slow sellers (and
    their share: `slow` is nine_grid.monthly_slow's)."""
    named = TREND_COLUMNS | TREND_COUNTS | TREND_EXTRAS
    frame = rows.set_index("month").rename(columns=named)
    frame.index = [pd.Timestamp(m).date() for m in frame.index]
    frame = frame[list(dict.fromkeys(named.values()))].astype("float64")
    spans = [(m, month_end(m)) for m in months]
    frame["staff.composite_mean"] = pd.Series({m: composite[(m, e)] for m, e in spans}, dtype="float64")
    for name in ("nine_grid.slow_sellers", "nine_grid.slow_share"):
        frame[name] = pd.Series({m: figures[name] for m, figures in slow.items()}, dtype="float64")
    return frame


def month_figures(trend_frame: pd.DataFrame, month: date) -> dict:
    """A month's row of the trend as the area functions give its figures (counts whole, None for none)."""
    row = {name: plain(value) for name, value in trend_frame.loc[month].items()}
    return {k: int(v) if k in COUNT_KPIS and v is not None else v for k, v in row.items()}


def current_figures(trend_frame: pd.DataFrame, scope: Scope) -> dict:
    """A one-month period's SHOWN_KPIS from the trend (which holds its month and the same month last year):
    its row, and the gross profit's growth as `kpis.gross_profit` gives it, from last year's row."""
    figures = month_figures(trend_frame, scope.date_from)
    before = plain(trend_frame.loc[scope.last_year().date_from, "customers.gross_profit_yuan"])
    growth = kpis.ratio(figures["customers.gross_profit_yuan"], before)
    figures["customers.gross_profit_yoy"] = None if growth is None else growth - 1
    return {name: figures[name] for name in SHOWN_KPIS}


def one_month(scope: Scope) -> bool:
    """Whether the period is one calendar month (its period before and last year's are months too)."""
    return whole_months(scope.date_from, scope.date_to) == 1


def unit_level(scope: Scope) -> str:
    """What the unit table lists: stations for the whole company, routes once a station or route is chosen."""
    return "route" if scope.stations or scope.routes else "station"


def units(run: Runner, scope: Scope) -> pd.DataFrame:
    """Stations and routes of the scope on the target measures (KPI-named columns), one row per unit."""
    last_year = scope.last_year()
    low_score = float(settings()["satisfaction"]["low_score"])
    params = {**scope.params(), "ly_from": last_year.date_from, "ly_to": last_year.date_to}
    if not rollups.usable(run, scope):
        frame = run("overview/units", {**params, "low_score": low_score})
    elif rollups.company_months_cover(run, scope, [(scope.date_from, scope.date_to)]):
        frame = run("overview/units_by_month", {"month": scope.date_from})
    else:
        frame = run("overview/units_monthly", {**params, "low_score": low_score})
    rates = tickets.ranking(run, scope)
    rates = rates[rates.unit.isin(["station", "route"])]
    columns = ["unit", "unit_id", "received", "response_sla_rate", "resolution_sla_rate", "closed_loop_rate"]
    frame = frame.merge(rates[columns], on=["unit", "unit_id"], how="left")
    frame["received"] = frame["received"].fillna(0).astype("int64")
    frame = frame.rename(columns=UNIT_MEASURES | UNIT_COUNTS)
    for name in UNIT_MEASURES.values():
        frame[name] = frame[name].astype("float64")
    frame["customers.gross_profit_yuan"] = frame["customers.gross_profit_yuan"].astype("float64")
    return frame.reset_index(drop=True)


def verdicts(frame: pd.DataFrame) -> pd.DataFrame:
    """Each unit's verdict on each target measure, as `judge` gives it, a column at a time (a country's
    150,000 stations and routes one cell at a time took seconds)."""
    rules, out = targets(), {}
    for name in UNIT_MEASURES.values():
        values = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        verdict = np.full(len(values), None, dtype=object)
        if name in rules:
            op, goal = rules[name]
            met = values >= goal if op == "min" else values <= goal
            known = ~np.isnan(values)
            verdict[known] = np.where(met[known], "met", "missed")
        out[name] = verdict
    return pd.DataFrame(out, index=frame.index)


def judged(frame: pd.DataFrame) -> pd.DataFrame:
    """Units with the number of targets met and missed, ranked: most met first, ties by id."""
    out = frame.copy()
    verdict = verdicts(out)
    out["n_met"] = (verdict == "met").sum(axis=1)
    out["n_missed"] = (verdict == "missed").sum(axis=1)
    out = out.sort_values(["n_missed", "n_met", "unit_id"], ascending=[True, False, True])
    out["rank"] = range(1, len(out) + 1)
    return out.reset_index(drop=True)


def attention(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Units below a target, with the reasons, most missed first (ties by id): who needs a call today.
    Built a measure at a time (a country's 150,000 stations and routes row by row took 11 s)."""
    rules, missed = targets(), verdicts(frame) == "missed"
    below = missed.any(axis=1).to_numpy()
    part, missed = frame[below], missed[below].to_numpy()
    names = [t(f"overview.headline.{name}", lang) for name in UNIT_MEASURES.values()]
    reasons = np.full(missed.shape, None, dtype=object)
    for j, name in enumerate(UNIT_MEASURES.values()):
        if not missed[:, j].any():
            continue
        kind = measure_kind(name)
        goal = fmt_target(rules[name], kind, lang)
        reasons[missed[:, j], j] = [
            t("overview.attention.reason", lang, kpi=names[j], value=fmt_value(v, kind, lang), target=goal)
            for v in part[name].to_numpy()[missed[:, j]]
        ]
    sep = "；" if lang == "zh" else "; "
    out = part.assign(
        n_missed=missed.sum(axis=1),
        reasons=[sep.join(r for r in row if r is not None) for row in reasons],
        missed=[[n for n, miss in zip(names, row, strict=True) if miss] for row in missed],
    )
    out = out.sort_values(["n_missed", "unit", "unit_id"], ascending=[False, False, True])
    return out.reset_index(drop=True)


def measure_kind(name: str) -> str:
    """How a KPI reads (points, pct, growth, count, yuan, days)."""
    for h in HEADLINES:
        if h.kpi == name:
            return h.kind
    return TARGET_KINDS.get(name, "pct")


# ---- formats ----------------------------------------------------------------------------------------


def fmt_value(value, kind: str, lang: str) -> str:
    """A headline figure with its unit."""
    if value is None or pd.isna(value):
        return "—"
    if kind == "points":
        return f"{fmt_number(value)} {t('kpi.unit_points', lang)}".strip()
    if kind == "pct":
        return fmt_pct(value)
    if kind == "growth":
        return ("+" if value > 0 else "") + fmt_pct(value)
    if kind == "yuan":
        return fmt_yuan(value, lang)
    if kind == "days":
        return t("overview.days", lang, value=fmt_number(value))
    return fmt_count(value, lang)


def fmt_change(now, before, kind: str, lang: str) -> str | None:
    """The change from `before` to `now` as a headline reads it: points, pp, counts, or % for money."""
    if now is None or before is None or pd.isna(now) or pd.isna(before):
        return None
    if kind == "yuan":
        if not before:
            return None
        change = round(now / before - 1, 3) + 0.0  # as shown (0.1 %), and -0.0 as no change
        return ("+" if change > 0 else "") + fmt_pct(change)
    delta_kind = {"pct": "pct", "points": "points", "days": "points"}.get(kind, "count")
    return fmt_delta(now - before, delta_kind, lang)


def fmt_target(rule: tuple[str, float], kind: str, lang: str) -> str:
    op, goal = rule
    return ("≥ " if op == "min" else "≤ ") + fmt_value(goal, kind, lang)


@dataclass(frozen=True)
class HeadlineCard:
    kpi: str
    label: str
    value: str
    delta: str | None  # vs the previous period
    delta_color: str
    versus_last_year: str  # "同比 +1.2" or "同比 —"
    target: str  # "目标 ≥ 85 分", or with the judged figure: "目标 滞销占比 ≤ 25%（22.1%）"
    goal: str  # the target alone: "≥ 85 分", "滞销占比 ≤ 25%"
    status: str | None  # met, missed, None (not computable)
    spark: list[float]  # the sparkline's values, oldest first (missing months left out)
    page: str


def headline_cards(current: dict, previous: dict, last_year: dict, spark: pd.DataFrame, lang: str):
    rules = targets()
    cards = []
    for h in HEADLINES:
        now = current.get(h.kpi)
        delta = fmt_change(now, previous.get(h.kpi), h.kind, lang)
        moved = bool(delta) and delta[0] in "+-"
        judged_kpi = h.target_kpi or h.kpi
        rule = rules.get(judged_kpi)
        target = goal = t("overview.card.no_target", lang)
        if rule is not None:
            goal = fmt_target(rule, measure_kind(judged_kpi), lang)
            if h.target_kpi:
                goal = f"{t(f'overview.headline.{judged_kpi}', lang)} {goal}"
            target = t("overview.card.target", lang, target=fmt_target(rule, measure_kind(judged_kpi), lang))
            if h.target_kpi:
                target = t(
                    "overview.card.target_on",
                    lang,
                    kpi=t(f"overview.headline.{judged_kpi}", lang),
                    target=fmt_target(rule, measure_kind(judged_kpi), lang),
                    value=fmt_value(current.get(judged_kpi), measure_kind(judged_kpi), lang),
                )
        yoy = fmt_change(now, last_year.get(h.kpi), h.kind, lang)
        series = spark[h.kpi].dropna().tolist() if h.kpi in spark else []
        cards.append(
            HeadlineCard(
                kpi=h.kpi,
                label=t(f"overview.headline.{h.kpi}", lang),
                value=fmt_value(now, h.kind, lang),
                delta=delta,
                delta_color=("inverse" if h.inverse else "normal") if moved else "off",
                versus_last_year=t("overview.card.last_year", lang, change=yoy or "—"),
                target=target,
                goal=goal,
                status=judge(current.get(judged_kpi), rule),
                spark=[float(v) for v in series],
                page=h.page,
            )
        )
    return cards


# ---- everything the page queries ----------------------------------------------------------------


@dataclass(frozen=True)
class OverviewData:
    scope: Scope
    current: dict
    previous: dict
    last_year: dict
    trend: pd.DataFrame
    units: pd.DataFrame  # every station and route of the scope, judged and ranked within its level


def _comparable(scope: Scope, first_day: date | None) -> bool:
    return first_day is None or scope.date_from >= first_day


def gather(run: Runner, scope: Scope, first_day: date | None = None) -> OverviewData:
    """Run every query of the page: the three periods' headline figures, the sparklines, the units."""
    previous, last_year = scope.previous(), scope.last_year()
    compared = [s for s in (previous, last_year) if _comparable(s, first_day)]
    months = trend_months(scope, first_day)
    # a month's period before and last year's are rows of the trend (what the cards show of them), not each
    # area's queries again; so is a narrowed month itself (the whole company's month: the areas' answers,
    # which the rollups keep); other periods ask the areas
    in_trend = one_month(scope)
    from_trend = in_trend and not rollups.whole_company(scope)
    # the month itself (also before the data's first month) and last year's, which the profit's growth reads
    extra = [scope.date_from, last_year.date_from] if from_trend else []
    asked = sorted({*months, *extra, *(s.date_from for s in compared if in_trend)})
    # the staff composite of every period asked for, in one inputs query; every query of the page at once
    spans = [_span(scope), *map(_span, compared), *((m, month_end(m)) for m in asked)]
    alone = [period for period in compared if not in_trend]  # periods the areas' functions answer
    asks = {
        "composite": lambda: staff.composite_means(run, scope, spans),
        "units": lambda: units(run, scope),
        **{period: partial(headline_figures, run, period) for period in alone},
    }
    if not from_trend:
        asks["current"] = lambda: headline_figures(run, scope)
    if asked:
        asks["rows"] = lambda: trend_rows(run, scope, asked)
        asks["slow"] = lambda: nine_grid.monthly_slow(run, scope, asked)
    got = parallel.named(asks, at_once=not rollups.kept_month(run, scope))
    composite, every = got["composite"], got["units"]
    every_month = trend_table(got["rows"], asked, composite, got["slow"]) if asked else trend(run, scope, [])
    if from_trend:
        current = current_figures(every_month, scope)
    else:
        current = {name: got["current"].get(name) for name in SHOWN_KPIS}
    current["staff.composite_mean"] = composite[_span(scope)]

    def figures_of(period: Scope) -> dict:
        if period not in compared:
            return dict.fromkeys(current)
        if in_trend:
            return month_figures(every_month, period.date_from)
        return got[period] | {"staff.composite_mean": composite[_span(period)]}

    ranked = pd.concat([judged(every[every.unit == level]) for level in ("station", "route")])
    return OverviewData(
        scope=scope,
        current=current,
        previous=figures_of(previous),
        last_year=figures_of(last_year),
        trend=every_month.loc[months],
        units=ranked.reset_index(drop=True),
    )


def figures_json(data: OverviewData) -> dict:
    """The headline figures of the three periods, JSON-ready (for exports and tests)."""
    return {
        period: {h.kpi: plain(values.get(h.kpi)) for h in HEADLINES}
        for period, values in (("current", data.current), ("previous", data.previous),
                               ("last_year", data.last_year))
    }  # fmt: skip
