"""Training and store residencies (培训 · 驻店体验): reach, who was left out, and the effect."""

import streamlit as st

from dashboard import charts, programs, tables, web
from dashboard.i18n import fmt_count, fmt_month, fmt_number, fmt_pct, fmt_period, label, t
from dashboard.nine_grid import period_months
from dashboard.scope import month_end

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
state = st.session_state

web.header(t("programs.heading", lang))

months = period_months(catalog.first_day, catalog.last_day)
picked = state.get("pg_effect", programs.effect_months(months, catalog.last_day))
data = programs.gather(web.run, scope, (picked[0], month_end(picked[1])))
k = data.kpis

cards = [
    ("training.sessions", fmt_count(k["training.sessions"], lang),
     t("programs.card.rural", lang, n=fmt_count(k["training.rural_sessions"], lang))),
    ("training.attendances", fmt_count(k["training.attendances"], lang),
     t("programs.card.viewers", lang, n=fmt_count(k["training.livestream_viewers"], lang))),
    ("training.customers_reached", fmt_count(k["training.customers_reached"], lang),
     t("programs.card.coverage", lang, share=fmt_pct(k["training.coverage"]))),
    ("residency.staff", fmt_count(k["residency.staff"], lang),
     t("programs.card.stores", lang, n=fmt_count(k["residency.stores"], lang))),
    ("residency.days", fmt_count(k["residency.days"], lang), ""),
    ("residency.avg_days_per_staff", fmt_number(k["residency.avg_days_per_staff"]), ""),
]  # fmt: skip
columns = st.columns(6)
for column, (kpi, value, caption) in zip(columns, cards, strict=True):
    with column, st.container(border=True, key=f"kpi-{kpi.replace('.', '-')}"):
        st.metric(t(f"programs.kpi.{kpi.replace('.', '_')}", lang), value)
        st.caption(caption or " ")

tab_training, tab_residency, tab_effect = st.tabs(
    [t(f"programs.tab.{x}", lang) for x in ("training", "residency", "effect")]
)

with tab_training:
    by = st.segmented_control(
        t("programs.by_label", lang), ["format", "station", "topic", "month"], default="format",
        format_func=lambda x: t(f"programs.by_option.{x}", lang), key="pg_training_by",
    ) or "format"  # fmt: skip
    names = programs.training_names(data.training_by, by, lang)
    st.plotly_chart(charts.training_breakdown(names, data.training_by, by, lang), key="pg_training")
    if len(names) > charts.MAX_RANKED:
        st.caption(t("programs.chart_most", lang, n=charts.MAX_RANKED, total=fmt_count(len(names), lang)))
    st.markdown(f"**{t('programs.untrained_heading', lang, n=fmt_count(len(data.untrained), lang))}**")
    rows = data.untrained_shown  # the rows a table shows, with their names
    table = programs.untrained_table(rows, lang)
    shown, profile = tables.with_profile(table, scope, rows["customer_id"], lang)
    link = {profile: st.column_config.LinkColumn(display_text=t("tables.open_profile", lang))}
    later = web.run_later()  # the download fetches every name when clicked, for this role
    every = lambda: programs.untrained_table(programs.with_owners(later, data.untrained), lang)  # noqa: E731
    web.table(shown, "pg_untrained", t("programs.names.untrained", lang), download=every, height=320,
              total=len(data.untrained), column_config=link)  # fmt: skip

with tab_residency:
    res_by = st.segmented_control(
        t("programs.by_label", lang), ["station", "month", "focus"], default="station",
        format_func=lambda x: t(f"programs.by_option.{x}", lang), key="pg_residency_by",
    ) or "station"  # fmt: skip
    grouped = programs.residency_by(data.residencies, res_by)
    key = {"station": "station_name", "month": "month", "focus": "focus"}[res_by]
    res_names = [label("residency_focus", c, lang) if res_by == "focus" else c for c in grouped[key]]
    st.plotly_chart(charts.residency_breakdown(grouped, key, res_names, lang), key="pg_residency")
    if len(grouped) > charts.MAX_RANKED:
        st.caption(
            t("programs.residency_most", lang, n=charts.MAX_RANKED, total=fmt_count(len(grouped), lang))
        )
    st.markdown(f"**{t('programs.residency_list', lang, n=len(data.residencies))}**")
    table = programs.residency_table(data.residencies, lang)
    shown, profile = tables.with_profile(table, scope, data.residencies["customer_id"], lang)
    link = {profile: st.column_config.LinkColumn(display_text=t("tables.open_profile", lang))}
    web.table(
        shown, "pg_residencies", t("programs.names.residencies", lang), download=table, column_config=link
    )

with tab_effect:
    st.select_slider(t("programs.effect_period", lang), options=months, value=picked, key="pg_effect",
                     format_func=lambda m: fmt_month(m, lang))  # fmt: skip
    effect = data.effect
    period = fmt_period(*effect["period"], lang)
    st.caption(t("programs.effect_note", lang, period=period, window=effect["window"]))
    left, right = st.columns(2)
    left.plotly_chart(charts.effect_bars(effect["gross_profit"], "gross_profit", lang), key="pg_effect_gp")
    right.plotly_chart(charts.effect_bars(effect["satisfaction"], "satisfaction", lang), key="pg_effect_sat")
    web.table(programs.effect_table(effect, lang), "pg_effect_table", t("programs.names.effect", lang))
