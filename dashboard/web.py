"""Streamlit glue shared by the entry script and the pages: the cached connection and results,
the sidebar scope filters kept in step with the URL, and the current scope and language."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import access, store
from dashboard.catalog import load_catalog
from dashboard.i18n import label, t
from dashboard.scope import (
    BUSINESS_TYPES,
    MARKET_TYPES,
    Catalog,
    Limit,
    Notice,
    Scope,
    default_scope,
    narrow_routes,
    scope_from_query,
    scope_to_query,
)


def db_version() -> float:
    """The DB file's mtime: a new file (demo rebuild, import swap) means new connection and results."""
    return store.db_path().stat().st_mtime


@st.cache_resource(show_spinner=False, max_entries=1, on_release=lambda con: con.close())
def _connection(path: str, version: float):
    return store.connect(path, read_only=True)


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_run(name: str, params: dict, version: float) -> pd.DataFrame:
    return store.run(_connection(str(store.db_path()), version), name, params)


def run(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query, cached on its name, parameters and the DB version; personal data comes back
    masked for the signed-in role (dashboard/access.py), so every table and download is."""
    frame = _cached_run(name, dict(params or {}), db_version())
    return access.mask_frame(frame, getattr(st.session_state.get("_user"), "role", None))


@st.cache_data(show_spinner=False)
def _catalog(version: float) -> Catalog:
    return load_catalog(run)


def limit() -> Limit | None:
    """The signed-in role's row limit (dashboard/login.py sets it on every run)."""
    return st.session_state.get("_limit")


def aggregates_only() -> bool:
    """The signed-in role sees no single store (the viewer): pages offer aggregated views only."""
    return not (limit() or Limit()).one_customer


def catalog() -> Catalog:
    """What the filters offer: only the stations and routes the signed-in role may see."""
    return _catalog(db_version()).within(limit())


def lang() -> str:
    return st.session_state.get("f_lang") or "zh"


def current_scope() -> Scope:
    """The scope the sidebar set in this run (the entry script runs before every page)."""
    return st.session_state["_scope"]


def _query_now() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def customer_name(customer_id: int | None) -> str | None:
    """The shop name of a customer id, or None when there is no such customer."""
    if customer_id is None:
        return None
    found = run("filters/customer", {"customer_id": customer_id, **(limit() or Limit()).params()})
    return None if found.empty else str(found.shop_name[0])


def _seed_widgets(scope: Scope, lang_code: str) -> None:
    state = st.session_state
    state["f_lang"] = lang_code
    state["f_customer"] = scope.customer
    state["f_period"] = (scope.date_from, scope.date_to)
    state["f_stations"] = list(scope.stations)
    state["f_routes"] = list(scope.routes)
    state["f_btypes"] = list(scope.btypes)
    state["f_markets"] = list(scope.markets)


def _reset(cat: Catalog) -> None:
    _seed_widgets(default_scope(cat), lang())
    st.session_state["_notices"] = []


def _clear_customer() -> None:
    st.session_state["f_customer"] = None


def set_customer(customer_id: int | None) -> None:
    """Narrow the scope to one customer (a page's store picker, a drill-down); None widens it again."""
    st.session_state["f_customer"] = customer_id


def _read_url(cat: Catalog) -> None:
    """Take the scope from the URL on a session's first run, or when a link brought a different one.

    A page switch may arrive with an empty query string; then the session's scope stands.
    """
    query = _query_now()
    state = st.session_state
    if "_scope" in state and (not query or query == state.get("_written_query")):
        return
    parsed = scope_from_query(query, _catalog(db_version()), limit=limit())  # outside the limit: notice
    scope, found = parsed.scope, list(parsed.notices)
    if scope.customer is not None and customer_name(scope.customer) is None:
        found.append(Notice("customer", str(scope.customer), "unknown_customer"))
        scope = scope.without_customer()
    _seed_widgets(scope, parsed.lang)
    state["_notices"] = found
    state["_notices_scope"] = scope


def _keep_within(cat: Catalog) -> None:
    """Drop filter values the role may not choose (the widgets offer only `cat`'s), and a customer
    outside its limit; the scope's limit would cut them anyway."""
    state = st.session_state
    state["f_stations"] = [s for s in state.get("f_stations") or [] if s in cat.stations]
    if state.get("f_customer") is not None and customer_name(state["f_customer"]) is None:
        state["f_customer"] = None


def _period(cat: Catalog, previous: Scope | None) -> tuple[date, date] | None:
    picked = st.date_input(
        t("filters.period", lang()),
        min_value=cat.first_day,
        max_value=cat.last_day,
        format="YYYY-MM-DD",
        help=t("filters.period_help", lang()),
        key="f_period",
        persist_state="session",
    )
    if isinstance(picked, tuple | list) and len(picked) == 2:
        return picked[0], picked[1]
    st.caption(t("filters.pick_end", lang()))
    return (previous.date_from, previous.date_to) if previous else None


def sidebar(cat: Catalog) -> Scope:
    """Draw the language switch and the scope filters; return the scope (see write_url for the URL)."""
    _read_url(cat)
    state = st.session_state
    _keep_within(cat)
    with st.sidebar:
        st.segmented_control(
            t("app.language", lang()),
            options=["zh", "en"],
            format_func={"zh": "中文", "en": "English"}.get,
            required=True,
            key="f_lang",
            persist_state="session",
        )
        lang_code = lang()
        st.subheader(t("filters.heading", lang_code))
        period = _period(cat, state.get("_scope")) or (
            default_scope(cat).date_from,
            default_scope(cat).date_to,
        )
        stations = st.multiselect(
            t("filters.stations", lang_code),
            options=list(cat.stations),
            format_func=lambda s: cat.stations.get(s, s),  # a forged value shows as itself
            placeholder=t("filters.all", lang_code),
            key="f_stations",
            persist_state="session",
        )
        # Route options narrow to the chosen stations; drop chosen routes that fell outside.
        state["f_routes"] = list(narrow_routes(state.get("f_routes", []), stations, cat))
        routes = st.multiselect(
            t("filters.routes", lang_code),
            options=cat.routes_of(stations),
            format_func=lambda r: cat.route_names.get(r, r),
            placeholder=t("filters.all", lang_code),
            key="f_routes",
            persist_state="session",
        )
        btypes = st.multiselect(
            t("filters.btypes", lang_code),
            options=list(BUSINESS_TYPES),
            format_func=lambda code: label("business_type", code, lang_code),
            placeholder=t("filters.all", lang_code),
            key="f_btypes",
            persist_state="session",
        )
        markets = st.pills(
            t("filters.markets", lang_code),
            options=list(MARKET_TYPES),
            format_func=lambda code: label("market_type", code, lang_code),
            selection_mode="multi",
            key="f_markets",
            persist_state="session",
        )
        customer = None if aggregates_only() else state.get("f_customer")
        if customer is not None:
            st.caption(t("filters.customer", lang_code, name=plain(customer_name(customer) or customer)))
            st.button(t("filters.clear_customer", lang_code), on_click=_clear_customer, width="stretch")
        st.button(t("filters.reset", lang_code), on_click=_reset, args=(cat,), width="stretch")
        st.caption(t("app.data_range", lang_code, first=cat.first_day, last=cat.last_day))

    scope = Scope(
        period[0],
        period[1],
        tuple(stations),
        tuple(routes),
        tuple(btypes),
        tuple(markets or ()),
        customer,
        limit(),
    )
    state["_scope"] = scope
    return scope


def write_url() -> None:
    """Mirror the scope in the URL (after st.navigation, so the params land on the current page's path)."""
    state = st.session_state
    written = scope_to_query(state["_scope"], lang())
    if written != _query_now():
        st.query_params.from_dict(written)
    state["_written_query"] = written


def header(title: str) -> None:
    """A page's title and the line saying which period and customers it shows."""
    from dashboard.cards import scope_line

    scope = current_scope()
    st.title(title)
    name = customer_name(scope.customer)
    st.caption(scope_line(scope, catalog(), lang(), plain(name) if name else None))


def show_cards(cards, help_text: str | None = None, per_row: int = 3) -> None:
    """KPI cards in a grid, each in a keyed container (kpi-<name>) the browser tests can find."""
    columns = st.columns(per_row)
    for i, card in enumerate(cards):
        with columns[i % per_row], st.container(border=True, key=f"kpi-{card.kpi.replace('.', '-')}"):
            st.metric(
                card.label,
                card.value,
                card.delta,
                delta_color=card.delta_color,
                delta_arrow=card.delta_arrow,
                delta_description=t("overview.vs_previous_short", lang()) if card.delta else None,
                help=help_text,
            )
            st.caption(card.caption)


def page_menu(menu, pages) -> None:
    """Links to every page that keep the scope (and language) in their URL."""
    query = scope_to_query(current_scope(), lang())
    with menu:
        for page in pages:
            st.page_link(page, query_params=query, width="stretch")
        st.divider()


def notices() -> list[Notice]:
    """URL notices to show: those of the last URL read, while the scope is still the one it gave."""
    state = st.session_state
    if state.get("_notices") and state.get("_notices_scope") == state.get("_scope"):
        return state["_notices"]
    return []


def notice_text(notice: Notice) -> str:
    """A notice for markdown: the URL's own text shown as code, so it can't make links or formatting."""
    return t(f"notices.{notice.reason}", lang(), key=as_code(notice.key), value=as_code(notice.value))


_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")


def plain(text) -> str:
    """Text from the data (or a user) for a markdown element: every markup character escaped, so a name
    like 张*明, <b>x</b> or [x](http://y) shows as typed and never as emphasis, HTML or a link."""
    text = str(text).replace("\n", " ")
    for link in ("://", "www.", "@"):  # a zero-width space keeps markdown from making an autolink
        text = text.replace(link, link[0] + "\u200b" + link[1:])
    return _MARKUP.sub(r"\\\1", text)


def as_code(text: str, limit: int = 120) -> str:
    """Text as a markdown code span (no markdown, no autolinks inside); very long text is cut."""
    cut = text[:limit] + ("…" if len(text) > limit else "")
    return "`" + cut.replace("`", "'").replace("\n", " ") + "`"
