"""The tickets page in a real browser: its cards equal `kpis --json`, the scope filters apply, the work list
is one click away, a clicked ticket shows its timeline, and a year's view is screenshotted for a human."""

from datetime import date
from functools import partial

import pytest

from dashboard import store, tickets
from dashboard.navigation import PAGES
from dashboard.scope import Scope
from tests.conftest import ARTIFACTS, open_page, wait_ready
from tests.test_browser import RAW_CODES, card_value, cli_kpis

pytestmark = pytest.mark.browser
TICKETS = next(p.url_path for p in PAGES if p.script == "pages/tickets.py")


def _card(tab, kpi: str) -> str:
    return card_value(tab, kpi).inner_text().strip()


def _data(demo_db, scope):
    con = store.connect(demo_db)
    try:
        return tickets.gather(partial(store.run, con), scope)
    finally:
        con.close()


def test_cards_equal_the_cli_and_a_station_filter_applies(server, page, demo_db):
    figures = cli_kpis(demo_db)
    open_page(page, f"{server}/{TICKETS}")
    assert _card(page, "tickets.received") == f"{figures['tickets.received']:,}"
    assert _card(page, "tickets.response_sla_rate") == f"{100 * figures['tickets.response_sla_rate']:.1f}%"
    assert _card(page, "tickets.backlog") == f"{figures['tickets.backlog']:,}"

    expected = cli_kpis(demo_db, "--station", "GD")
    open_page(page, f"{server}/{TICKETS}?station=GD")
    assert _card(page, "tickets.received") == f"{expected['tickets.received']:,}"
    assert (
        _card(page, "tickets.resolution_sla_rate") == f"{100 * expected['tickets.resolution_sla_rate']:.1f}%"
    )
    assert expected["tickets.received"] < figures["tickets.received"]
    assert page.console_errors == []


def test_work_list_one_click_and_a_ticket_timeline(server, page):
    open_page(page, f"{server}/{TICKETS}?lang=en")
    page.get_by_role("tab", name="Backlog & work list").click()
    page.wait_for_timeout(500)
    assert page.get_by_text("Work list: tickets open at the period end").is_visible()
    page.get_by_role("tab", name="Tickets").click()
    page.wait_for_timeout(500)
    grid = page.locator('.st-key-tk_table [data-testid="stDataFrameResizable"]')
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 12, box["y"] + 54)  # the row-selection cell of the first ticket
    page.wait_for_selector(".st-key-tk_timeline", timeout=15_000)
    wait_ready(page)
    assert "timeline" in page.locator(".st-key-tk_timeline").inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_year_shows_the_spring_festival_peak_and_the_weak_route(server, page, demo_db, lang):
    scope = Scope(date(2025, 11, 1), date(2026, 10, 31))
    data = _data(demo_db, scope)
    # the planted signals, read from the data the page shows: the busiest weeks fall in Jan-Feb 2026,
    # and route GD03 (customer manager CM05) resolves fewest tickets on time
    weeks = data.volume.groupby("bucket")["n_tickets"].sum()
    assert weeks.idxmax().month in (1, 2)
    routes = data.ranking[data.ranking["unit"] == "route"].sort_values(["resolution_sla_rate", "unit_id"])
    assert routes["unit_id"].iloc[0] == "GD03"

    open_page(page, f"{server}/{TICKETS}?from=2025-11-01&to=2026-10-31&lang={lang}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"tickets-year-{lang}.png", full_page=True)
    page.get_by_role("tab", name="排名" if lang == "zh" else "Ranking").click()
    wait_ready(page)
    page.locator(".st-key-tk_rank_route_resolution_sla_rate").screenshot(
        path=ARTIFACTS / f"tickets-ranking-{lang}.png"
    )
    page.get_by_role("tab", name="闭环与时效" if lang == "zh" else "Loop & times").click()
    wait_ready(page)
    page.screenshot(path=ARTIFACTS / f"tickets-loop-{lang}.png", full_page=True)
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []
