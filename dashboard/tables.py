"""Tables as people read them: localized headers and labels, sorted, rounded (no Streamlit)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd

from dashboard.charts import CELL_COLOURS, days_text
from dashboard.i18n import fmt_number, label, t
from dashboard.scope import Scope, scope_to_query

PROFILE_PATH = "/customer-profile"
MAX_TABLE_ROWS = 2_000  # rows a table sends the browser (10,000 of a province: 1.6 MB); downloads have all


def with_names(run, frame: pd.DataFrame, columns=("shop_name", "address")) -> pd.DataFrame:
    """`frame` with the shop name, address or owner of each row's customer (queries/customer/names.sql),
    in the same row order; a no-op for columns it already has."""
    wanted = [c for c in columns if c not in frame.columns]
    if not wanted:
        return frame
    names = run("customer/names", {"ids": [int(i) for i in frame["customer_id"]]})
    merged = frame.merge(names[["customer_id", *wanted]], on="customer_id", how="left", validate="one_to_one")
    return merged.set_axis(frame.index)


def nine_grid_skus(skus: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The classified SKUs with the figures behind their cell and the suggested action."""
    order = {cell: i for i, cell in enumerate(CELL_COLOURS)}
    frame = skus.assign(_order=skus.cell.map(order)).sort_values(
        ["_order", "revenue_yuan"], ascending=[True, False]
    )
    basket = frame.basket_value_yuan / frame.transactions.where(frame.transactions > 0)
    return pd.DataFrame(
        {
            t("nine_grid.cell", lang): [label("nine_grid_cell", c, lang) for c in frame.cell],
            t("nine_grid.sku", lang): frame.sku_name,
            t("nine_grid.category", lang): [label("product_category", c, lang) for c in frame.category],
            t("nine_grid.units", lang): frame.units.round(0),
            t("nine_grid.revenue", lang): frame.revenue_yuan.round(2),
            t("nine_grid.gross_profit", lang): frame.gross_profit_yuan.round(2),
            t("nine_grid.transactions", lang): frame.transactions.round(0),
            t("nine_grid.basket", lang): basket.round(2),
            t("nine_grid.stock", lang): frame.avg_stock_units.round(1),
            t("nine_grid.days_of_stock", lang): [days_text(d, lang) for d in frame.days_of_stock],
            t("nine_grid.action", lang): [label("nine_grid_action", a, lang) for a in frame.action],
        }
    ).reset_index(drop=True)


def nine_grid_moves(moved: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The goods that changed cell between two periods."""
    return pd.DataFrame(
        {
            t("nine_grid.sku", lang): moved.sku_name,
            t("nine_grid.before", lang): [label("nine_grid_cell", c, lang) for c in moved.cell_before],
            t("nine_grid.after", lang): [label("nine_grid_cell", c, lang) for c in moved.cell_after],
        }
    )


# ---- customer profile ----------------------------------------------------------------------------


def profile_url(scope: Scope, customer_id, lang: str = "zh") -> str:
    """The profile of a customer, keeping the scope (period, filters, language) of the list it is in."""
    query = scope_to_query(replace(scope.without_customer(), customer=int(customer_id)), lang)
    return f"{PROFILE_PATH}?{urlencode(query, doseq=True)}"


def profile_links(scope: Scope, customer_ids, lang: str) -> list[str]:
    """One profile URL per row of a list (each as `profile_url` makes it), for an
    `st.column_config.LinkColumn`: the scope's part is encoded once, not per row (a list of 10,000 rows
    took half a second)."""
    query = scope_to_query(scope.without_customer(), lang)  # the customer goes between these and lang
    tail = urlencode({"lang": query.pop("lang")}, doseq=True) if "lang" in query else ""
    head = urlencode(query, doseq=True)
    tail = f"&{tail}" if tail else ""
    return [f"{PROFILE_PATH}?{head}&customer={int(c)}{tail}" for c in customer_ids]


def with_profile(frame: pd.DataFrame, scope: Scope, customer_ids, lang: str) -> tuple[pd.DataFrame, str]:
    """A list with a last column of profile URLs (shown as a link by the page); returns it and its name."""
    name = t("nav.customer", lang)
    return frame.assign(**{name: profile_links(scope, list(customer_ids), lang)}), name


def _dash(value, fmt=str) -> str:
    return "—" if value is None or pd.isna(value) else fmt(value)


def _stamp(value) -> str:
    return _dash(value, lambda v: pd.Timestamp(v).strftime("%Y-%m-%d %H:%M"))


def _day(value) -> str:
    return _dash(value, lambda v: pd.Timestamp(v).strftime("%Y-%m-%d"))


def customer_tickets(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The store's tickets: stage now and the times of each stage."""
    h = lambda key: t(f"tickets.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("ticket_id"): frame["ticket_id"],
            h("channel"): [label("channel", c, lang) for c in frame["channel"]],
            h("kind"): [label("ticket_kind", c, lang) for c in frame["kind"]],
            h("topic"): [label("topic", c, lang) for c in frame["topic"]],
            h("owner"): [_dash(v) for v in frame["owner_name"]],
            h("stage"): [label("ticket_stage", c, lang) for c in frame["stage"]],
            h("received_at"): [_stamp(v) for v in frame["received_at"]],
            t("customer.col.resolved_at", lang): [_stamp(v) for v in frame["resolved_at"]],
            h("callback_result"): [_dash(v, lambda c: label("callback_result", c, lang)) for v in
                                   frame["callback_result"]],
        }
    )  # fmt: skip


