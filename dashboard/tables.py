"""Tables as people read them: localized headers and labels, sorted, rounded (no Streamlit)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd

from dashboard.charts import CELL_COLOURS, days_text
from dashboard.i18n import fmt_number, label, t
from dashboard.scope import Scope, scope_to_query

PROFILE_PATH = "/customer-profile"


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
    """One profile URL per row of a list, for an `st.column_config.LinkColumn`."""
    return [profile_url(scope, c, lang) for c in customer_ids]


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
