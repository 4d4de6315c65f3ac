"""The satisfaction map in a real browser: the deck.gl canvas draws with no tile or style host asked,
its numbers equal `python -m dashboard kpis --json`, and clicking a customer opens its details."""

import io
import math
import time
from functools import partial
from urllib.parse import urlparse

import pytest
from PIL import Image

from dashboard import maps, satisfaction, store
from dashboard.catalog import load_catalog
from dashboard.i18n import fmt_count, fmt_number
from dashboard.navigation import PAGES
from dashboard.scope import default_scope
from tests.conftest import ARTIFACTS, open_page, wait_ready
from tests.test_browser import cli_kpis

pytestmark = pytest.mark.browser

MAP = '[data-testid="stDeckGlJsonChart"]'
SATISFACTION = next(p.url_path for p in PAGES if p.script == "pages/satisfaction.py")


def record_requests(tab) -> list[str]:
    urls: list[str] = []
    tab.on("request", lambda request: urls.append(request.url))
    return urls


def outside(urls: list[str]) -> list[str]:
    """Requests to anything but this machine's server (data: and blob: URLs stay in the page)."""
    return [
        u
        for u in urls
        if urlparse(u).scheme not in ("data", "blob")
        and urlparse(u).hostname not in ("127.0.0.1", "localhost")
    ]


def wait_for_map(tab):
    tab.wait_for_selector(f"{MAP} canvas", timeout=30_000)
    tab.wait_for_timeout(1500)  # deck.gl draws on the next animation frames
    return tab.locator(MAP).first


def colours(element) -> Image.Image:
    return Image.open(io.BytesIO(element.screenshot())).convert("RGB")


def wait_for_red_points(tab, deck, timeout_s: float = 30) -> None:
    """Until the low band's points are on the canvas (on a loaded machine deck.gl draws them late, and a
    click before that picks nothing)."""
    red = maps.BAND_COLORS["low"]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        pixels = colours(deck).getcolors(maxcolors=1_000_000) or []
        if any(sum(abs(a - b) for a, b in zip(rgb, red, strict=True)) < 40 for _, rgb in pixels):
            return
        tab.wait_for_timeout(500)
    raise AssertionError("the map's red points were not drawn")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_draws_offline_and_numbers_equal_the_cli(server, page, demo_db, lang):
    urls = record_requests(page)
    open_page(page, f"{server}/{SATISFACTION}?lang={lang}")
    deck = wait_for_map(page)
    image = colours(deck)
    ARTIFACTS.mkdir(exist_ok=True)
    image.save(ARTIFACTS / f"satisfaction-deck-{lang}.png")
    pixels = image.getcolors(maxcolors=1_000_000) or []
    assert len(pixels) > 50, "the map canvas is blank"
    # red (< 70) points of the weak route are drawn: pixels close to the low band's colour
    red = maps.BAND_COLORS["low"]
    assert any(sum(abs(a - b) for a, b in zip(rgb, red, strict=True)) < 40 for _, rgb in pixels), (
        "no point of the < 70 band on the map"
    )
    assert outside(urls) == [], "the map asked an outside host (tiles or a style)"
    assert page.console_errors == []

    figures = cli_kpis(demo_db)
    value = page.locator('.st-key-sat-kpi-follow-up [data-testid="stMetricValue"]').inner_text().strip()
    assert value == fmt_count(figures["satisfaction.follow_up_count"], lang)
    mean = page.locator('.st-key-sat-kpi-mean [data-testid="stMetricValue"]').inner_text()
    assert mean.startswith(fmt_number(figures["satisfaction.overall_mean"]))


def test_station_filter_from_url_equals_the_cli(server, page, demo_db):
    open_page(page, f"{server}/{SATISFACTION}?station=GD")
    wait_for_map(page)
    figures = cli_kpis(demo_db, "--station", "GD")
    low = page.locator('.st-key-sat-kpi-low [data-testid="stMetricValue"]').inner_text().strip()
    assert low == fmt_count(figures["satisfaction.low_count"], "zh")
    page.screenshot(path=ARTIFACTS / "satisfaction-GD-zh.png", full_page=True)
    assert page.console_errors == []


def test_clicking_a_customer_opens_its_details(server, page, demo_db):
    con = store.connect(demo_db)
    run = partial(store.run, con)
    scope = default_scope(load_catalog(run))
    frame = satisfaction.customers(run, scope)
    areas = maps.service_areas(maps.load_areas(), run("satisfaction/stations", {}), "zh")
    con.close()
    view = maps.view_state(areas)
    # the lowest-scored customer of the weak route: drawn red, on top of its neighbours' colours
    target = frame[frame.route_id == "GD03"].sort_values("overall").iloc[0]

    open_page(page, f"{server}/{SATISFACTION}")
    deck = wait_for_map(page)
    wait_for_red_points(page, deck)
    box = deck.bounding_box()

    def merc(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    scale = 512 * 2**view.zoom
    x = box["width"] / 2 + (target.lon - view.longitude) / 360 * scale
    y = box["height"] / 2 - (merc(target.lat) - merc(view.latitude)) / (2 * math.pi) * scale
    page.mouse.click(box["x"] + x, box["y"] + y)
    details = page.locator(".st-key-sat-details")
    details.get_by_text("店名").wait_for(timeout=60_000)  # a customer's card replaced the hint
    wait_ready(page)
    assert page.console_errors == []