def customer_visits(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    h = lambda key: t(f"customer.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("started_at"): [_stamp(v) for v in frame["started_at"]],
            h("visit_kind"): [label("visit_kind", c, lang) for c in frame["kind"]],
            h("staff"): [_dash(v) for v in frame["staff_name"]],
            h("role"): [_dash(v, lambda c: label("role", c, lang)) for v in frame["staff_role"]],
            h("minutes"): [_dash(v, lambda m: f"{m:.0f}") for v in frame["minutes"]],
            h("tasks"): [
                f"{d}/{r}" for d, r in zip(frame["tasks_done"], frame["tasks_required"], strict=True)
            ],
            h("distance_m"): [_dash(v, lambda m: fmt_number(m, 0)) for v in frame["checkin_distance_m"]],
        }
    )


def customer_training(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    h = lambda key: t(f"customer.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("held_on"): [_day(v) for v in frame["held_on"]],
            h("format"): [label("training_format", c, lang) for c in frame["format"]],
            h("topic"): [label("training_topic", c, lang) for c in frame["topic"]],
            h("trainer"): [_dash(v) for v in frame["trainer_name"]],
            h("attended"): [t("customer.yes" if v else "customer.no", lang) for v in frame["is_attended"]],
        }
    )


def customer_residencies(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    h = lambda key: t(f"customer.col.{key}", lang)  # noqa: E731
    return pd.DataFrame(
        {
            h("start_on"): [_day(v) for v in frame["start_on"]],
            h("days"): frame["days"],
            h("focus"): [label("residency_focus", c, lang) for c in frame["focus"]],
            h("staff"): [_dash(v) for v in frame["staff_name"]],
        }
    )


# ---- staff (三劳指数) ---------------------------------------------------------------------------

STAFF_PCT = "pct"  # a column holding a share: shown as a percentage, sorted by its value


def _h(key: str, lang: str, **values) -> str:
    return t(f"staff.col.{key}", lang, **values)


def _term(key: str, lang: str) -> str:
    """An index term as a column header: capitalised (the weights' sentences use it lower case)."""
    text = t(f"staff.term.{key}", lang)
    return text[:1].upper() + text[1:]


def _change(value, lang: str) -> str:
    if value is None or pd.isna(value):
        return t("staff.change.new", lang)
    if value == 0:
        return t("staff.change.same", lang)
    return f"↑{int(value)}" if value > 0 else f"↓{int(-value)}"


def styled(frame: pd.DataFrame, pct_columns=()):
    """A table for st.dataframe: numbers stay numbers (so headers sort), shown with one decimal,
    shares as percentages, a dash where a figure cannot be computed."""
    formats = {c: "{:.1%}" for c in pct_columns}
    numeric = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]) and c not in formats]
    formats.update(dict.fromkeys(numeric, "{:,.1f}"))
    return frame.style.format(formats, na_rep="—")


