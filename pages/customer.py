"""Customer profile (客户画像): one store on one screen, and what to do on the next visit."""

import streamlit as st

from dashboard import charts, customer, maps, nine_grid, tables, web
from dashboard.i18n import fmt_period, label, t

lang = web.lang()
scope = web.current_scope()
state = st.session_state

web.header(t("customer.heading", lang))

# ---- find a customer: the user's text reaches SQL only as a bound parameter
text = st.text_input(
    t("customer.search", lang), placeholder=t("customer.search_placeholder", lang), key="cp_search"
)
matches = customer.search(web.run, text, scope)
if text.strip() and matches.empty:
    st.warning(t("customer.no_match", lang))
elif not matches.empty:
    names = {row.customer_id: customer.match_label(row, lang) for row in matches.itertuples()}
    st.selectbox(
        t("customer.pick", lang, n=len(matches)),
        list(names),
        index=None,
        format_func=names.get,
        placeholder=t("customer.pick_placeholder", lang),
        key="cp_pick",
        on_change=lambda: web.set_customer(state["cp_pick"]),
    )

profile = customer.gather(web.run, scope)
if profile is None:
    st.info(t("customer.hint", lang))
    st.stop()

who = profile.identity
st.header(web.plain(who["shop_name"]), anchor=False)  # data as typed, never markup
st.caption(t("customer.subtitle", lang, **{k: web.plain(who[c]) for k, c in (("owner", "owner_name"),
             ("license", "license_no"), ("station", "station_name"), ("route", "route_name"))}))  # fmt: skip

left, middle, right = st.columns([2, 2, 3])
rows = customer.identity_rows(who, lang)
with left, st.container(border=True, key="cp-identity"):
    st.markdown("\n".join(f"- **{k}**：{web.plain(v)}" for k, v in rows[:8]))
with middle, st.container(border=True, key="cp-route"):
    st.markdown("\n".join(f"- **{k}**：{web.plain(v)}" for k, v in rows[8:]))
with right:
    st.pydeck_chart(maps.customer_deck(who, lang), key="cp_map", height=260, width="stretch")

with st.container(border=True, key="cp-next-visit"):
    st.subheader(t("customer.todo_heading", lang), anchor=False)
    lines = customer.action_lines(profile.actions, lang)
    st.markdown("\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1)) or t("customer.todo_none", lang))
    st.caption(t("customer.todo_rules", lang))

tabs = st.tabs([t(f"customer.tab.{k}", lang) for k in ("business", "satisfaction", "tickets", "visits",
                                                        "training")])  # fmt: skip

with tabs[0]:
    st.plotly_chart(charts.customer_monthly(profile.monthly, lang), key="cp_monthly")
    grid = profile.grid
    if grid is None:
        st.caption(t("customer.no_pos", lang))
    elif grid.empty:
        st.info(t("nine_grid.no_data", lang))
    else:
        counts = grid.counts()
        period = fmt_period(grid.date_from, grid.date_to, lang)
        st.markdown(
            f"**{t('customer.nine_grid', lang, period=period)}** · "
            + " · ".join(f"{label('nine_grid_cell', c, lang)} {counts[c]}" for c in nine_grid.CELL_ORDER)
        )
        board, skus = st.columns([2, 3])
        board.plotly_chart(charts.nine_grid_board(grid.cells(), lang, period), key="cp_board")
        drops = grid.skus[grid.skus["action"] != "keep"]
        with skus:
            web.table(
                tables.nine_grid_skus(drops, lang), "cp_skus", t("customer.nine_grid", lang, period=period)
            )

with tabs[1]:
    st.plotly_chart(charts.customer_surveys(profile.surveys, customer.DIMENSIONS, lang), key="cp_surveys")

with tabs[2]:
    if profile.tickets.empty:
        st.info(t("customer.no_tickets", lang))
    else:
        table = tables.customer_tickets(profile.tickets, lang)
        web.table(table, "cp_tickets", t("customer.tab.tickets", lang))
        ids = profile.tickets["ticket_id"].tolist()
        picked = st.selectbox(t("customer.timeline_of", lang), ids, key="cp_ticket")
        one = profile.tickets[profile.tickets["ticket_id"] == picked].iloc[0].to_dict()
        st.plotly_chart(charts.ticket_timeline(one, lang), key="cp_timeline")

with tabs[3]:
    if profile.visits.empty:
        st.info(t("customer.no_visits", lang))
    else:
        table = tables.customer_visits(profile.visits, lang)
        web.table(table, "cp_visits", f"{t('customer.tab.visits', lang)}-{who['customer_id']}")

with tabs[4]:
    st.markdown(f"**{t('customer.training_heading', lang)}**")
    if profile.training.empty:
        st.caption(t("customer.no_training", lang))
    else:
        table = tables.customer_training(profile.training, lang)
        web.table(table, "cp_training", t("customer.training_heading", lang))
    st.markdown(f"**{t('customer.residency_heading', lang)}**")
    if profile.residencies.empty:
        st.caption(t("customer.no_residency", lang))
    else:
        table = tables.customer_residencies(profile.residencies, lang)
        web.table(table, "cp_residencies", t("customer.residency_heading", lang))
