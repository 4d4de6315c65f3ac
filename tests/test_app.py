"""Every page through Streamlit's AppTest on the fixture DB, in both languages.

AppTest runs no JavaScript and (in 1.67) does not keep the entry script's sidebar elements in its
tree when it runs a page; filters are driven through session_state and URL params here, and through
the real widgets in the browser test.
"""

import json
from datetime import date
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import overview, store
from dashboard.cards import overview_cards
from dashboard.navigation import PAGES
from dashboard.scope import Scope
from tests.conftest import signed_in

OCT = Scope(date(2026, 10, 1), date(2026, 10, 31))


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))

    def make(**query) -> AppTest:
        at = signed_in(AppTest.from_file(str(store.ROOT / "app.py"), default_timeout=60))
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.script)
def test_every_page_runs(app, page, lang):
    at = app(lang=lang)
    at.run()  # the first run registers the pages with st.navigation; switching before it skips app.py
    if not page.is_default:
        at.switch_page(page.script).run()  # (AppTest keeps no entry-script widget state across a switch)
    assert not at.exception, [e.message for e in at.exception]
    assert at.title, "the page shows a title"


def test_the_satisfaction_route_level_is_built_when_chosen(app, monkeypatch):
    from dashboard import satisfaction

    monkeypatch.setattr(satisfaction, "MAX_UNITS", 2)  # the fixture's 3 routes: more than the charts draw
    at = app(lang="zh")
    at.run()
    at.switch_page("pages/satisfaction.py").run()
    assert not any("线路" in c.value for c in at.caption)
    at.session_state["sat_level"] = "route"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("显示平均满意度最低的 2 条线路（共 3 条）" in c.value for c in at.caption)
    heat = [c for c in at.get("plotly_chart") if '"heatmap"' in c.proto.spec]
    assert heat and len(json.loads(heat[0].proto.spec)["data"][0]["y"]) == 2


def test_a_long_table_shows_its_first_rows_and_says_so(app, monkeypatch):
    from dashboard import tables

    monkeypatch.setattr(tables, "MAX_TABLE_ROWS", 1)  # the fixture's follow-up list has 2 customers
    at = app(lang="zh")
    at.run()
    at.switch_page("pages/satisfaction.py").run()
    assert not at.exception, [e.message for e in at.exception]
    follow_up = at.tabs[0].dataframe[0].value  # the follow-up list: 1 of its 2 rows
    assert len(follow_up) == 1 and "跟进原因" in follow_up.columns
    assert any("表中显示前 1 行（共 2 行）" in c.value for c in at.caption)


def test_the_ticket_list_pages_and_a_page_past_the_end_shows_the_last(app, monkeypatch):
    from dashboard import tickets

    monkeypatch.setattr(tickets, "LIST_PAGE_ROWS", 1)  # the fixture's October: a few tickets
    at = app(lang="zh")
    at.run()
    at.switch_page("pages/tickets.py").run()
    every = tickets.ticket_list(partial(store.run, store.connect(store.db_path())), OCT, first_rows=None)[0]
    n_pages = len(every)
    assert n_pages > 2 and at.number_input(key="tk_page").value == 1

    def shown() -> list[int]:
        return at.tabs[4].dataframe[0].value["工单号"].tolist()

    assert shown() == every["ticket_id"].head(1).tolist()
    at.number_input(key="tk_page").set_value(2).run()
    assert shown() == every["ticket_id"].iloc[1:2].tolist()
    assert any("显示第 2–2 件" in c.value for c in at.caption)
    at.number_input(key="tk_page").set_value(n_pages).run()
    assert not at.exception, [e.message for e in at.exception]
    assert any(f"显示第 {n_pages}–{n_pages} 件" in c.value for c in at.caption)
    assert shown() == every["ticket_id"].tail(1).tolist()
    narrower = Scope(OCT.date_from, OCT.date_to, stations=("S1",))
    fewer = tickets.ticket_list(
        partial(store.run, store.connect(store.db_path())), narrower, first_rows=None
    )[0]
    assert 1 < len(fewer) < n_pages
    at.session_state["f_stations"] = ["S1"]  # the scope narrows: the page asked for is past the end
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert shown() == fewer["ticket_id"].tail(1).tolist()  # the last page of the narrower list
    assert any(f"显示第 {len(fewer)}–{len(fewer)} 件" in c.value for c in at.caption)
    at.text_input(key="tk_search").set_value("不存在的店").run()  # a new search: its first page, no pager
    assert not at.tabs[4].dataframe[0].value.shape[0] and not at.number_input


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_shows_the_kpis_of_the_default_scope(app, fixture_db, lang):
    at = app(lang=lang)
    at.run()
    con = store.connect(fixture_db)
    run = partial(store.run, con)
    # the fixture's data ends on 1 Nov 2026, so the default period is October; it starts in September
    data = overview.gather(run, OCT, date(2026, 9, 1))
    context = overview_cards(data.current, data.previous, lang)
    headlines = overview.headline_cards(data.current, data.previous, data.last_year, data.trend, lang)
    shown = {m.label: (m.value, m.delta) for m in at.metric}
    assert shown == {c.label: (c.value, c.delta or "") for c in [*context, *headlines]}
    assert shown[context[0].label][0] == ("5 户" if lang == "zh" else "5")  # customers 1-5
    assert dict(at.query_params) == {"from": "2026-10-01", "to": "2026-10-31"} | (
        {"lang": "en"} if lang == "en" else {}
    )


