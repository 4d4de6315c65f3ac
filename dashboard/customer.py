"""The customer profile (客户画像): everything about one store, gathered once, and the rules of
"what to do on the next visit". No Streamlit here; the page places what these functions return.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial

import pandas as pd

from dashboard import nine_grid, parallel
from dashboard.i18n import fmt_date, fmt_number, label, t
from dashboard.kpis import Runner
from dashboard.scope import Scope

DIMENSIONS = (
    "supply",
    "ordering",
    "delivery",
    "customer_manager",
    "settlement",
    "complaint_handling",
    "market_regulation",
)
MAX_MATCHES = 20


def search(run: Runner, text: str, scope: Scope) -> pd.DataFrame:
    """Customers the role may see matching shop name, owner or licence number; the text is bound."""
    text = (text or "").strip()
    if not text:
        return pd.DataFrame(columns=["customer_id", "shop_name", "owner_name", "license_no", "route_name"])
    return run("customer/search", {"text": text, **scope.limit_params()})


def offered_stores(stores: pd.DataFrame, text: str, chosen: int | None, limit: int) -> pd.DataFrame:
    """The stores the picker offers: all of them up to `limit`; past that, the first `limit` whose shop
    name, licence number or route contains the text (any case), and the chosen store."""
    if len(stores) <= limit:
        return stores
    text = (text or "").strip().lower()
    found = pd.Series(False, index=stores.index)
    if text:
        for column in ("shop_name", "license_no", "route_name"):
            found |= stores[column].str.lower().str.contains(text, regex=False)
    shown = found & (found.cumsum() <= limit)
    return stores[shown | (stores.customer_id == chosen)]


@dataclass
class Profile:
    """One customer as of the scope's period end, with the nine-grid of the period if it has POS data."""

    scope: Scope
    identity: dict
    monthly: pd.DataFrame
    surveys: pd.DataFrame
    tickets: pd.DataFrame
    visits: pd.DataFrame
    training: pd.DataFrame
    residencies: pd.DataFrame
    grid: nine_grid.Grid | None = None
    actions: list = field(default_factory=list)


def gather(run: Runner, scope: Scope) -> Profile | None:
    """Run every query of the profile of `scope.customer`; None without a (known) customer."""
    if scope.customer is None:
        return None
    one = {"customer_id": scope.customer}
    identity = run("customer/identity", {**one, **scope.limit_params()})  # none outside the role's limit
    if identity.empty:
        return None
    as_of = {**one, "date_to": scope.date_to}
    row = identity.to_dict("records")[0]
    only = replace(scope, stations=(), routes=(), btypes=(), markets=())
    parts = ("monthly", "surveys", "tickets", "visits", "training", "residencies")
    grid, *frames = parallel.together(
        lambda: nine_grid.grid(run, only, scope.date_from, scope.date_to) if row["has_pos"] else None,
        *(partial(run, f"customer/{part}", as_of) for part in parts),
    )
    profile = Profile(scope=scope, identity=row, grid=grid, **dict(zip(parts, frames, strict=True)))
    profile.actions = next_visit(profile)
    return profile


# ---- what to do on the next visit -------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One thing to do, the rule that asked for it and the data behind it (codes, not text)."""

    rule: str  # open_ticket, weak_dimension, drop_sku, missed_training
    subject: str  # ticket id, dimension, SKU name, training topic
    detail: dict


