"""Overview (first cut): headline KPI cards for the scope, each with its change from the previous period."""

import streamlit as st

from dashboard import kpis, web
from dashboard.cards import overview_cards, scope_line
from dashboard.i18n import fmt_period, t

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
previous = scope.previous()

st.title(t("overview.heading", lang))
st.caption(scope_line(scope, catalog, lang, web.customer_name(scope.customer)))

current_kpis, previous_kpis = kpis.overview_figures(web.run, scope, catalog.first_day)
delta_help = t("overview.vs_previous", lang, period=fmt_period(previous.date_from, previous.date_to, lang))

columns = st.columns(3)
for i, card in enumerate(overview_cards(current_kpis, previous_kpis, lang)):
    with columns[i % 3], st.container(border=True, key=f"kpi-{card.kpi.replace('.', '-')}"):
        st.metric(
            card.label,
            card.value,
            card.delta,
            delta_color=card.delta_color,
            delta_arrow=card.delta_arrow,
            delta_description=t("overview.vs_previous_short", lang) if card.delta else None,
            help=delta_help,
        )
        st.caption(card.caption)

st.caption(t("overview.caption", lang))