def staff_ranking(current: pd.DataFrame, lang: str, what_if: pd.DataFrame | None = None):
    """The ranking: rank, change from the previous period, name, station and the five scores.

    Returns the table and the names of its share columns (none here)."""
    part = current.sort_values("rank")
    table = pd.DataFrame(
        {
            _h("rank", lang): part["rank"],
            _h("change", lang): [_change(v, lang) for v in part.rank_change],
            _h("name", lang): part.staff_name,
            _h("station", lang): part.station_name,
        }
    )
    for key in ("diligence", "effort", "merit", "composite", "assessment"):
        table[t(f"staff.score.{key}", lang)] = part[key].astype("float64").round(1)
    if what_if is not None:
        new_rank = part.staff_id.map(dict(zip(what_if.staff_id, what_if["rank"], strict=True)))
        table[_h("what_if_rank", lang)] = new_rank
        table[_h("what_if_change", lang)] = [_change(v, lang) for v in part["rank"] - new_rank]
        table[t("staff.score.composite", lang) + " *"] = part.staff_id.map(
            dict(zip(what_if.staff_id, what_if.composite, strict=True))
        ).round(1)
    return table.reset_index(drop=True), []


def staff_inputs(current: pd.DataFrame, lang: str):
    """Each input behind the indices, per person, in rank order; returns the table and its share columns."""
    part = current.sort_values("rank")
    pct = {
        _h("on_plan", lang): part.d_on_plan,
        _term("effort.checkin", lang): part.e_checkin,
        _term("effort.tasks", lang): part.e_tasks,
        _h("growth", lang): part.growth,
        _h("sla", lang): part.sla_rate,
    }
    table = pd.DataFrame(
        {
            _h("name", lang): part.staff_name,
            _h("assigned", lang): part.assigned,
            _h("planned", lang): part.planned,
            _h("done", lang): part.done,
            _term("diligence.done_rate", lang): part.d_done_rate,
            _h("visited", lang): part.visited,
            _h("visit_hours", lang): part.visit_hours.round(1),
            **{k: v.astype("float64") for k, v in pct.items()},
            _h("satisfaction", lang): part.satisfaction_mean.astype("float64").round(1),
            _h("uplift", lang): part.uplift.astype("float64").round(3),
            _h("trained", lang): part.trained,
        }
    )
    shares = [_term("diligence.done_rate", lang), *pct]
    return table.reset_index(drop=True), shares


