"""Nine-grid (九宫格): which non-tobacco goods of a store sell, earn, have potential, or should go."""

import streamlit as st

from dashboard import charts, customer, nine_grid, tables, web
from dashboard.i18n import fmt_count, fmt_month, fmt_pct, fmt_period, label, t
from dashboard.scope import month_end

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
state = st.session_state

web.header(t("nine_grid.heading", lang))

# The two periods compared: by default the previous period and this one, in whole months.
months = nine_grid.period_months(catalog.first_day, catalog.last_day)


def month_span(date_from, date_to) -> tuple:
    inside = [m for m in months if date_from <= m <= date_to] or months[-1:]
    return inside[0], inside[-1]


previous = scope.previous()
before_months = state.get(
    "ng_before", month_span(max(previous.date_from, catalog.first_day), previous.date_to)
)
after_months = state.get("ng_after", month_span(scope.date_from, scope.date_to))
before_range, after_range = (
    (before_months[0], month_end(before_months[1])),
    (after_months[0], month_end(after_months[1])),
)
stores, current, (before, after) = nine_grid.page_figures(web.run, scope, before_range, after_range)

# ---- the store: one store with POS data, or all of them in scope together (ALL: Streamlit shows a
# selectbox holding None as "nothing chosen"). Past web.MAX_OPTIONS stores, a few letters find them.
ALL = 0
if scope.customer is not None and not (stores.customer_id == scope.customer).any():
    st.info(t("nine_grid.no_pos", lang))
    st.stop()
find = ""
if len(stores) > web.MAX_OPTIONS:
    placeholder = t("nine_grid.find_placeholder", lang, n=fmt_count(len(stores), lang))
    find = st.text_input(t("nine_grid.find", lang), placeholder=placeholder, key="ng_find")
offered = customer.offered_stores(stores, find, scope.customer, web.MAX_OPTIONS)
if find.strip() and (offered.customer_id != scope.customer).sum() == 0:
    st.caption(t("nine_grid.find_none", lang))
ids = [ALL, *offered.customer_id.tolist()]
all_stores = t("nine_grid.all_stores", lang, n=fmt_count(len(stores), lang))
names = {
    row.customer_id: t(
        "nine_grid.store_option", lang, name=row.shop_name, license=row.license_no, route=row.route_name
    )
    for row in offered.itertuples()
}
state["ng_store"] = scope.customer or ALL  # follow the scope when it changes elsewhere (sidebar, other pages)
st.selectbox(
    t("nine_grid.store", lang),
    ids,
    format_func=lambda c: all_stores if c == ALL else names[c],
    key="ng_store",
    on_change=lambda: web.set_customer(state["ng_store"] or None),
)

tab_grid, tab_skus, tab_compare = st.tabs(
    [t("nine_grid.tab_grid", lang), t("nine_grid.tab_skus", lang), t("nine_grid.tab_compare", lang)]
)
cutoffs = [fmt_pct(c, 0) for c in nine_grid.cutoffs()]

with tab_grid:
    if current.empty:
        st.info(t("nine_grid.no_data", lang))
    else:
        left, right = st.columns(2)
        period = fmt_period(current.date_from, current.date_to, lang)
        title = t("nine_grid.board_title", lang, period=period)
        left.plotly_chart(charts.nine_grid_board(current.cells(), lang, title), key="ng_board")
        cuts = {"product": current.cut_values("product"), "user": current.cut_values("user")}
        right.plotly_chart(charts.nine_grid_scatter(current.skus, cuts, lang), key="ng_scatter")
        st.caption(t("nine_grid.caption", lang, high=cutoffs[0], mid=cutoffs[1]))

with tab_skus:
    if not current.empty:
        counts = current.counts()
        cell = st.pills(
            t("nine_grid.cell", lang),
            options=nine_grid.CELL_ORDER,
            format_func=lambda c: f"{label('nine_grid_cell', c, lang)} {counts[c]}",
            key="ng_cell",
        )
        table = tables.nine_grid_skus(current.skus, lang)
        chosen = current.skus if cell is None else current.skus[current.skus.cell == cell]
        name = f"{t('nav.nine_grid', lang)}-{scope.customer or t('nine_grid.names.all', lang)}"
        web.table(tables.nine_grid_skus(chosen, lang), "ng_skus", name, download=table)

with tab_compare:
    left, right = st.columns(2)
    options = {"options": months, "format_func": lambda m: fmt_month(m, lang)}
    left.select_slider(t("nine_grid.before_period", lang), value=before_months, key="ng_before", **options)
    right.select_slider(t("nine_grid.after_period", lang), value=after_months, key="ng_after", **options)
    a, b = before.counts(), after.counts()
    st.subheader(
        " · ".join(
            t("nine_grid.change_line", lang, cell=label("nine_grid_cell", c, lang), a=a[c], b=b[c])
            for c in ("slow", "hit")
        )
    )
    periods = [fmt_period(g.date_from, g.date_to, lang) for g in (before, after)]
    bars_title = t("nine_grid.change_title", lang, before=periods[0], after=periods[1])
    st.plotly_chart(charts.nine_grid_before_after(a, b, lang, bars_title), key="ng_bars")
    st.plotly_chart(charts.nine_grid_sankey(nine_grid.transitions(before, after), lang), key="ng_sankey")
    moved = tables.nine_grid_moves(nine_grid.moved_skus(before, after), lang)
    st.markdown(f"**{t('nine_grid.moved_title', lang, n=len(moved))}**")
    web.table(moved, "ng_moved", t("nine_grid.moved_title", lang, n=len(moved)))