def next_visit(profile: Profile, max_drops: int = 5) -> list[Action]:
    """Plain rules, each traceable to its rows:
    - every ticket not resolved as of the period end (oldest first);
    - the weakest dimension of the latest survey in the 12 months up to the period end;
    - slow sellers the nine-grid suggests dropping (most days of stock first, at most `max_drops`);
    - topics of classroom sessions at the customer's station in the last 12 months it attended none of.
    """
    actions: list[Action] = []
    open_tickets = profile.tickets[profile.tickets["is_open"]].sort_values(["received_at", "ticket_id"])
    for row in open_tickets.itertuples():
        actions.append(
            Action(
                "open_ticket",
                str(row.ticket_id),
                {"topic": row.topic, "kind": row.kind, "stage": row.stage, "days": row.age_hours / 24},
            )
        )
    surveys = profile.surveys
    if len(surveys):
        latest = surveys.iloc[-1]
        cutoff = pd.Timestamp(profile.scope.date_to) - pd.DateOffset(months=12)
        scores = {d: latest[d] for d in DIMENSIONS if pd.notna(latest[d])}
        if pd.Timestamp(latest["surveyed_on"]) > cutoff and scores:
            weakest = min(scores, key=lambda d: (scores[d], DIMENSIONS.index(d)))
            detail = {"score": float(scores[weakest]), "surveyed_on": latest["surveyed_on"]}
            actions.append(Action("weak_dimension", weakest, detail))
    if profile.grid is not None and not profile.grid.empty:
        drops = profile.grid.skus[profile.grid.skus["action"] == "drop"]
        drops = drops.sort_values(["days_of_stock", "sku_id"], ascending=[False, True]).head(max_drops)
        for row in drops.itertuples():
            actions.append(Action("drop_sku", row.sku_name, {"days": row.days_of_stock}))
    classroom = profile.training[profile.training["format"] == "classroom"]
    attended = set(classroom.loc[classroom["is_attended"], "topic"])
    for topic in sorted(set(classroom["topic"]) - attended):
        sessions = classroom[classroom["topic"] == topic]
        actions.append(
            Action("missed_training", topic, {"n": len(sessions), "last": sessions["held_on"].max()})
        )
    return actions


def action_lines(actions: list[Action], lang: str) -> list[str]:
    """The actions as sentences in the page's language."""
    lines = []
    for a in actions:
        d = a.detail
        if a.rule == "open_ticket":
            text = t(
                "customer.todo.open_ticket",
                lang,
                id=a.subject,
                topic=label("topic", d["topic"], lang),
                kind=label("ticket_kind", d["kind"], lang),
                stage=label("ticket_stage", d["stage"], lang),
                days=fmt_number(d["days"]),
            )
        elif a.rule == "weak_dimension":
            text = t(
                "customer.todo.weak_dimension",
                lang,
                dimension=t(f"satisfaction.dimension.{a.subject}", lang),
                score=fmt_number(d["score"]),
                day=fmt_date(pd.Timestamp(d["surveyed_on"]).date(), lang),
            )
        elif a.rule == "drop_sku":
            days = (
                t("customer.todo.no_sales", lang) if d["days"] == float("inf") else fmt_number(d["days"], 0)
            )
            text = t("customer.todo.drop_sku", lang, sku=a.subject, days=days)
        else:
            text = t(
                "customer.todo.missed_training",
                lang,
                topic=label("training_topic", a.subject, lang),
                n=d["n"],
                day=fmt_date(pd.Timestamp(d["last"]).date(), lang),
            )
        lines.append(text)
    return lines


def identity_rows(identity: dict, lang: str) -> list[tuple[str, str]]:
    """The identity card as (label, value) pairs: names and labels, never codes."""

    def f(key: str) -> str:
        return t(f"customer.field.{key}", lang)

    def person(name_key: str, phone_key: str) -> str:
        name, phone = identity.get(name_key), identity.get(phone_key)
        if name is None or pd.isna(name):
            return "—"
        return f"{name} · {phone}" if phone and not pd.isna(phone) else str(name)

    opened = identity["opened_on"]
    return [
        (f("owner"), f"{identity['owner_name']} · {identity['phone'] or '—'}"),
        (f("license_no"), str(identity["license_no"])),
        (f("address"), str(identity["address"] or "—")),
        (f("business_type"), label("business_type", identity["business_type"], lang)),
        (f("market_type"), label("market_type", identity["market_type"], lang)),
        (f("scale"), label("scale", identity["scale"], lang)),
        (f("grade"), t("customer.grade_value", lang, grade=identity["grade"])),
        (f("credit"), str(identity["credit"])),
        (f("status"), label("status", identity["status"], lang)),
        (f("opened_on"), fmt_date(pd.Timestamp(opened).date(), lang)),
        (f("station"), str(identity["station_name"])),
        (f("route"), str(identity["route_name"])),
        (f("customer_manager"), person("customer_manager_name", "customer_manager_phone")),
        (f("inspector"), person("inspector_name", "inspector_phone")),
        (f("pos"), t("customer.yes" if identity["has_pos"] else "customer.no", lang)),
    ]


def match_label(row, lang: str) -> str:
    """A search result as the picker shows it."""
    return t("customer.match", lang, shop=row.shop_name, owner=row.owner_name, license=row.license_no,
             route=row.route_name)  # fmt: skip
