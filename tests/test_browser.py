"""The app in a real browser: `streamlit run app.py` on a free port, Playwright driving Debian's Chromium.

Every page opens in zh and en with no Streamlit exception and no console error; screenshots go to
tests/artifacts/. The overview's numbers are checked against `python -m dashboard kpis --json`.
"""

import json
import re
import subprocess
import sys
from datetime import date
from functools import partial

import pytest
from playwright.sync_api import expect

from dashboard import kpis, overview, store
from dashboard.cards import overview_cards
from dashboard.catalog import load_catalog
from dashboard.i18n import t
from dashboard.navigation import PAGES
from dashboard.scope import Scope, default_scope
from tests.conftest import ARTIFACTS, open_page, start_server, stop_server, wait_ready

pytestmark = pytest.mark.browser

# Stored codes long enough to be told from words: none may reach the screen.
RAW_CODES = re.compile(
    r"\b(hotline_12313|ordering_web|qr_miniprogram|ai_service|staff_entry|customer_manager|station_head|"
    r"service_attitude|ordering_system|callback_result|business_type|market_type|None|nan|NaN)\b"
)


def metric_values(tab) -> dict[str, str]:
    labels = tab.locator('[data-testid="stMetricLabel"]').all_inner_texts()
    values = tab.locator('[data-testid="stMetricValue"]').all_inner_texts()
    return {label.strip(): value.strip() for label, value in zip(labels, values, strict=True)}


def card_value(tab, kpi: str):
    """The value of one KPI card, located by the key its container carries."""
    return tab.locator(f'.st-key-kpi-{kpi.replace(".", "-")} [data-testid="stMetricValue"]')


def cli_kpis(demo_db, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "kpis", "--json", "--db", str(demo_db), *args],
        cwd=store.ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(out.stdout)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda p: p.url_path or "overview")
