"""The nine-grid page in Chromium: the demo store's board after its overhaul, and the store picker."""

import pytest

from dashboard.demo import DEMO_FACTS
from dashboard.navigation import PAGES
from tests.conftest import ARTIFACTS, open_page, wait_ready

pytestmark = pytest.mark.browser
NINE_GRID = next(p.url_path for p in PAGES if p.script == "pages/nine_grid.py")
STORE = DEMO_FACTS["nine_grid_customer_id"]


def picked(tab) -> str:
    """The option the store picker shows (a searchable selectbox keeps it in its input)."""
    return tab.locator('[data-testid="stSelectbox"] input').first.input_value()


def test_the_store_board_after_its_overhaul(server, page):
    open_page(page, f"{server}/{NINE_GRID}?customer={STORE}&from=2026-05-01&to=2026-10-31")
    board = page.locator(".js-plotly-plot").first
    assert "36 个商品" in board.inner_text() and "32 个商品" in board.inner_text()  # hits, slow sellers
    # the picker shows the store, the sidebar says the scope is that one customer
    assert "家家乐超市" in picked(page)
    assert "家家乐超市" in page.locator('[data-testid="stSidebar"]').inner_text()
    page.screenshot(path=ARTIFACTS / "nine-grid-store-zh.png", full_page=True)
    assert page.console_errors == []


def test_choosing_all_stores_widens_the_scope(server, page):
    open_page(page, f"{server}/{NINE_GRID}?customer={STORE}")
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option").first.click()  # all stores
    page.wait_for_function("() => !window.location.search.includes('customer=')", timeout=15_000)
    wait_ready(page)
    assert "全部云 POS 门店" in picked(page)