def test_url_scope_applies_and_bad_params_show_a_notice(app):
    at = app(station=["S1", "NOPE"], to="2026-10-31", bogus="1", **{"from": "2026-10-01"})
    at.run()
    assert not at.exception
    values = {m.label: m.value for m in at.metric}
    assert values["范围内客户"] == "3 户"  # customers 1-3 of station S1
    notice = at.warning[0].value
    assert "NOPE" in notice and "bogus" in notice
    # the URL keeps what was valid and drops the rest
    assert dict(at.query_params) == {"from": "2026-10-01", "to": "2026-10-31", "station": "S1"}


def test_malformed_params_never_raise(app):
    at = app(
        to="not-a-date",
        route=["' or 1=1 --", "<script>alert(1)</script>", "x" * 5000],
        market="城镇",
        lang="xx",
        link="[click](http://evil.example)",
    )
    at.run()
    assert not at.exception
    assert len(at.warning) == 1
    notice = at.warning[0].value
    # the URL's text is shown as code (no link, no HTML, no formatting), long values cut
    assert "`<script>alert(1)</script>`" in notice and "`[click](http://evil.example)`" in notice
    assert "x" * 121 not in notice and "…" in notice


def test_filters_from_the_url_narrow_the_figures(app):
    at = app(station="S2", btype="S")
    at.run()
    values = {m.label: m.value for m in at.metric}
    assert values["范围内客户"] == "1 户"  # customer 4 is the only supermarket of S2
    assert at.caption[0].value == "2026年10月 · 西站 · 超市"


def test_a_route_outside_the_chosen_station_is_dropped_with_a_notice(app):
    at = app(station="S2", route="R1")
    at.run()
    assert "R1" in at.warning[0].value
    assert "route" not in at.query_params


def test_english_labels_and_formats(app):
    at = app(lang="en", station="S1")
    at.run()
    assert at.title[0].value == "Overview"
    assert at.caption[0].value == "Oct 2026 · 东站"
    assert {m.label for m in at.metric} >= {"Customers in scope", "Customer satisfaction"}


