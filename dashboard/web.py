"""Streamlit glue shared by the entry script and the pages: the cached connection and results,
the sidebar scope filters kept in step with the URL, and the current scope and language."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import streamlit as st

from dashboard import access, audit, rollups, slides, store, tables
from dashboard.catalog import load_catalog
from dashboard.i18n import label, t
from dashboard.scope import (
    BUSINESS_TYPES,
    MARKET_TYPES,
    PAGE_KEYS,
    Catalog,
    Limit,
    Notice,
    Scope,
    default_scope,
    narrow_routes,
    scope_from_query,
    scope_to_query,
)

# A pick list longer than this is not sent whole: routes wait for a station (a province has ~12,500 routes,
# the country ~140,000), the nine-grid's stores for a few letters of the name (a province has ~82,000 with
# POS data). Every rerun would send them all to the browser (4 MB for the stores), and nobody scrolls them.
MAX_OPTIONS = 2_000


def db_version() -> float:
    """The DB file's mtime: a new file (demo rebuild, import swap) means new connection and results."""
    return store.db_path().stat().st_mtime


@st.cache_resource(show_spinner=False, max_entries=1, on_release=lambda con: con.close())
def _connection(path: str, version: float):
    return store.snapshot(path)


@st.cache_data(show_spinner=False, max_entries=1024)
def _cached_run(name: str, params: dict, version: float) -> pd.DataFrame:
    return store.run(_connection(str(store.db_path()), version), name, params)


def run(name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query, cached on its name, parameters and the DB version; personal data comes back
    masked for the signed-in role (dashboard/access.py), so every table and download is."""
    return run_later()(name, params)


def run_later():
    """`run` with the signed-in role taken now, for work done after the script run (a download built
    when clicked): out of the run the session's state is out of reach and every frame would come back
    masked as for the strictest role."""
    role = _role()

    def later(name: str, params: dict | None = None) -> pd.DataFrame:
        return access.mask_frame(_cached_run(name, dict(params or {}), db_version()), role)

    return later


@st.cache_data(show_spinner=False, max_entries=64)
def _overview(scope: Scope, version: float):
    from dashboard import overview

    return overview.gather(run, scope, catalog().first_day)


def overview_data(scope: Scope):
    """The overview's figures of a scope, kept until the data changes: its Python work (nine-grid
    classes, three-labor scores) is not redone on every click of the page."""
    return _overview(scope, db_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _attention(scope: Scope, lang_code: str, version: float) -> pd.DataFrame:
    from dashboard import overview

    return overview.attention(_overview(scope, version).units, lang_code)


def overview_attention(scope: Scope, lang_code: str) -> pd.DataFrame:
    """The overview's units below a target with their reasons, kept per scope and language (a country's
    150,000 stations and routes: seconds of formatting)."""
    return _attention(scope, lang_code, db_version())


@st.cache_data(show_spinner=False, max_entries=64)
def _slide(scope: Scope, lang_code: str, key: str, version: float):
    return slides.build(run, scope, catalog(), lang_code, which=[key])[0]


def slide(scope: Scope, lang_code: str, key: str):
    """One slide of presentation mode, kept per scope, language and data version (paging is instant)."""
    return _slide(scope, lang_code, key, db_version())


@st.cache_data(show_spinner=False)
def _catalog(version: float) -> Catalog:
    return load_catalog(run)


def rollups_ready() -> bool:
    """Whether pages read the rollups (dashboard/rollups.py); each check behind it is cached per version."""
    return rollups.ready(run)


def limit() -> Limit | None:
    """The signed-in role's row limit (dashboard/login.py sets it on every run)."""
    return st.session_state.get("_limit")


def _role() -> str | None:
    return getattr(st.session_state.get("_user"), "role", None)


def rights() -> access.Role:
    """What the signed-in user may read (the strictest role when nobody is signed in)."""
    return access.ROLES.get(_role() or "", access.STRICTEST)


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


def _scope_part(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """The URL less the keys a page keeps for itself (they are not the scope)."""
    return {k: v for k, v in query.items() if k not in PAGE_KEYS}


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
    query = _scope_part(_query_now())
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
        offered = cat.routes_of(stations)
        too_many = len(offered) > MAX_OPTIONS  # a province's or the country's: pick a station first
        routes = st.multiselect(
            t("filters.routes", lang_code),
            options=state["f_routes"] if too_many else offered,
            format_func=lambda r: cat.route_names.get(r, r),
            placeholder=t("filters.pick_station_first" if too_many else "filters.all", lang_code),
            disabled=too_many and not state["f_routes"],
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
    now = _query_now()
    if written != _scope_part(now):
        st.query_params.from_dict(written | {k: v for k, v in now.items() if k in PAGE_KEYS})
    state["_written_query"] = written


def header(title: str) -> None:
    """A page's title and the line saying which period and customers it shows."""
    from dashboard.cards import scope_line

    scope = current_scope()
    st.title(title)
    name = customer_name(scope.customer)
    st.caption(scope_line(scope, catalog(), lang(), plain(name) if name else None))


def show_cards(cards, help_text: str | None = None, per_row: int = 3, border: bool = True) -> None:
    """KPI cards in a grid, each in a keyed container (kpi-<name>) the browser tests can find."""
    columns = st.columns(per_row)
    for i, card in enumerate(cards):
        with columns[i % per_row], st.container(border=border, key=f"kpi-{card.kpi.replace('.', '-')}"):
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


def page_menu(menu, pages, present=None) -> None:
    """Links to every page that keep the scope (and language) in their URL, and presentation mode."""
    query = scope_to_query(current_scope(), lang())
    with menu:
        for page in pages:
            st.page_link(page, query_params=query, width="stretch")
        if present is not None:
            st.page_link(present, label=t("present.switch", lang()), icon=":material/slideshow:",
                         query_params=present_query(), width="stretch")  # fmt: skip
        st.divider()


def present_query(slide: int = 1) -> dict[str, list[str]]:
    """The presentation's URL params: the scope fixed, and the slide shown."""
    return scope_to_query(current_scope(), lang()) | {"slide": [str(slide)]}


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


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def logged(build, what: str, file_name: str):
    """A download's data, built when clicked, that first writes an audit line: who, over which scope
    (the role's limit in it), what and the file."""
    user, scope = st.session_state.get("_user"), st.session_state.get("_scope")

    def data():
        audit.record(None, user or "?", "export", scope, {"what": what, "file": file_name})
        return build()

    return data


def numbers(frame: pd.DataFrame, pct_columns=()) -> tuple[pd.DataFrame, dict]:
    """A table's numbers shown as numbers (so its headers sort): shares as percentages with one decimal,
    other decimals with one decimal and thousands separators. Returns the frame to show (shares times
    100) and its column formats; offer the frame itself as the download. A pandas Styler did this at a
    third of the three-labor page's run."""
    shown = frame.assign(**{c: frame[c] * 100 for c in pct_columns})
    decimals = [c for c in frame.columns if pd.api.types.is_float_dtype(frame[c]) and c not in pct_columns]
    formats = {c: st.column_config.NumberColumn(format="%.1f%%") for c in pct_columns}
    formats |= {c: st.column_config.NumberColumn(format="%,.1f") for c in decimals}
    return shown, formats


def table(data, key: str, name: str, pct_columns=(), download=None, total: int | None = None, **kwargs):
    """A table with its CSV and XLSX downloads (in the page's language, built only when clicked).

    `data` is a DataFrame or a Styler of one; `download` another frame to offer instead (e.g. without
    a column of links), or a function giving it when clicked; shares in `pct_columns` download as
    percentages. A frame longer than MAX_TABLE_ROWS shows its first rows with a note (as does one
    that is the first rows of `total`); the downloads hold every row. Returns what st.dataframe returns
    (the selection, when the table is selectable)."""
    from dashboard.downloads import csv_bytes, for_download, safe_name, xlsx_bytes

    frame = data.data if hasattr(data, "data") and hasattr(data, "format") else data
    n_shown = len(frame)
    if frame is data and n_shown > tables.MAX_TABLE_ROWS:  # a province's list: tens of MB to send
        data, n_shown = frame.head(tables.MAX_TABLE_ROWS), tables.MAX_TABLE_ROWS
    total = max(total or 0, len(frame))
    if total > n_shown:
        st.caption(t("tables.shown_first", lang(), n=f"{n_shown:,}", total=f"{total:,}"))
    kwargs.setdefault("placeholder", "—")  # a missing value reads as a dash, not as "None"
    shown = st.dataframe(data, key=key, hide_index=True, width="stretch", **kwargs)
    source = download if callable(download) else (lambda: frame if download is None else download)

    def plain() -> pd.DataFrame:
        return for_download(source(), pct_columns)

    scope = current_scope()
    stem = safe_name(f"{name}-{scope.date_from}-{scope.date_to}")
    as_csv = logged(lambda: csv_bytes(plain()), name, f"{stem}.csv")  # the audit line when clicked
    as_xlsx = logged(lambda: xlsx_bytes(plain(), safe_name(name)), name, f"{stem}.xlsx")
    with st.container(horizontal=True, key=f"{key}_downloads"):
        st.download_button(
            "CSV", as_csv, f"{stem}.csv", "text/csv", key=f"{key}_csv",
            on_click="ignore", icon=":material/download:", type="tertiary",
        )  # fmt: skip
        st.download_button(
            "XLSX", as_xlsx, f"{stem}.xlsx", XLSX_MIME, key=f"{key}_xlsx",
            on_click="ignore", icon=":material/download:", type="tertiary",
        )  # fmt: skip
    return shown


def drill(unit: str, unit_id: str, station_id: str | None = None) -> None:
    """Narrow the scope to a station or a route (a click in a ranking); the URL follows."""
    state = st.session_state
    if unit == "station":
        state["f_stations"], state["f_routes"] = [unit_id], []
    else:  # a route: its station too, so the drill path reads company > station > route
        state["f_stations"], state["f_routes"] = [station_id] if station_id else [], [unit_id]
    state["f_customer"] = None


def drill_button(unit: str, unit_id: str, cat: Catalog, lang_code: str) -> None:
    """After a click on a station or route in a chart: one more click narrows every page to it."""
    if unit == "station" and unit_id in cat.stations:
        name, station = cat.stations[unit_id], None
    elif unit == "route" and unit_id in cat.routes:
        name, station = cat.route_names[unit_id], cat.routes[unit_id]
    else:
        return  # a person (first owner) is not a scope
    st.button(t("overview.filter_to", lang_code, name=name), icon=":material/filter_alt:",
              on_click=drill, args=(unit, unit_id, station), key=f"drill_{unit}_{unit_id}")  # fmt: skip


def widen(to: str) -> None:
    """Back up the drill path: to the whole company, or to the station (routes cleared)."""
    state = st.session_state
    state["f_routes"] = []
    state["f_customer"] = None
    if to == "company":
        state["f_stations"] = []


def show_headlines(cards, lang_code: str, per_row: int = 5) -> None:
    """Headline cards: value, change from the previous period, sparkline, target and its status,
    change from last year, and a link to the page that explains it (with the same scope)."""
    from dashboard.navigation import PAGES

    scripts = {spec.url_path: spec.script for spec in PAGES}
    query = scope_to_query(current_scope(), lang_code)
    colours = {"met": "green", "missed": "red", None: "gray"}
    st.html(_CARD_CSS)
    for start in range(0, len(cards), per_row):
        columns = st.columns(per_row)
        for column, card in zip(columns, cards[start : start + per_row], strict=False):
            with column, st.container(border=True, key=f"kpi-{card.kpi.replace('.', '-')}"):
                st.metric(
                    card.label,
                    card.value,
                    card.delta,
                    delta_color=card.delta_color,
                    delta_arrow="auto" if card.delta_color != "off" else "off",
                    chart_data=card.spark or None,
                    chart_type="area",
                    help=t("overview.card.spark_help", lang_code),
                )
                status = t(f"overview.card.{card.status or 'unknown'}", lang_code)
                st.badge(status, color=colours[card.status])
                st.caption(f"{card.target}  \n{card.versus_last_year}")
                st.page_link(
                    scripts[card.page], label=t("overview.card.open", lang_code),
                    icon=":material/arrow_forward:", query_params=query,
                )  # fmt: skip


# a headline card's value a size smaller than st.metric's: "1,116万元" was cut to "1,116万…" at 1440 px
_CARD_CSS = """<style>
[class*="st-key-kpi-"] [data-testid="stMetricValue"] { font-size: 1.9rem; }
</style>"""

_PRESENTATION_CSS = """<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stAlert"] { display: none !important; }
[data-testid="stMain"] .block-container { padding: 1.2rem 2.5rem 1rem 2.5rem; max-width: 100%; }
[data-testid="stMain"] h1 { font-size: 2.6rem; padding: 0; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.1rem; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.15rem; }
[data-testid="stMetricLabel"] * { font-size: 1.2rem !important; }
[data-testid="stMetricValue"] * { font-size: 2.8rem !important; line-height: 1.2; }
[data-testid="stMetricDelta"] * { font-size: 1.1rem !important; }
</style>"""


def presentation_style() -> None:
    """Presentation mode's look: no sidebar, toolbar or notices; larger type for a projector."""
    st.html(_PRESENTATION_CSS)


def show_slide(slide, lang_code: str) -> None:
    """One slide on screen: its cards, then its charts (the map for satisfaction) and its table."""
    colours = {"met": "green", "missed": "red"}
    if slide.cards:
        per_row = 5 if len(slide.cards) > 6 else len(slide.cards)
        for start in range(0, len(slide.cards), per_row):
            for column, card in zip(st.columns(per_row), slide.cards[start : start + per_row], strict=False):
                with column, st.container(border=True, key=f"slide-kpi-{card.kpi.replace('.', '-')}"):
                    st.metric(card.label, card.value, card.delta, delta_color=card.delta_color,
                              delta_arrow="auto" if card.delta_color != "off" else "off")  # fmt: skip
                    if card.status in colours:
                        st.badge(t(f"overview.card.{card.status}", lang_code), color=colours[card.status])
                    if card.note:
                        st.caption(card.note)
    visuals = list(slide.figures)
    if slide.deck is not None:
        left, right = st.columns([3, 2])
        left.pydeck_chart(slide.deck, height=520, width="stretch", key=f"slide-map-{slide.key}")
        if slide.legend:
            left.html(slide.legend)
        visuals = visuals[1:2]  # the static map is for the PPTX; the screen has the live one
        columns = [right]
    else:
        columns = st.columns(len(visuals)) if visuals else []
    for i, (column, fig) in enumerate(zip(columns, visuals, strict=False)):
        slides.slide_layout(fig)
        column.plotly_chart(fig, key=f"slide-fig-{slide.key}-{i}", config={"displayModeBar": False})
    if slide.table is not None and slide.key != "overview":
        st.markdown(f"**{slide.table_title}**")
        st.dataframe(
            slide.table, hide_index=True, width="stretch", key=f"slide-table-{slide.key}", placeholder="—"
        )
    for line in slide.notes:
        st.markdown(f"- {line}" if not line.endswith((":", "：")) else f"**{line}**")


def meeting_pack(scope: Scope, cat: Catalog, lang_code: str) -> None:
    """The meeting pack in one click: built with a progress bar, then both files offered for download
    (kept for this scope and language until either changes)."""
    from dashboard import export

    state = st.session_state
    clicked = st.button(t("export.button", lang_code), icon=":material/co_present:", key="ov_pack",
                        help=t("export.help", lang_code), type="primary")  # fmt: skip
    if clicked:
        with st.status(t("export.building", lang_code), expanded=True) as status:
            bar = st.progress(0.0)

            def progress(done: int, total: int, label: str) -> None:
                bar.progress(min(1.0, done / total), text=label)

            try:
                pack = export.build(run, scope, cat, lang_code, progress=progress)
            except Exception as error:  # a missing browser or font: say so, keep the page
                status.update(label=t("export.failed", lang_code, error=str(error)[:300]), state="error")
                return
            status.update(label=t("export.done", lang_code, seconds=pack.seconds), state="complete",
                          expanded=False)  # fmt: skip
        state["_pack"] = (scope, lang_code, pack)
        detail = {"what": "meeting-pack", "lang": lang_code, "slides": pack.slides, "bytes": len(pack.pptx)}
        audit.record(None, state.get("_user") or "?", "export", scope, detail)
    held = state.get("_pack")
    if held and held[:2] == (scope, lang_code):
        pack, stem = held[2], export.file_stem(scope, lang_code)
        pptx_mime = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        with st.container(horizontal=True, key="ov_pack_files"):
            st.download_button(t("export.pptx", lang_code), pack.pptx, f"{stem}.pptx", pptx_mime,
                               key="ov_pack_pptx", on_click="ignore", icon=":material/download:")  # fmt: skip
            st.download_button(t("export.xlsx", lang_code), pack.xlsx, f"{stem}.xlsx", XLSX_MIME,
                               key="ov_pack_xlsx", on_click="ignore", icon=":material/download:")  # fmt: skip
