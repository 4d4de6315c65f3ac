"""KPI cards: current and previous KPI dicts in, labelled and formatted cards out (no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

from dashboard.i18n import fmt_count, fmt_delta, fmt_pct, fmt_period, label, t


@dataclass(frozen=True)
class Card:
    kpi: str  # the dotted KPI name the value shows
    label: str
    value: str
    delta: str | None  # change from the previous period, formatted; None when not computable
    good_direction: str  # "normal" (up is good), "inverse" (up is bad)
    caption: str

    @property
    def moved(self) -> bool:
        """Whether the change shows a sign; one that rounds to zero is shown unsigned."""
        return bool(self.delta) and self.delta[0] in "+-"

    @property
    def delta_arrow(self) -> str:
        return "auto" if self.moved else "off"

    @property
    def delta_color(self) -> str:
        return self.good_direction if self.moved else "off"


def _delta(cur: dict, prev: dict, key: str):
    a, b = cur.get(key), prev.get(key)
    return None if a is None or b is None else a - b


def _ratio(num, den):
    return None if num is None or not den else num / den


def overview_cards(cur: dict, prev: dict, lang: str) -> list[Card]:
    """The overview's context row: how many customers, tickets, visits, sessions and residencies the
    scope holds (the headline cards judge the rates; these say how much lies behind them)."""

    def count_card(kpi: str, label_key: str, unit_key: str, caption: str, color: str = "normal") -> Card:
        unit = t(f"kpi.{unit_key}", lang)
        value = fmt_count(cur.get(kpi), lang)
        delta = _delta(cur, prev, kpi)
        return Card(
            kpi=kpi,
            label=t(f"kpi.{label_key}", lang),
            value=f"{value} {unit}".strip() if cur.get(kpi) is not None else "—",
            delta=fmt_delta(delta, "count", lang) if delta is not None else None,
            good_direction=color,
            caption=caption,
        )

    visit_rate = _ratio(cur.get("visits.done"), cur.get("visits.planned"))
    return [
        count_card(
            "customers.in_scope",
            "customers_in_scope",
            "unit_customers",
            t("kpi.customers_active", lang, value=fmt_count(cur.get("customers.active"), lang)),
        ),
        count_card(
            "tickets.received", "tickets_received", "unit_tickets", t("kpi.tickets_hint", lang), "inverse"
        ),
        count_card(
            "visits.done",
            "visits_done",
            "unit_visits",
            " · ".join(
                [
                    t("kpi.visits_planned", lang, value=fmt_count(cur.get("visits.planned"), lang)),
                    t("kpi.visits_rate", lang, value=fmt_pct(visit_rate)),
                ]
            ),
        ),
        count_card(
            "training.sessions",
            "training_sessions",
            "unit_sessions",
            t("kpi.training_rural", lang, value=fmt_count(cur.get("training.rural_sessions"), lang)),
        ),
        count_card(
            "residency.stores",
            "residency_stores",
            "unit_stores",
            t(
                "kpi.residency_staff",
                lang,
                staff=fmt_count(cur.get("residency.staff"), lang),
                days=fmt_count(cur.get("residency.days"), lang),
            ),
        ),
    ]


def scope_line(scope, cat, lang: str, customer_name: str | None = None) -> str:
    """One line saying which period and which customers the page shows."""
    parts = [customer_name] if customer_name else []
    limit = scope.limit
    # nothing chosen under a role's limit means all the role may see, not the whole company
    stations = scope.stations or (limit.stations if limit and limit.stations else ())
    routes = scope.routes or (limit.routes if limit and limit.routes else ())
    if stations:
        names = [cat.stations.get(s, s) for s in stations]
        parts.append("、".join(names) if len(names) <= 3 else t("overview.stations_n", lang, n=len(names)))
    if routes:
        names = [cat.route_names.get(r, r) for r in routes]
        parts.append("、".join(names) if len(names) <= 3 else t("overview.routes_n", lang, n=len(names)))
    if scope.btypes:
        parts.append("、".join(label("business_type", b, lang) for b in scope.btypes))
    if scope.markets:
        parts.append("、".join(label("market_type", m, lang) for m in scope.markets))
    sep = "、" if lang == "zh" else ", "
    where = " · ".join(p.replace("、", sep) for p in parts) or t("overview.whole_company", lang)
    return t(
        "overview.scope_line", lang, period=fmt_period(scope.date_from, scope.date_to, lang), where=where
    )
