"""Overview (first cut): headline KPI cards for the scope, each with its change from the previous period."""

import streamlit as st

from dashboard import kpis, web
from dashboard.cards import overview_cards
from dashboard.i18n import fmt_period, t

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
previous = scope.previous()

web.header(t("overview.heading", lang))

current_kpis, previous_kpis = kpis.overview_figures(web.run, scope, catalog.first_day)
delta_help = t("overview.vs_previous", lang, period=fmt_period(previous.date_from, previous.date_to, lang))

web.show_cards(overview_cards(current_kpis, previous_kpis, lang), delta_help)

st.caption(t("overview.caption", lang))
