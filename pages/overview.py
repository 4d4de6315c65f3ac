"""Overview (总览): every area's headline KPI against its target, stations and routes ranked on the same
measures, who needs attention; a click on a station or route drills the whole dashboard down to it."""

from functools import partial

import streamlit as st

from dashboard import overview, satisfaction, tables, web
from dashboard.cards import overview_cards
from dashboard.i18n import fmt_count, fmt_period, t

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
data = web.overview_data(scope)
level = overview.unit_level(scope)

web.header(t("overview.heading", lang))

# ---- the drill path: company > station > route, each step a way back
crumbs = [t("overview.whole_company_crumb", lang)]
if scope.stations:
    crumbs.append("、".join(catalog.stations[s] for s in scope.stations))
if scope.routes:
    crumbs.append("、".join(catalog.route_names[r] for r in scope.routes))
if len(crumbs) > 1:
    with st.container(horizontal=True, key="ov_crumbs", vertical_alignment="center"):
        st.markdown(" › ".join(f"**{c}**" if i == len(crumbs) - 1 else c for i, c in enumerate(crumbs)))
        st.button(t("overview.back_to", lang, name=crumbs[0]), on_click=web.widen, args=("company",),
                  icon=":material/arrow_upward:", key="ov_up_company")  # fmt: skip
        if len(crumbs) > 2:
            st.button(t("overview.back_to", lang, name=crumbs[1]), on_click=web.widen, args=("station",),
                      icon=":material/arrow_upward:", key="ov_up_station")  # fmt: skip

web.show_cards(overview_cards(data.current, data.previous, lang), per_row=5, border=False)
cards = overview.headline_cards(data.current, data.previous, data.last_year, data.trend, lang)
web.show_headlines(cards, lang)
web.meeting_pack(scope, catalog, lang)
previous = scope.previous()
st.caption(
    " · ".join(
        [
            t("overview.vs_previous", lang, period=fmt_period(previous.date_from, previous.date_to, lang)),
            t("overview.trend_caption", lang, n=overview.TREND_MONTHS),
        ]
    )
)


def _picked(key: str, frame, event_key: str) -> None:
    """A row clicked in a unit table: drill the scope down to that station or route."""
    rows = st.session_state[event_key].selection.rows
    if rows:
        row = frame.iloc[rows[0]]
        web.drill(row["unit"], row["unit_id"], row["station_id"])


with st.container():
    st.subheader(t(f"overview.units.title_{level}", lang))
    styled, plain, pct = tables.overview_units(data.units, level, lang)
    ranked = data.units[data.units.unit == level].sort_values("rank").reset_index(drop=True)
    key = f"ov_units_{level}_{'-'.join(scope.stations)}_{'-'.join(scope.routes)}"
    shown, formats = (styled, {}) if styled is not None else web.numbers(plain, pct)
    if styled is None:
        st.caption(t("overview.units.uncoloured", lang, n=fmt_count(tables.COLOURED_ROWS, lang)))
    web.table(shown, key, t(f"overview.units.title_{level}", lang), pct, download=plain,
              column_config=formats, on_select=partial(_picked, "units", ranked, key),
              selection_mode="single-row")  # fmt: skip
    st.caption(t("overview.drill_caption", lang))
with st.container():
    st.subheader(t("overview.attention.title", lang))
    needing = web.overview_attention(scope, lang)
    if needing.empty:
        st.success(t("overview.attention.empty", lang))
    else:
        key = f"ov_attention_{'-'.join(scope.stations)}_{'-'.join(scope.routes)}"
        web.table(tables.overview_attention(needing, lang), key, t("overview.attention.title", lang),
                  on_select=partial(_picked, "attention", needing, key), selection_mode="single-row",
                  height=min(420, 38 + 35 * len(needing)))  # fmt: skip

if len(scope.routes) == 1:  # the last step of the drill: the route's customers, least satisfied first
    route_name = catalog.route_names[scope.routes[0]]
    st.subheader(t("overview.customers.title", lang, name=route_name))
    limits = satisfaction.thresholds()
    customers = satisfaction.customers(web.run, scope, limits).sort_values("overall", na_position="first")
    customers = customers.reset_index(drop=True)
    shown, profile = tables.with_profile(
        satisfaction.follow_up_table(customers, limits, lang), scope, customers.customer_id, lang
    )
    link = {profile: st.column_config.LinkColumn(display_text=t("tables.open_profile", lang))}
    web.table(shown, "ov_customers", t("overview.customers.title", lang, name=route_name), column_config=link)
    st.caption(t("overview.customers.caption", lang))

st.caption(t("overview.caption", lang))
