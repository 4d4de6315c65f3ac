"""The tickets area (咨询投诉闭环): its KPIs, the data its page shows, its cards, tables and figures.

One function gathers everything the page queries, so the page, the CLI and the benchmark see the same
numbers. No Streamlit here; the page places what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from dashboard import charts, rollups
from dashboard.cards import Card
from dashboard.i18n import fmt_count, fmt_delta, fmt_number, fmt_pct, label, t
from dashboard.metrics import km
from dashboard.scope import Scope
from dashboard.settings import settings

CHANNELS = ("hotline_12313", "ordering_web", "qr_miniprogram", "wechat", "ai_service", "staff_entry")
KINDS = ("consultation", "complaint", "report", "suggestion")
TOPICS = (
    "supply",
    "price",
    "service_attitude",
    "delivery",
    "ordering_system",
    "settlement",
    "grade",
    "licensing",
    "other",
)
AGE_BUCKETS = ("lt_24h", "1_3d", "3_7d", "gt_7d")
LIST_PAGE_ROWS = 1_000  # tickets a page of the list shows: a province's month is 40,000
STAGES = ("received", "responded", "routed", "resolved", "callback")
RATES = (
    "response_sla_rate",
    "resolution_sla_rate",
    "callback_rate",
    "callback_satisfied_rate",
    "closed_loop_rate",
)


def targets() -> dict:
    """SLA targets from the settings file: response hours, resolution hours per kind, the rate to reach."""
    conf = settings().get("tickets", {})
    return {
        "response_hours": float(conf.get("response_target_hours", 24)),
        "resolution_hours": {k: float(v) for k, v in conf.get("resolution_target_hours", {}).items()},
        "sla_rate": float(conf.get("sla_rate_target", 0.9)),
    }


def target_params(scope: Scope) -> dict:
    """Scope parameters plus the SLA targets, for the queries that judge tickets against them."""
    goal = targets()
    kinds = [k for k in KINDS if k in goal["resolution_hours"]]
    return {
        **scope.params(),
        "response_target_hours": goal["response_hours"],
        "resolution_kinds": kinds,
        "resolution_hours": [goal["resolution_hours"][k] for k in kinds],
    }


def backlog_params(scope: Scope) -> dict:
    """The backlog's parameters: tickets open at the period end, whenever received."""
    return {k: v for k, v in target_params(scope).items() if k != "date_from"}


def volume_params(scope: Scope) -> dict:
    return {**target_params(scope), "grain": grain(scope)}


def _plain(value):
    from dashboard.kpis import plain

    return plain(value)


def _by(frame: pd.DataFrame, dimension: str, codes) -> dict:
    part = frame[frame["dimension"] == dimension]
    counts = dict(zip(part["code"], part["n_tickets"], strict=True))
    return {code: int(counts.get(code, 0)) for code in codes}


def resolution_curves(times: pd.DataFrame) -> tuple[dict, pd.DataFrame]:
    """Kaplan-Meier curves of time to resolution, overall ('all') and per kind, and their read-offs."""
    curves, rows = {}, []
    for kind in ("all", *KINDS):
        part = times if kind == "all" else times[times["kind"] == kind]
        if part.empty:
            continue
        curve = km.kaplan_meier(part["hours"], part["is_resolved"])
        resolved = part.loc[part["is_resolved"], "hours"].clip(lower=0)
        curves[kind] = curve
        rows.append(
            {
                "kind": kind,
                "n": len(part),
                "n_open": int((~part["is_resolved"]).sum()),
                "km_median": km.median(curve),
                "km_p90": km.quantile(curve, 0.9),
                "naive_median": float(resolved.median()) if len(resolved) else None,
            }
        )
    return curves, pd.DataFrame(rows, columns=["kind", "n", "n_open", "km_median", "km_p90", "naive_median"])


