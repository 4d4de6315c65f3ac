"""The customer profile in a real browser: opened by URL it shows the right store, its next-visit list,
and a link from the tickets work list leads to it; screenshots for a human."""

import pytest

from dashboard.demo import DEMO_FACTS
from dashboard.navigation import PAGES
from tests.conftest import ARTIFACTS, open_page, wait_ready
from tests.test_browser import RAW_CODES

pytestmark = pytest.mark.browser
PROFILE = next(p.url_path for p in PAGES if p.script == "pages/customer.py")
STORE = DEMO_FACTS["nine_grid_customer_id"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_by_url_shows_the_store(server, page, lang):
    open_page(page, f"{server}/{PROFILE}?customer={STORE}&from=2026-10-01&to=2026-10-31&lang={lang}")
    main = page.locator('[data-testid="stMain"]')
    assert main.locator("h2").first.inner_text().strip() == "家家乐超市"
    assert "370703229623" in main.inner_text()
    todo = page.locator(".st-key-cp-next-visit").inner_text()
    assert ("下次拜访要做的事" if lang == "zh" else "What to do on the next visit") in todo
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"customer-{STORE}-{lang}.png", full_page=True)
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []


def test_search_finds_a_store_by_its_licence(server, page):
    open_page(page, f"{server}/{PROFILE}")
    page.get_by_label("查找客户（店名、负责人或许可证号）").fill("370703229623")
    page.keyboard.press("Enter")
    wait_ready(page)
    page.locator(".st-key-cp_pick").click()
    page.get_by_role("option").first.click()
    wait_ready(page)
    assert page.locator('[data-testid="stMain"] h2').first.inner_text().strip() == "家家乐超市"
    assert f"customer={STORE}" in page.url
    assert page.console_errors == []
