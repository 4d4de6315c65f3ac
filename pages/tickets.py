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


def _every_row(text: str = "", **options):
    """A download of every ticket found, not only the rows shown: built when clicked, as the role reads."""
    later = web.run_later()
    return lambda: tickets.ticket_table(
        tickets.ticket_list(later, scope, text, first_rows=None, **options)[0], lang
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
        of_units = {"unit": unit, "unit_ids": unit_ids}
        rows, n_rows = tickets.ticket_list(web.run, scope, first_rows=tables.MAX_TABLE_ROWS, **of_units)
        web.table(tickets.ticket_table(rows, lang), "tk_rank_tickets", t("tickets.tab.list", lang),
                  download=_every_row(**of_units), total=n_rows)  # fmt: skip
    web.table(
        tickets.ranking_table(data, unit, measure, lang), f"tk_ranking_{unit}", t("tickets.tab.ranking", lang)
    )

with tab_list:
    may = web.rights()  # a name the role sees masked is not searched: it could be guessed letter by letter
    searchable = {"owners": may.personal, "shops": may.identities}
    hint = "" if may.personal else "_no_owner" if may.identities else "_ids"
    text = st.text_input(
        t("tickets.search", lang),
        placeholder=t(f"tickets.search_placeholder{hint}", lang),
        key="tk_search",
        on_change=lambda: st.session_state.pop("tk_page", None),  # a new search starts on its first page
    )
    asked = int(st.session_state.get("tk_page") or 1)
    found, n_found, page = tickets.list_page(web.run, scope, text, asked, **searchable)
    n_pages = tickets.page_count(n_found)
    if n_pages > 1:
        st.session_state["tk_page"] = page  # past the end the last page is shown: the pager says so
        left, _ = st.columns([1, 3])
        with left:
            st.number_input(
                t("tickets.list_page", lang, n=f"{n_pages:,}"), min_value=1, max_value=n_pages, step=1,
                key="tk_page",
            )  # fmt: skip
    first = (page - 1) * tickets.LIST_PAGE_ROWS
    rows_note = t("tickets.list_rows", lang, first=f"{first + 1:,}", last=f"{first + len(found):,}")
    st.caption(
        f"{t('tickets.shown_n', lang, n=f'{n_found:,}')}"
        + (f" · {rows_note}" if n_pages > 1 else "")
        + f" · {t('tickets.pick_ticket', lang)}"
    )
    event = web.table(tickets.ticket_table(found, lang), "tk_table", t("tickets.tab.list", lang), height=380,
                      on_select="rerun", selection_mode="single-row",
                      download=_every_row(text, **searchable))  # fmt: skip
    rows = [i for i in event.selection.rows if i < len(found)]
    if rows:
        _plot(charts.ticket_timeline(found.iloc[rows[0]].to_dict(), lang), "tk_timeline")

st.caption(t("tickets.caption", lang))