def staff_visits(visits: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One person's plans and visits as text: the status, then what happened (a dash where nothing did)."""

    def text(series, fmt):
        return [("—" if v is None or pd.isna(v) else fmt(v)) for v in series]

    return pd.DataFrame(
        {
            _h("day", lang): text(visits.day, lambda v: pd.Timestamp(v).strftime("%Y-%m-%d")),
            _h("status", lang): [t(f"staff.status.{s}", lang) for s in visits.status],
            _h("shop", lang): visits.shop_name,
            _h("route", lang): visits.route_name,
            _h("kind", lang): text(visits.kind, lambda v: label("visit_kind", v, lang)),
            _h("started_at", lang): text(visits.started_at, lambda v: pd.Timestamp(v).strftime("%H:%M")),
            _h("duration", lang): text(visits.duration_min, lambda v: f"{v:.0f}"),
            _h("distance", lang): text(visits.checkin_distance_m, lambda v: f"{v:,.0f}"),
            _h("tasks", lang): [
                "—" if pd.isna(d) else f"{int(d)}/{int(r)}"
                for d, r in zip(visits.tasks_done, visits.tasks_required, strict=True)
            ],
        }
    )


def staff_payroll(current: pd.DataFrame, weights: dict, period: str, lang: str, with_id: bool = True):
    """The payroll clerk's layout: one row per person, one column per component, the assessment last."""
    part = current.sort_values("staff_id")
    table = pd.DataFrame(
        {
            **({_h("staff_id", lang): part.staff_id} if with_id else {}),
            _h("name", lang): part.staff_name,
            _h("station", lang): part.station_name,
            _h("period", lang): period,
            t("staff.score.diligence", lang): part.diligence,
            t("staff.score.effort", lang): part.effort,
            t("staff.score.merit", lang): part.merit,
            t("staff.score.composite", lang): part.composite,
            _h("points_satisfaction", lang, w=weights["satisfaction"]): part.satisfaction_mean,
            _h("points_uplift", lang, w=weights["uplift"]): 100 * part.uplift,
            _h("points_sla", lang, w=weights["resolution_sla"]): 100 * part.sla_rate,
            t("staff.score.assessment", lang): part.assessment,
        }
    )
    numbers = table.select_dtypes("number").columns
    table[numbers] = table[numbers].astype("float64").round(1)
    return table.reset_index(drop=True)


def staff_stations(means: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per station: its customer managers' mean assessment components and scores."""
    table = pd.DataFrame(
        {
            _h("station", lang): means.station_name,
            _h("n_staff", lang): means.n_staff,
            _term("assessment.satisfaction", lang): means.satisfaction_mean,
            _term("assessment.uplift", lang): 100 * means.uplift,
            t("staff.score.diligence", lang): means.diligence,
            _term("assessment.resolution_sla", lang): 100 * means.sla_rate,
            t("staff.score.composite", lang): means.composite,
            t("staff.score.assessment", lang): means.assessment,
        }
    )
    numbers = table.columns[2:]
    table[numbers] = table[numbers].astype("float64").round(1)
    return table.reset_index(drop=True)


def staff_joint(joint: pd.DataFrame, lang: str):
    """Joint visits per station; returns the table and its share column."""
    table = pd.DataFrame(
        {
            _h("station", lang): joint.station_name,
            _h("done", lang): joint.done,
            _h("joint", lang): joint.joint,
            _h("joint_with_inspector", lang): joint.joint_with_inspector,
            _h("joint_share", lang): joint.joint_share.astype("float64"),
        }
    )
    return table.reset_index(drop=True), [_h("joint_share", lang)]


def staff_routes(summary: pd.DataFrame, lang: str):
    """A person's routes side by side; returns the table and its share column."""
    table = pd.DataFrame(
        {
            _h("route", lang): summary.route_name,
            _h("planned", lang): summary.planned,
            t("staff.status.on_plan", lang): summary.kept,
            t("staff.status.missed", lang): summary.missed,
            t("staff.status.unplanned", lang): summary.unplanned,
            _h("missed_share", lang): summary.missed_share.astype("float64"),
            _h("median_distance", lang): summary.median_distance_m.astype("float64").round(0),
        }
    )
    return table, [_h("missed_share", lang)]


# ---- overview ---------------------------------------------------------------------------------------

_JUDGED_COLOURS = {"met": "background-color: #dcefe6", "missed": "background-color: #f8dcdc"}
# A ranking longer than this comes without its cells' colours: a pandas Styler takes ~10 µs a cell (a
# country's 12,500 stations: ~2 s a rerun).
COLOURED_ROWS = 2_000


def overview_units(frame: pd.DataFrame, level: str, lang: str):
    """The station (or route) ranking on the target measures: numbers stay numbers, shares as %,
    each measure's cell green when on target and red when below. Returns (styled, plain, pct columns);
    styled is None past COLOURED_ROWS rows."""
    from dashboard import overview

    part = frame[frame.unit == level].sort_values("rank")
    h = partial_t("overview.units", lang)
    table = pd.DataFrame({h("rank"): part["rank"], h("name"): part.unit_name})
    if level == "route":
        table[h("station")] = part.station_name
    table[h("customers")] = part["customers.in_scope"]
    pct, judged = [], {}
    verdicts = overview.verdicts(part)
    for name in overview.UNIT_MEASURES.values():
        column = t(f"overview.headline.{name}", lang)
        kind = overview.measure_kind(name)
        table[column] = part[name].astype("float64")
        if kind in ("pct", "growth"):
            pct.append(column)
        judged[column] = verdicts[name].tolist()
    table[h("met")] = part.n_met
    table[h("missed")] = part.n_missed
    table = table.reset_index(drop=True)
    verdicts = pd.DataFrame(judged)

    def colour(column: pd.Series) -> list[str]:
        if column.name not in verdicts:
            return [""] * len(column)
        return [_JUDGED_COLOURS.get(v, "") for v in verdicts[column.name]]

    if len(table) > COLOURED_ROWS:
        return None, table, pct
    return styled(table, pct).apply(colour), table, pct


def overview_attention(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Units below a target: kind, name, station, how many targets missed and why."""
    h = partial_t("overview.attention", lang)
    return pd.DataFrame(
        {
            h("unit"): [h(u) for u in frame.unit],
            t("overview.units.name", lang): frame.unit_name,
            t("overview.units.station", lang): frame.station_name,
            t("overview.units.missed", lang): frame.n_missed,
            h("reasons"): frame.reasons,
        }
    ).reset_index(drop=True)


def partial_t(prefix: str, lang: str):
    """t() under one locale prefix: h('rank') is t('<prefix>.rank')."""
    return lambda key, **values: t(f"{prefix}.{key}", lang, **values)
