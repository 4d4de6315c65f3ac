"""Three-labor indices and the secondary assessment (三劳指数 · 二次考核): who works how hard and how well."""

import streamlit as st

from dashboard import charts, staff, tables, web
from dashboard.cards import scope_line
from dashboard.i18n import fmt_count, fmt_number, fmt_pct, fmt_period, t
from dashboard.kpis import overview

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
data = staff.gather(web.run, scope, catalog.first_day)
visits_kpis = overview(web.run, scope)

st.title(t("staff.heading", lang))
st.caption(scope_line(scope, catalog, lang, web.customer_name(scope.customer)))
if data.current.empty:
    st.info(t("staff.no_data", lang))
    st.stop()

# ---- cards: the visits behind the indices, and who is lowest
planned, done = visits_kpis["visits.planned"], visits_kpis["visits.done"]
lowest = data.current.sort_values("rank").iloc[-1]
cards = [
    ("visits.planned", t("staff.card.planned", lang), fmt_count(planned, lang), ""),
    ("visits.done", t("staff.card.done", lang), fmt_count(done, lang),
     t("staff.card.done_rate", lang, value=fmt_pct(done / planned if planned else None))),
    ("staff-ranked", t("staff.card.managers", lang), fmt_count(len(data.current), lang),
     t("staff.card.composite_mean", lang, value=fmt_number(data.current.composite.mean()))),
    ("staff-lowest", t("staff.card.lowest", lang), lowest.staff_name,
     t("staff.card.lowest_caption", lang, score=fmt_number(lowest.composite), station=lowest.station_name)),
]  # fmt: skip
for column, (key, label_, value, caption) in zip(st.columns(4), cards, strict=True):
    with column, st.container(border=True, key=f"kpi-{key.replace('.', '-')}"):
        st.metric(label_, value)
        st.caption(caption or " ")

with st.expander(t("staff.weights_title", lang)):
    for group in staff.WEIGHT_GROUPS:
        st.markdown("- " + staff.weights_text(data.conf, group, lang))


def _table(frame_and_shares, key: str, **kwargs):
    """A sortable table with its downloads: numbers stay numbers, shares shown as percentages."""
    frame, shares = frame_and_shares
    shown, formats = web.numbers(frame, shares)
    web.table(shown, key, t(f"staff.table.{key.removeprefix('sf_')}", lang), shares, download=frame,
              column_config=formats, **kwargs)  # fmt: skip


tab_rank, tab_person, tab_assess, tab_joint = st.tabs(
    [t(f"staff.tab.{k}", lang) for k in ("ranking", "person", "assessment", "joint")]
)

with tab_rank:
    with st.expander(t("staff.what_if", lang)):
        st.caption(t("staff.what_if_help", lang))
        chosen = {}
        for group in ("composite", "assessment"):
            st.markdown(f"**{t(f'staff.{group}_weights', lang)}**")
            columns = st.columns(len(data.conf[group]))
            chosen[group] = {
                term: col.number_input(
                    t(f"staff.term.{group}.{term}", lang), 0.0, 1.0, weight, 0.05, key=f"sf_w_{group}_{term}"
                )
                for col, (term, weight) in zip(columns, data.conf[group].items(), strict=True)
            }
    changed = chosen != {g: data.conf[g] for g in chosen}
    what_if = data.rescored(staff.with_weights(data.conf, **chosen)).current if changed else None
    if what_if is not None:
        moved = (data.current.set_index("staff_id")["rank"] != what_if.set_index("staff_id")["rank"]).sum()
        st.info(t("staff.what_if_changed", lang, n=int(moved)))
    left, right = st.columns([3, 2])
    with left:
        _table(tables.staff_ranking(data.current, lang, what_if), "sf_ranking")
        st.caption(t("staff.ranking_caption", lang))
    right.plotly_chart(charts.staff_ranking(what_if if what_if is not None else data.current, lang),
                       key="sf_rank_chart")  # fmt: skip
    if len(data.current) > charts.MAX_RANKED:
        right.caption(
            t("staff.chart_lowest", lang, n=charts.MAX_RANKED, total=fmt_count(len(data.current), lang))
        )
    _table(tables.staff_inputs(data.current, lang), "sf_inputs")

with tab_person:
    people = data.current.sort_values("rank")
    ids = people.staff_id.tolist()
    names = dict(zip(people.staff_id, people.staff_name + " · " + people.station_name, strict=True))
    if st.session_state.get("sf_person") not in ids:
        st.session_state["sf_person"] = staff.default_person(data.current)
    staff_id = st.selectbox(t("staff.person", lang), ids, format_func=names.get, key="sf_person")
    person, station, trend = staff.person_view(data, staff_id)
    left, right = st.columns(2)
    left.plotly_chart(charts.staff_radar(person, station, lang), key="sf_radar")
    right.plotly_chart(charts.staff_trend(trend, person["staff_name"], lang), key="sf_trend")
    st.plotly_chart(charts.staff_terms(person, station, lang), key="sf_terms")
    visits = staff.visits(web.run, scope, staff_id)
    with st.container(key="sf_visits_box"):  # the drill-down: why diligence is what it is
        st.markdown(f"**{t('staff.visits_summary', lang, **staff.visit_counts(visits))}**")
        _table(tables.staff_routes(staff.route_summary(visits), lang), "sf_routes")
        if st.toggle(t("staff.missed_only", lang), value=False, key="sf_missed"):
            visits = visits[visits.status == "missed"]
        if visits.empty:
            st.info(t("staff.visits_empty", lang))
        else:
            web.table(
                tables.staff_visits(visits, lang), "sf_visits", t("staff.table.visits", lang), height=360
            )

with tab_assess:
    period = fmt_period(scope.date_from, scope.date_to, lang)
    weights = data.conf["assessment"]
    shown = tables.staff_payroll(data.current, weights, period, lang, with_id=False)
    payroll = tables.staff_payroll(data.current, weights, period, lang)  # with staff ids, for payroll
    with st.container(key="sf_payroll_box"):
        shown, formats = web.numbers(shown)
        web.table(
            shown, "sf_payroll", t("staff.table.payroll", lang), download=payroll, column_config=formats
        )
    st.markdown(f"**{t('staff.station_title', lang)}**")
    stations = tables.staff_stations(staff.station_means(data.current), lang)
    shown, formats = web.numbers(stations)
    web.table(shown, "sf_stations", t("staff.table.stations", lang), download=stations, column_config=formats)

with tab_joint:
    joint = staff.joint_visits(data.current)
    st.markdown(f"**{t('staff.joint_title', lang)}**")
    left, right = st.columns([2, 3])
    with left:
        _table(tables.staff_joint(joint, lang), "sf_joint")
    right.plotly_chart(charts.staff_joint(joint, lang), key="sf_joint_chart")
    if len(joint) > charts.MAX_RANKED:
        right.caption(t("staff.joint_lowest", lang, n=charts.MAX_RANKED, total=fmt_count(len(joint), lang)))

st.caption(t("staff.caption", lang))