def kpis_from(row: dict, received_by: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """The `tickets.*` KPIs from the one-row kpis query, the breakdowns and the Kaplan-Meier read-offs."""
    overall = summary[summary["kind"] == "all"]
    return {
        "tickets.received": _plain(row["received"]),
        "tickets.received_by_channel": _by(received_by, "channel", CHANNELS),
        "tickets.received_by_kind": _by(received_by, "kind", KINDS),
        "tickets.received_by_topic": _by(received_by, "topic", TOPICS),
        "tickets.response_sla_rate": _plain(row["response_sla_rate"]),
        "tickets.response_hours_median": _plain(row["response_hours_median"]),
        "tickets.resolution_sla_rate": _plain(row["resolution_sla_rate"]),
        "tickets.resolution_hours_median": None if overall.empty else _plain(overall["km_median"].iloc[0]),
        "tickets.callback_rate": _plain(row["callback_rate"]),
        "tickets.callback_satisfied_rate": _plain(row["callback_satisfied_rate"]),
        "tickets.closed_loop_rate": _plain(row["closed_loop_rate"]),
        "tickets.backlog": _plain(row["backlog"]),
        "tickets.backlog_by_age": {b: int(row[f"backlog_{b}"]) for b in AGE_BUCKETS},
    }


RATE_KPIS = ("tickets.received", *(f"tickets.{rate}" for rate in RATES), "tickets.backlog")


def ticket_rates(run, scope: Scope) -> dict:
    """tickets.received, the five rates and the backlog from the one kpis query (no breakdowns or
    Kaplan-Meier): what the overview judges, three periods at a time."""
    row = rollups.answer(run, scope, "tickets/kpis", target_params(scope)).to_dict("records")[0]
    return {f"tickets.{k}": _plain(row[k]) for k in ("received", *RATES, "backlog")}


def ranking(run, scope: Scope) -> pd.DataFrame:
    """Stations, routes and first owners on the ticket rates."""
    return rollups.answer(run, scope, "tickets/ranking", target_params(scope))


def ticket_kpis(run, scope: Scope) -> dict:
    """Every `tickets.*` KPI of DESIGN.md section 5 for one scope (`python -m dashboard kpis`)."""
    row = rollups.answer(run, scope, "tickets/kpis", target_params(scope)).to_dict("records")[0]
    _, summary = resolution_curves(rollups.answer(run, scope, "tickets/resolution_times", scope.params()))
    return kpis_from(row, rollups.answer(run, scope, "tickets/received_by", scope.params()), summary)


def grain(scope: Scope) -> str:
    """Volume buckets that keep a chart readable: days up to two months, weeks up to a year, else months."""
    return "day" if scope.days <= 62 else "week" if scope.days <= 371 else "month"


@dataclass
class TicketData:
    """Everything the tickets page shows for one scope, gathered by one function."""

    scope: Scope
    kpis: dict
    previous_kpis: dict
    extra: dict  # figures of the kpis query that are not KPIs (reopened, resolved)
    received_by: pd.DataFrame
    previous_received_by: pd.DataFrame
    grain: str
    volume: pd.DataFrame
    funnel: pd.DataFrame
    curves: dict
    closure: pd.DataFrame
    ranking: pd.DataFrame
    backlog: pd.DataFrame
    tickets: pd.DataFrame  # the list's first page
    n_tickets: int  # tickets in the list, all pages
    targets: dict = field(default_factory=targets)


def gather(run, scope: Scope, first_day: date | None = None) -> TicketData:
    """Run every query of the page, at the same time (the page with the cached runner, the bench without);
    for the whole company and a calendar month, most answers are the ones the rollups keep."""
    params, judged = scope.params(), target_params(scope)
    previous = scope.previous()
    compared = first_day is None or previous.date_from >= first_day
    asked = {
        "kpis": (scope, "tickets/kpis", judged),
        "received_by": (scope, "tickets/received_by", params),
        "times": (scope, "tickets/resolution_times", params),
        "list": (scope, "tickets/list", list_params(scope)),
        "volume": (scope, "tickets/volume", volume_params(scope)),
        "funnel": (scope, "tickets/funnel", params),
        "ranking": (scope, "tickets/ranking", judged),
        "backlog": (scope, "tickets/backlog", backlog_params(scope)),
    }
    if compared:  # ticket_kpis of the previous period, its breakdowns asked once for the cards and the chart
        asked |= {
            "previous_by": (previous, "tickets/received_by", previous.params()),
            "previous_times": (previous, "tickets/resolution_times", previous.params()),
            "previous_kpis": (previous, "tickets/kpis", target_params(previous)),
        }
    got = rollups.answers(run, asked)
    row = got["kpis"].to_dict("records")[0]
    curves, closure = resolution_curves(got["times"])
    if compared:
        _, previous_summary = resolution_curves(got["previous_times"])
        previous_by = got["previous_by"]
        previous_kpis = kpis_from(got["previous_kpis"].to_dict("records")[0], previous_by, previous_summary)
    else:
        previous_kpis, previous_by = {}, got["received_by"].iloc[0:0]
    first_page, n_tickets = got["list"], n_found(got["list"])
    return TicketData(
        scope=scope,
        kpis=kpis_from(row, got["received_by"], closure),
        previous_kpis=previous_kpis,
        extra={"reopened": int(row["reopened"]), "resolved": int(row["resolved"])},
        received_by=got["received_by"],
        previous_received_by=previous_by,
        grain=grain(scope),
        volume=got["volume"],
        funnel=got["funnel"],
        curves=curves,
        closure=closure,
        ranking=got["ranking"],
        backlog=got["backlog"],
        tickets=first_page,
        n_tickets=n_tickets,
    )


def list_params(
    scope: Scope,
    text: str = "",
    *,
    owners: bool = True,
    shops: bool = True,
    unit: str | None = None,
    unit_ids=(),
    first_rows: int | None = LIST_PAGE_ROWS,
    skip_rows: int = 0,
) -> dict:
    """The list query's parameters: tickets of the clicked units (`unit` station/route/owner, '' in
    `unit_ids` = no owner) whose searchable fields contain `text`; the shop and the owner are searched only
    where the role may read them (`shops`, `owners`), else a masked name could be found by guessing it."""
    text = (text or "").strip()
    return {
        **target_params(scope),
        "search": text,
        "search_owners": owners or not text,  # no text: one answer, cached once, for every role
        "search_shops": shops or not text,
        "unit": unit,
        "unit_ids": [str(u) for u in unit_ids] if unit else [],
        "first_rows": first_rows,
        "skip_rows": skip_rows,
    }


def ticket_list(run, scope: Scope, text: str = "", **options) -> tuple[pd.DataFrame, int]:
    """The tickets the list shows (options: those of list_params) and how many were found in all."""
    rows = rollups.answer(run, scope, "tickets/list", list_params(scope, text, **options))
    return rows, n_found(rows)


def n_found(rows: pd.DataFrame) -> int:
    """How many tickets a page of the list was taken from."""
    return int(rows["n_found"].iloc[0]) if len(rows) else 0


def list_page(run, scope: Scope, text: str, page: int, **options) -> tuple[pd.DataFrame, int, int]:
    """Page `page` (from 1) of the found tickets, how many were found and the page shown: a page past
    the end (the filters narrowed the scope while a later page was open) shows the last one."""
    size = LIST_PAGE_ROWS
    rows, found = ticket_list(run, scope, text, first_rows=size, skip_rows=(page - 1) * size, **options)
    if rows.empty and page > 1:
        _, found = ticket_list(run, scope, text, first_rows=1, **options)
        page = page_count(found)
        rows, found = ticket_list(run, scope, text, first_rows=size, skip_rows=(page - 1) * size, **options)
    return rows, found, page


def page_count(found: int) -> int:
    """Pages of LIST_PAGE_ROWS tickets that `found` tickets fill (one, empty, for none)."""
    return max(1, -(-found // LIST_PAGE_ROWS))


# ---- cards ------------------------------------------------------------------------------------------


def fmt_hours(value, lang: str) -> str:
    return "—" if value is None or pd.isna(value) else t("tickets.hours", lang, value=fmt_number(value))


def cards(data: TicketData, lang: str) -> list[Card]:
    """Six headline cards: volume, the two SLA rates, closure time, the loop, the backlog."""
    cur, prev = data.kpis, data.previous_kpis

    def delta(key: str, kind: str):
        a, b = cur.get(key), prev.get(key)
        return None if a is None or b is None else fmt_delta(a - b, kind, lang)

    overall = data.closure[data.closure["kind"] == "all"]
    naive = None if overall.empty else overall["naive_median"].iloc[0]
    overdue = int(data.backlog["is_overdue"].sum()) if len(data.backlog) else 0
    received = cur["tickets.received"]
    return [
        Card(
            "tickets.received",
            t("tickets.card.received", lang),
            fmt_count(received, lang),
            delta("tickets.received", "count"),
            "inverse",
            t("tickets.card.reopened", lang, value=fmt_count(data.extra["reopened"], lang)),
        ),
        Card(
            "tickets.response_sla_rate",
            t("tickets.card.response_sla", lang),
            fmt_pct(cur["tickets.response_sla_rate"]),
            delta("tickets.response_sla_rate", "pct"),
            "normal",
            t(
                "tickets.card.response_median",
                lang,
                value=fmt_hours(cur["tickets.response_hours_median"], lang),
            ),
        ),
        Card(
            "tickets.resolution_sla_rate",
            t("tickets.card.resolution_sla", lang),
            fmt_pct(cur["tickets.resolution_sla_rate"]),
            delta("tickets.resolution_sla_rate", "pct"),
            "normal",
            t("tickets.card.target_rate", lang, value=fmt_pct(data.targets["sla_rate"], 0)),
        ),
        Card(
            "tickets.resolution_hours_median",
            t("tickets.card.resolution_median", lang),
            fmt_hours(cur["tickets.resolution_hours_median"], lang),
            delta("tickets.resolution_hours_median", "points"),
            "inverse",
            t("tickets.card.naive_median", lang, value=fmt_hours(naive, lang)),
        ),
        Card(
            "tickets.closed_loop_rate",
            t("tickets.card.closed_loop", lang),
            fmt_pct(cur["tickets.closed_loop_rate"]),
            delta("tickets.closed_loop_rate", "pct"),
            "normal",
            t(
                "tickets.card.callback",
                lang,
                rate=fmt_pct(cur["tickets.callback_rate"]),
                satisfied=fmt_pct(cur["tickets.callback_satisfied_rate"]),
            ),
        ),
        Card(
            "tickets.backlog",
            t("tickets.card.backlog", lang),
            fmt_count(cur["tickets.backlog"], lang),
            delta("tickets.backlog", "count"),
            "inverse",
            t("tickets.card.overdue", lang, value=fmt_count(overdue, lang)),
        ),
    ]


# ---- tables -----------------------------------------------------------------------------------------


def _each(series: pd.Series, text, missing: str = "—") -> pd.Series:
    """text(value) for every value, worked out once per distinct value (a province's month is 40,000
    tickets); `missing` where there is none."""
    known = {v: text(v) for v in series.dropna().unique()}
    return series.map(known).astype(object).where(series.notna(), missing)


def _when(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.strftime("%Y-%m-%d %H:%M").astype(object).where(series.notna(), "—")


def _names(series: pd.Series, lang: str) -> pd.Series:
    return series.astype(object).where(series.notna(), t("tickets.unassigned", lang))


def _codes(series: pd.Series, kind: str, lang: str) -> pd.Series:
    return _each(series, lambda v: label(kind, v, lang))


def work_list(data: TicketData, lang: str, overdue_only: bool = True) -> pd.DataFrame:
    """The station head's list: open tickets at the period end, oldest first, headers in the language."""
    rows = data.backlog[data.backlog["is_overdue"]] if overdue_only else data.backlog
    h = lambda key: t(f"tickets.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("ticket_id"): rows["ticket_id"],
            h("shop"): rows["shop_name"],
            h("station"): rows["station_name"],
            h("route"): rows["route_name"],
            h("owner"): _names(rows["owner_name"], lang),
            h("kind"): _codes(rows["kind"], "ticket_kind", lang),
            h("topic"): _codes(rows["topic"], "topic", lang),
            h("stage"): _codes(rows["stage"], "ticket_stage", lang),
            h("received_at"): _when(rows["received_at"]),
            h("age_days"): (rows["age_hours"] / 24).round(1),
            h("age_bucket"): _codes(rows["age_bucket"], "ticket_age", lang),
        }
    )


def ticket_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ticket table as shown and downloaded: labels, not codes; a dash where a stage has not happened."""
    h = lambda key: t(f"tickets.col.{key}", lang)  # noqa: E731
    sla = lambda s: _each(s, lambda v: t(f"tickets.sla.{v}", lang))  # noqa: E731
    return pd.DataFrame(
        {
            h("ticket_id"): frame["ticket_id"],
            h("shop"): frame["shop_name"],
            h("station"): frame["station_name"],
            h("route"): frame["route_name"],
            h("owner"): _names(frame["owner_name"], lang),
            h("channel"): _codes(frame["channel"], "channel", lang),
            h("kind"): _codes(frame["kind"], "ticket_kind", lang),
            h("topic"): _codes(frame["topic"], "topic", lang),
            h("stage"): _codes(frame["stage"], "ticket_stage", lang),
            h("received_at"): _when(frame["received_at"]),
            h("response_sla"): sla(frame["response_sla"]),
            h("resolution_sla"): sla(frame["resolution_sla"]),
            h("callback_result"): _codes(frame["callback_result"], "callback_result", lang),
            h("reopened"): frame["reopened_count"],
        }
    )


# ---- figures ----------------------------------------------------------------------------------------


def figures(data: TicketData, lang: str, volume_by: str = "channel", rank_by: str = "route") -> dict:
    """Every chart of the page for one language and the user's two choices."""
    return {
        "volume": charts.ticket_volume(data.volume, volume_by, data.grain, lang),
        "mix": charts.ticket_mix(data.received_by, lang),
        "topics": charts.ticket_topics(data.received_by, data.previous_received_by, lang),
        "funnel": charts.ticket_funnel(data.funnel, lang),
        "closure": charts.ticket_closure(data.curves, data.closure, lang),
        "sla": charts.ticket_sla_trend(data.volume, data.grain, data.targets["sla_rate"], lang),
        "backlog": charts.ticket_backlog(data.kpis["tickets.backlog_by_age"], lang),
        "ranking": charts.ticket_ranking(data.ranking, rank_by, data.targets["sla_rate"], lang),
    }


def closure_table(data: TicketData, lang: str) -> pd.DataFrame:
    """Median and p90 read off the Kaplan-Meier curve beside the naive median, per kind."""
    h = lambda key: t(f"tickets.col.{key}", lang)  # noqa: E731
    c = data.closure
    kind = c["kind"].map(
        lambda k: t("tickets.all_kinds", lang) if k == "all" else label("ticket_kind", k, lang)
    )
    return pd.DataFrame(
        {
            h("kind"): kind,
            h("n"): c["n"],
            h("n_open"): c["n_open"],
            h("km_median"): c["km_median"].map(lambda v: fmt_hours(v, lang)),
            h("km_p90"): c["km_p90"].map(lambda v: fmt_hours(v, lang)),
            h("naive_median"): c["naive_median"].map(lambda v: fmt_hours(v, lang)),
        }
    )


def ranking_table(data: TicketData, unit: str, measure: str, lang: str) -> pd.DataFrame:
    """One unit kind's rows, best first by the measure (ties by id), rates as percentages."""
    part = data.ranking[data.ranking["unit"] == unit].copy()
    part["_missing"] = part[measure].isna()
    part = part.sort_values(["_missing", measure, "unit_id"], ascending=[True, False, True])
    h = lambda key: t(f"tickets.col.{key}", lang)  # noqa: E731
    table = pd.DataFrame(
        {
            h("unit"): [charts.ranking_name(r, lang) for r in part.itertuples()],
            h("received"): part["received"],
            h("response_hours_median"): part["response_hours_median"].map(fmt_number),
        }
    )
    for rate in RATES:
        table[t(f"tickets.{rate.removesuffix('_rate')}", lang)] = part[rate].map(fmt_pct).to_numpy()
    return table
