"""Consultations and complaints (咨询投诉闭环): the loop, closure times, the 24-hour promise, work list."""

import streamlit as st

from dashboard import charts, tables, tickets, web
from dashboard.i18n import t

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
data = tickets.gather(web.run, scope, catalog.first_day)
target = data.targets["sla_rate"]

web.header(t("tickets.heading", lang))

web.show_cards(tickets.cards(data, lang))

tab_summary, tab_backlog, tab_loop, tab_ranking, tab_list = st.tabs(
    [t(f"tickets.tab.{key}", lang) for key in ("overview", "backlog", "loop", "ranking", "list")]
)


def _plot(fig, key: str, select: bool = False):
    """Place a figure; charts a click acts on rerun with the selection."""
    if select:
        return st.plotly_chart(fig, key=key, on_select="rerun", selection_mode="points", width="stretch")
    return st.plotly_chart(fig, key=key, width="stretch", config={"displaylogo": False})


with tab_summary:
    volume_by = st.segmented_control(
        t("tickets.volume_by", lang),
        options=["channel", "kind", "topic"],
        format_func=lambda key: t(f"tickets.by.{key}", lang),
        default="channel",
        key="tk_volume_by",
    )
    _plot(charts.ticket_volume(data.volume, volume_by or "channel", data.grain, lang), "tk_volume")
    left, right = st.columns(2)
    with left:
        _plot(charts.ticket_mix(data.received_by, lang), "tk_mix")
    with right:
        _plot(charts.ticket_topics(data.received_by, data.previous_received_by, lang), "tk_topics")

with tab_backlog:
    left, right = st.columns([1, 2])
    with left:
        _plot(charts.ticket_backlog(data.kpis["tickets.backlog_by_age"], lang), "tk_backlog")
    with right:
        overdue_only = st.toggle(t("tickets.overdue_only", lang), value=True, key="tk_overdue_only")
        work = tickets.work_list(data, lang, overdue_only)
        st.markdown(f"**{t('tickets.work_list', lang)}** · {t('tickets.shown_n', lang, n=len(work))}")
        if work.empty:
            st.info(t("tickets.work_list_empty", lang))
        else:
            shown, profile = tables.with_profile(
                work, scope, data.backlog.loc[work.index, "customer_id"], lang
            )
            link = {profile: st.column_config.LinkColumn(display_text=t("tables.open_profile", lang))}
            web.table(shown, "tk_work", t("tickets.work_list", lang), download=work, height=360,
                      column_config=link)  # fmt: skip

with tab_loop:
    left, right = st.columns(2)
    with left:
        _plot(charts.ticket_funnel(data.funnel, lang), "tk_funnel")
    with right:
        _plot(charts.ticket_sla_trend(data.volume, data.grain, target, lang), "tk_sla")
    _plot(charts.ticket_closure(data.curves, data.closure, lang), "tk_closure")
    web.table(tickets.closure_table(data, lang), "tk_closure_table", t("tickets.names.closure", lang))
    st.caption(t("tickets.closure_note", lang))

with tab_ranking:
    left, right = st.columns(2)
    with left:
        unit = st.segmented_control(
            t("tickets.rank_by", lang),
            options=["station", "route", "owner"],
            format_func=lambda key: t(f"tickets.unit.{key}", lang),
            default="route",
            key="tk_rank_by",
        )
    unit = unit or "route"
    with right:
        measure = st.selectbox(
            t("tickets.measure", lang),
            options=list(tickets.RATES),
            index=1,
            format_func=lambda key: t(f"tickets.{key.removesuffix('_rate')}", lang),
            key="tk_measure",
        )
    picked = _plot(
        charts.ticket_ranking(data.ranking, unit, target, lang, measure), f"tk_rank_{unit}_{measure}", True
    )
    st.caption(t("tickets.pick_bar", lang))
    unit_ids = [p["customdata"][0] for p in picked.selection.points if p.get("customdata")]
    if unit_ids:
        web.drill_button(unit, unit_ids[0], catalog, lang)  # the whole dashboard narrowed to this one
        shown = tickets.ticket_table(tickets.of_unit(data.tickets, unit, unit_ids), lang)
        web.table(shown, "tk_rank_tickets", t("tickets.tab.list", lang))
    web.table(
        tickets.ranking_table(data, unit, measure, lang), f"tk_ranking_{unit}", t("tickets.tab.ranking", lang)
    )

with tab_list:
    text = st.text_input(
        t("tickets.search", lang), placeholder=t("tickets.search_placeholder", lang), key="tk_search"
    )
    found = tickets.search(data.tickets, text).reset_index(drop=True)
    table = tickets.ticket_table(found.head(tables.MAX_TABLE_ROWS), lang)  # the rows shown; all in downloads
    st.caption(f"{t('tickets.shown_n', lang, n=len(found))} · {t('tickets.pick_ticket', lang)}")
    event = web.table(table, "tk_table", t("tickets.tab.list", lang), height=380, on_select="rerun",
                      selection_mode="single-row", download=lambda: tickets.ticket_table(found, lang),
                      total=len(found))  # fmt: skip
    rows = [i for i in event.selection.rows if i < len(found)]
    if rows:
        _plot(charts.ticket_timeline(found.iloc[rows[0]].to_dict(), lang), "tk_timeline")

st.caption(t("tickets.caption", lang))