def test_missing_database_explains_itself(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "none.duckdb"))
    at = AppTest.from_file(str(store.ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception
    assert "make demo" in at.error[0].value


def test_stale_rollups_are_told_to_who_can_refresh_them(app, monkeypatch):
    """Stale rollups make every page read the raw tables (minutes at a country's scale): the admin, who
    can run the refresh, is told so; other roles see the figures (the same numbers) without the notice."""
    at = app()
    at.run()
    assert not at.warning
    from dashboard import rollups

    monkeypatch.setattr(rollups, "version", lambda: "built by other code")
    at = app()
    at.run()
    assert not at.exception
    assert "python -m dashboard refresh" in at.warning[0].value
    at = signed_in(app(), "manager")
    at.run()
    assert not at.warning


def test_a_customer_in_the_url_narrows_the_view(app):
    at = app(customer="1")
    at.run()
    assert not at.exception
    assert at.caption[0].value == "2026年10月 · 张记便利"
    assert {m.label: m.value for m in at.metric}["范围内客户"] == "1 户"
    assert at.query_params["customer"] == "1"


def test_an_unknown_customer_is_dropped_with_a_notice(app):
    at = app(customer="999999")
    at.run()
    assert "999999" in at.warning[0].value
    assert "customer" not in at.query_params
    assert {m.label: m.value for m in at.metric}["范围内客户"] == "5 户"


def test_page_url_paths_are_not_their_file_stems():
    # a stem would let Streamlit's v1 pages/ handling run the page without app.py (navigation.py)
    for spec in PAGES:
        assert spec.is_default or spec.url_path != spec.script.removeprefix("pages/").removesuffix(".py")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_presentation_runs_every_slide(app, lang):
    from dashboard import slides
    from dashboard.i18n import t
    from dashboard.navigation import PRESENT

    titles = []
    for number, key in enumerate(slides.SLIDES, start=1):
        at = app(lang=lang)
        at.run()
        at.query_params["slide"] = str(number)
        at.switch_page(PRESENT.script).run()
        assert not at.exception, (key, [e.message for e in at.exception])
        assert t("slides.page", lang, n=number, total=len(slides.SLIDES)) in at.caption[0].value
        titles.append(at.title[0].value)
    assert titles[0] == t("overview.heading", lang) and len(set(titles)) == len(titles)


def test_a_long_route_list_waits_for_a_station(app, monkeypatch):
    from dashboard import web

    monkeypatch.setattr(web, "MAX_OPTIONS", 2)  # the fixture's 3 routes: a province's ~12,500
    at = app(lang="zh")
    at.run()
    routes = next(m for m in at.sidebar.multiselect if m.label == "营销线路")
    assert routes.disabled and routes.options == [] and routes.placeholder == "线路较多，请先选择服务站"
    at.session_state["f_stations"] = ["S1"]  # its 2 routes
    at.run()
    routes = next(m for m in at.sidebar.multiselect if m.label == "营销线路")
    assert not routes.disabled and len(routes.options) == 2
    assert not at.exception, [e.message for e in at.exception]


def test_a_long_store_list_is_found_by_name(app, monkeypatch):
    from dashboard import web

    monkeypatch.setattr(web, "MAX_OPTIONS", 1)  # the fixture's 2 stores with POS data: a province's ~50,000
    at = app(lang="zh")
    at.run()
    at.switch_page("pages/nine_grid.py").run()
    store = next(s for s in at.selectbox if s.label == "门店")
    assert store.options == ["全部云 POS 门店（2 家）"]  # none sent until letters are typed
    at.text_input(key="ng_find").set_value("西村").run()
    store = next(s for s in at.selectbox if s.label == "门店")
    assert store.options == ["全部云 POS 门店（2 家）", "西村超市 · 370703000004 · 西站1线"]
    store.set_value(4).run()  # chosen, it stays offered whatever the letters
    at.text_input(key="ng_find").set_value("无此店").run()
    assert any(c.value == "没有匹配的门店。" for c in at.caption)
    assert next(s for s in at.selectbox if s.label == "门店").value == 4
    assert not at.exception, [e.message for e in at.exception]


def test_a_long_ranking_comes_without_its_colours_and_says_so(app, monkeypatch):
    from dashboard import tables

    monkeypatch.setattr(tables, "COLOURED_ROWS", 1)  # the fixture's stations: a country's 12,500
    at = app(lang="zh")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("表格不按目标着色" in c.value for c in at.caption)
    ranking = at.dataframe[0].value  # numbers as numbers, shares times 100 with a % format
    assert len(ranking) > 1 and ranking.select_dtypes("number").shape[1] >= 8
