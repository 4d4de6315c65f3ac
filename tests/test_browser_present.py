"""Presentation mode and the meeting pack in a real browser: slides without the sidebar, the scope and the
date on every slide, the keyboard turns them, a URL opens one; the overview's button makes the pack."""

import re

import pytest
from pptx import Presentation

from dashboard import audit, slides
from dashboard.i18n import t
from tests.conftest import ARTIFACTS, open_page, wait_ready

pytestmark = pytest.mark.browser


def _slide_title(page) -> str:
    return page.locator('[data-testid="stMain"] h1').first.inner_text().strip()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_slides_step_through_with_the_scope_fixed(server, page, lang):
    open_page(page, f"{server}/?station=GD&lang={lang}")
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=t("present.switch", lang)).click()
    page.wait_for_function("() => window.location.pathname === '/present'", timeout=15_000)
    wait_ready(page)
    assert page.locator('[data-testid="stSidebar"]').is_hidden()  # no sidebar, no filters
    ARTIFACTS.mkdir(exist_ok=True)
    seen = []
    for number in range(1, len(slides.SLIDES) + 1):
        caption = page.locator(".st-key-slide-head [data-testid='stCaptionContainer']").inner_text()
        assert ("固堤" in caption) and re.search(r"2026", caption)  # the scope and the period
        assert t("slides.page", lang, n=number, total=len(slides.SLIDES)) in caption
        assert page.locator('[data-testid="stException"]').count() == 0
        seen.append(_slide_title(page))
        if number in (1, 4):  # the overview and the satisfaction map, for a human to look at
            page.screenshot(path=ARTIFACTS / f"present-{number}-{lang}.png")
        if number < len(slides.SLIDES):
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                f"() => window.location.search.includes('slide={number + 1}')", timeout=15_000
            )
            wait_ready(page)
        assert "station=GD" in page.evaluate("window.location.search")  # the scope stays fixed
    assert seen[0] == t("overview.heading", lang) and len(set(seen)) == len(seen)
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => window.location.search.includes('slide={len(slides.SLIDES) - 1}')")
    wait_ready(page)
    page.get_by_role("button", name=t("present.exit", lang)).click()
    page.wait_for_function("() => window.location.pathname === '/'", timeout=15_000)
    wait_ready(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert "station=GD" in page.evaluate("window.location.search")
    assert page.console_errors == []


def test_a_url_opens_one_slide(server, page):
    open_page(page, f"{server}/?present=1&from=2026-09-01&to=2026-09-30")
    assert page.evaluate("window.location.pathname") == "/present"
    open_page(page, f"{server}/present?slide=4&from=2026-09-01&to=2026-09-30&lang=en")
    assert _slide_title(page) == t("satisfaction.heading", "en")
    assert "Sep 2026" in page.locator(".st-key-slide-head").inner_text()
    assert page.locator('[data-testid="stDeckGlJsonChart"]').count() == 1  # the live map
    open_page(page, f"{server}/present?slide=99")  # out of range: the last slide, no error
    assert _slide_title(page) == t("programs.heading", "zh")
    assert page.console_errors == []


def test_the_meeting_pack_button_builds_a_deck_to_download(server, page):
    open_page(page, f"{server}/?station=KY")
    page.get_by_role("button", name=t("export.button", "zh")).click()
    page.wait_for_selector(".st-key-ov_pack_files", timeout=300_000)
    wait_ready(page)
    with page.expect_download() as download:
        page.get_by_role("button", name=t("export.pptx", "zh")).click()
    assert download.value.suggested_filename == "会议材料-2026年10月.pptx"
    deck = Presentation(download.value.path())
    assert len(deck.slides) == 1 + len(slides.SLIDES)
    assert "开元" in " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    # who made it, over which scope, is in the audit log
    logged = audit.recent(limit=10_000)
    packs = logged[(logged.action == "export") & logged.detail.str.contains('"meeting-pack"')]
    assert len(packs) >= 1 and '"KY"' in packs.scope.iloc[0] and packs.username.iloc[0] == "admin"
    assert page.console_errors == []