def test_every_page_in_both_languages(server, page, spec, lang):
    open_page(page, f"{server}/{spec.url_path}?lang={lang}")
    ARTIFACTS.mkdir(exist_ok=True)
    name = spec.url_path or "overview"
    page.screenshot(path=ARTIFACTS / f"{name}-{lang}.png", full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    # the sidebar with the scope filters is on every page
    assert page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').count() == 3
    # no card's value is cut off ("1,116万…" was, at 1440 px): nothing inside a metric value overflows
    cut = page.evaluate(CUT_METRICS)
    assert cut == [], cut


CUT_METRICS = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .filter(m => [m, ...m.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1))
    .map(m => m.innerText)"""


def test_overview_equals_the_cli(server, page, demo_db):
    figures = cli_kpis(demo_db)
    open_page(page, server)
    con = store.connect(demo_db)
    run = partial(store.run, con)
    catalog = load_catalog(run)
    scope = default_scope(catalog)
    assert figures == kpis.all_kpis(run, scope)  # the CLI and the page's functions agree
    data = overview.gather(run, scope, catalog.first_day)
    assert {h.kpi: data.current[h.kpi] for h in overview.HEADLINES} == {
        h.kpi: figures[h.kpi] for h in overview.HEADLINES
    }
    shown = metric_values(page)
    context = overview_cards(figures, data.previous, "zh")
    headlines = overview.headline_cards(data.current, data.previous, data.last_year, data.trend, "zh")
    for card in [*context, *headlines]:
        assert shown[card.label] == card.value, card.kpi
    # a known value from the demo data, spelled out: customers in scope for the default month
    assert shown["范围内客户"] == f"{figures['customers.in_scope']:,} 户"
    # every headline card links to its page with the same scope
    link = page.locator(".st-key-kpi-tickets-response_sla_rate a").first
    assert link.get_attribute("href") == "complaints?from=2026-10-01&to=2026-10-31"


def test_clicking_a_station_drills_down_and_back(server, page, demo_db):
    con = store.connect(demo_db)
    run = partial(store.run, con)
    catalog = load_catalog(run)
    data = overview.gather(run, default_scope(catalog), catalog.first_day)
    stations = data.units[data.units.unit == "station"].sort_values("rank")
    second = stations.iloc[1]  # click the second-ranked station
    open_page(page, server)
    grid = page.locator('.st-key-ov_units_station__ [data-testid="stDataFrameResizable"]')
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 54 + 35)  # the row-selection cell of the second row
    page.wait_for_function(
        f"() => window.location.search.includes('station={second.unit_id}')", timeout=15_000
    )
    wait_ready(page)
    expected = cli_kpis(demo_db, "--station", second.unit_id)
    expect(card_value(page, "customers.in_scope")).to_have_text(f"{expected['customers.in_scope']:,} 户")
    # the ranking now lists the station's routes, and the sidebar says which station
    assert page.locator(f".st-key-ov_units_route_{second.unit_id}_").count() == 1
    sidebar = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.inner_text()
    assert second.unit_name in sidebar
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "overview-drilled.png", full_page=True)
    # a route next, then back to the whole company
    routes_grid = page.locator(
        f'.st-key-ov_units_route_{second.unit_id}_ [data-testid="stDataFrameResizable"]'
    )
    routes_grid.scroll_into_view_if_needed()
    box = routes_grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 54)
    page.wait_for_function("() => window.location.search.includes('route=')", timeout=15_000)
    wait_ready(page)
    assert page.locator(".st-key-ov_customers_downloads").count() == 1  # the route's customers, the last step
    page.get_by_role("button", name="返回 全公司").click()
    page.wait_for_function("() => !window.location.search.includes('station=')", timeout=15_000)
    wait_ready(page)
    expect(card_value(page, "customers.in_scope")).to_have_text(f"{data.current['customers.in_scope']:,} 户")
    assert page.console_errors == []


def test_filter_in_sidebar_sets_url_and_a_copied_url_opens_the_same_view(server, page, browser, demo_db):
    con = store.connect(demo_db)
    station, name = next(iter(load_catalog(partial(store.run, con)).stations.items()))
    con.close()
    open_page(page, server)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.get_by_role("option", name=name, exact=True).click()  # the first option is "select all"
    page.keyboard.press("Escape")
    page.wait_for_function(f"() => window.location.search.includes('station={station}')", timeout=15_000)
    expected = cli_kpis(demo_db, "--station", station)
    expect(card_value(page, "customers.in_scope")).to_have_text(f"{expected['customers.in_scope']:,} 户")
    wait_ready(page)
    shown = metric_values(page)

    # the URL is the view: a new browser context (a colleague) opening it sees the same numbers
    other = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
    open_page(other, location(page))
    assert metric_values(other) == shown
    other.context.close()


def test_a_deep_link_as_the_first_request_after_a_start(demo_db, page):
    # Streamlit's v1 pages/ handling is on until the first st.navigation of a process; `serve` turns
    # it off, so the very first request may name any page
    proc, url = start_server(demo_db)
    try:
        spec = next(p for p in PAGES if not p.is_default)
        open_page(page, f"{url}/{spec.url_path}?lang=en")
        assert (
            page.locator('[data-testid="stMain"] h1')
            .first.inner_text()
            .startswith(t(spec.title_key.removeprefix("nav.") + ".heading", "en"))
        )
        assert page.get_by_text("Page not found").count() == 0
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.console_errors == []
    finally:
        stop_server(proc)


def location(tab) -> str:
    """The address bar now (Playwright's page.url trails history.pushState by a moment)."""
    return tab.evaluate("window.location.href")


def test_page_menu_keeps_the_scope_on_every_page(server, page):
    open_page(page, f"{server}/?station=GD&btype=S&lang=en")
    links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    assert links.count() == len(PAGES) + 1  # and presentation mode's (tests/test_browser_present.py)
    for i, spec in enumerate(PAGES):
        links.nth(i).click()
        page.wait_for_function(f"() => window.location.pathname === '/{spec.url_path}'", timeout=15_000)
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        url = location(page)
        assert "station=GD" in url and "btype=S" in url and "lang=en" in url, url
    assert page.console_errors == []


def test_period_from_url_and_a_bad_param_notice(server, page, demo_db):
    open_page(
        page, f"{server}/?from=2026-09-01&to=2026-09-30&station=NOPE&lang=en&x=[click](http://evil.example)"
    )
    notice = page.locator('[data-testid="stAlert"]').inner_text()
    assert "NOPE" in notice and "[click](http://evil.example)" in notice  # shown as text
    assert page.locator('a[href*="evil"]').count() == 0  # never as a link
    expected = cli_kpis(demo_db, "--from", "2026-09-01", "--to", "2026-09-30")
    scope = Scope(date(2026, 9, 1), date(2026, 9, 30))
    assert expected["tickets.received"] is not None and scope.days == 30
    assert metric_values(page)["Customers in scope"] == f"{expected['customers.in_scope']:,}"
    assert page.console_errors == []


def test_every_table_downloads_as_csv_and_xlsx_in_the_page_language(server, page, demo_db):

    import openpyxl
    import pandas as pd

    open_page(page, f"{server}/?lang=en")
    box = page.locator(".st-key-ov_units_station___downloads")
    box.scroll_into_view_if_needed()
    with page.expect_download() as csv_download:
        box.get_by_role("button", name="CSV").click()
    frame = pd.read_csv(csv_download.value.path(), encoding="utf-8-sig")
    assert csv_download.value.suggested_filename == "Stations-ranked-2026-10-01-2026-10-31.csv"
    assert list(frame.columns[:4]) == ["Rank", "Name", "Customers", "Customer satisfaction"]
    figures = cli_kpis(demo_db, "--station", "GD")
    row = frame[frame.Name == "固堤"].iloc[0]
    assert row["Customers"] == figures["customers.in_scope"]
    assert row["Answered within 24 h (%)"] == round(100 * figures["tickets.response_sla_rate"], 1)
    with page.expect_download() as xlsx_download:
        box.get_by_role("button", name="XLSX").click()
    with open(xlsx_download.value.path(), "rb") as file:  # the download's temp name has no .xlsx
        book = openpyxl.load_workbook(file)
    assert book.active.title == "Stations-ranked" and book.active["B1"].value == "Name"
    # the other pages' tables carry the same two buttons
    open_page(page, f"{server}/complaints?lang=en")
    assert page.locator('[class*="_downloads"] button').count() >= 2
    assert page.console_errors == []
