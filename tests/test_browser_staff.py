"""The staff page in a real browser: its cards equal `kpis --json`, the weak route's manager is the lowest,
the person tab opens on them with the missed visits, the what-if panel reranks, both languages are clean."""

import pytest

from dashboard.i18n import fmt_number
from dashboard.navigation import PAGES
from tests.conftest import ARTIFACTS, open_page, wait_ready
from tests.test_browser import RAW_CODES, card_value, cli_kpis

pytestmark = pytest.mark.browser
STAFF = next(p.url_path for p in PAGES if p.script == "pages/staff.py")


def _lowest(figures: dict) -> tuple[str, float]:
    """The customer manager with the lowest composite in `kpis --json` (ties by id), and the score."""
    scores = {k.split(".")[1]: v for k, v in figures.items() if k.startswith("staff.") and "composite" in k}
    staff_id = min(scores, key=lambda s: (scores[s], s))
    return staff_id, scores[staff_id]


def test_cards_equal_the_cli_and_the_weak_route_manager_is_lowest(server, page, demo_db):
    figures = cli_kpis(demo_db)
    staff_id, composite = _lowest(figures)
    assert staff_id == "CM05"  # the demo's weak route GD03
    open_page(page, f"{server}/{STAFF}")
    assert card_value(page, "visits.planned").inner_text().strip() == f"{figures['visits.planned']:,}"
    assert card_value(page, "visits.done").inner_text().strip() == f"{figures['visits.done']:,}"
    assert card_value(page, "staff-lowest").inner_text().strip() == "冯华兰"  # CM05's name, never the id
    assert fmt_number(composite) in page.locator(".st-key-kpi-staff-lowest").inner_text()
    assert page.console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_person_tab_shows_the_missed_visits_and_what_if_reranks(server, page, lang):
    open_page(page, f"{server}/{STAFF}?lang={lang}")
    zh = lang == "zh"
    page.get_by_role("tab", name="个人明细" if zh else "Person").click()
    wait_ready(page)
    box = page.locator(".st-key-sf_person")
    shown = box.inner_text() + " ".join(i.input_value() for i in box.locator("input").all())
    assert "冯华兰" in shown, shown  # the lowest composite opens first, by name
    summary = page.get_by_text("漏访" if zh else "missed", exact=False).first.inner_text()
    assert summary  # "计划 388 次 · 按计划完成 … · 漏访 … 次"
    page.screenshot(path=ARTIFACTS / f"three-labor-person-{lang}.png", full_page=True)
    for key in ("sf_terms", "sf_visits_box"):  # below the fold: element screenshots for a human to look at
        page.locator(f".st-key-{key}").screenshot(path=ARTIFACTS / f"three-labor-{key}-{lang}.png")
    for tab, key in (
        ("二次考核" if zh else "Assessment", "sf_payroll_box"),
        ("联合走访" if zh else "Joint visits", "sf_joint_chart"),
    ):
        page.get_by_role("tab", name=tab).click()
        wait_ready(page)
        page.locator(f".st-key-{key}").screenshot(path=ARTIFACTS / f"three-labor-{key}-{lang}.png")

    page.get_by_role("tab", name="排名" if zh else "Ranking").click()
    page.get_by_text("假设分析" if zh else "What if", exact=False).first.click()
    box = page.locator(".st-key-sf_w_composite_merit input")
    box.fill("0")
    box.press("Enter")
    wait_ready(page)
    assert page.get_by_text("假设权重" if zh else "Under these weights", exact=False).count() >= 1
    page.screenshot(path=ARTIFACTS / f"three-labor-what-if-{lang}.png", full_page=True)
    text = page.locator('[data-testid="stApp"]').inner_text()
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert "CM05" not in text
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []
