"""Satisfaction map (满意度地图): where the unhappy customers are, and who owns them."""

import streamlit as st

from dashboard import satisfaction, tables, web
from dashboard.i18n import fmt_count, fmt_number, t
from dashboard.maps import LAYERS

lang = web.lang()
scope = web.current_scope()

web.header(t("satisfaction.heading", lang))

layers = ["grid"] if web.aggregates_only() else list(LAYERS)  # a viewer: no store's own point
layer = st.segmented_control(
    t("satisfaction.layer", lang),
    options=layers,
    format_func=lambda code: t(f"satisfaction.layer_{code}", lang),
    required=True,
    default=layers[0],
    key="sat_layer",
    persist_state="session",
)
figures = satisfaction.page_figures(web.run, scope, lang, layer if layer in layers else layers[0])
kpis, limits = figures.kpis, figures.limits

mean = kpis["satisfaction.overall_mean"]
cards = [
    (
        "mean",
        t("satisfaction.kpi_mean", lang),
        "—" if mean is None else f"{fmt_number(mean)} {t('satisfaction.unit_points', lang)}",
    ),
    ("surveyed", t("satisfaction.kpi_surveyed", lang), fmt_count(kpis["satisfaction.surveyed"], lang)),
    (
        "low",
        t("satisfaction.kpi_low", lang, low=f"{limits.low_score:g}"),
        fmt_count(kpis["satisfaction.low_count"], lang),
    ),
    (
        "follow-up",
        t("satisfaction.kpi_follow_up", lang),
        fmt_count(kpis["satisfaction.follow_up_count"], lang),
    ),
]
for column, (key, title, value) in zip(st.columns(4), cards, strict=True):
    with column, st.container(border=True, key=f"sat-kpi-{key}"):
        st.metric(title, value.strip())

map_column, side = st.columns([3, 1])
with map_column:
    if figures.aggregated:
        key = (
            "satisfaction.aggregated_station"
            if figures.aggregated == "station"
            else "satisfaction.aggregated"
        )
        st.info(t(key, lang, n=fmt_count(figures.n_customers, lang)))
    event = st.pydeck_chart(
        figures.deck,
        key="sat_map",
        on_select="rerun",
        selection_mode="single-object",
        height=560,
        width="stretch",
    )
    st.html(figures.legend)
    st.caption(t("satisfaction.map_help", lang))

pick = satisfaction.read_pick(getattr(event, "selection", None))
with side, st.container(border=True, key="sat-details"):
    st.subheader(t("satisfaction.details", lang))
    details = satisfaction.customer_details(web.run, figures.customers, pick["key"], lang) if pick else []
    if pick and pick["kind"] == "customer" and details:
        st.markdown("\n".join(f"- **{name}**：{web.plain(value)}" for name, value in details))
    elif pick and pick["kind"] != "customer":
        st.info(t("satisfaction.area_picked", lang, name=web.plain(pick.get("name") or pick["key"])))
        web.drill_button(pick["kind"], pick["key"], web.catalog(), lang)  # a station or a route
        st.caption(t("satisfaction.clear_pick", lang))
    else:
        st.caption(t("satisfaction.details_hint", lang))

tab_list, tab_distribution, tab_dimensions = st.tabs(
    [
        t("satisfaction.tab_follow_up", lang),
        t("satisfaction.tab_distribution", lang),
        t("satisfaction.tab_dimensions", lang),
    ]
)
with tab_list:
    listed = satisfaction.narrow(figures.follow_up, pick)
    if listed.empty:
        st.info(t("satisfaction.follow_up_empty", lang))
    else:
        rows = satisfaction.shown_rows(web.run, listed)  # the first rows, with their shop names
        table = satisfaction.follow_up_table(rows, limits, lang)
        shown, profile = tables.with_profile(table, scope, rows["customer_id"], lang)
        link = {profile: st.column_config.LinkColumn(display_text=t("tables.open_profile", lang))}
        later = web.run_later()  # the download fetches every name when clicked, for this role
        every = lambda: satisfaction.follow_up_table(satisfaction.with_shops(later, listed), limits, lang)  # noqa: E731
        web.table(shown, "sat_follow_up", t("satisfaction.names.follow_up", lang), download=every,
                  total=len(listed), column_config=link)  # fmt: skip
    st.caption(t("satisfaction.caption", lang, low=f"{limits.low_score:g}", drop=f"{limits.drop_points:g}"))

with tab_distribution:
    level = st.segmented_control(
        t("satisfaction.level", lang),
        options=["station", "route"],
        format_func=lambda code: t(f"satisfaction.level_{code}", lang),
        required=True,
        default="station",
        key="sat_level",
    )
    counts, means, note = figures.distribution  # the station level; the route level built when asked for
    if level == "route":
        counts, means, note = satisfaction.distribution(figures.summary, level, lang)
    if note:
        st.caption(note)
    left, right = st.columns(2)
    left.plotly_chart(counts, key="sat_counts")
    right.plotly_chart(means, key="sat_means")

with tab_dimensions:
    st.plotly_chart(figures.dimensions, key="sat_dimensions")
    if figures.stations_note:
        st.caption(figures.stations_note)
    st.plotly_chart(figures.station_dimensions, key="sat_station_dimensions")
    st.subheader(t("satisfaction.drag_heading", lang))
    web.table(figures.drag, "sat_drag", t("satisfaction.drag_heading", lang))
