"""The training and residencies page in a real browser: its cards equal `kpis --json`, a station filter
applies, the effect tab shows both groups' sizes; screenshots for a human."""

import pytest

from dashboard.navigation import PAGES
from tests.conftest import ARTIFACTS, open_page, wait_ready
from tests.test_browser import RAW_CODES, card_value, cli_kpis

pytestmark = pytest.mark.browser
PROGRAMS = next(p.url_path for p in PAGES if p.script == "pages/programs.py")


def _card(tab, kpi: str) -> str:
    return card_value(tab, kpi).inner_text().strip()


def test_cards_equal_the_cli_and_a_station_filter_applies(server, page, demo_db):
    figures = cli_kpis(demo_db)
    open_page(page, f"{server}/{PROGRAMS}")
    for kpi in ("training.sessions", "training.attendances", "training.customers_reached", "residency.staff",
                "residency.days"):  # fmt: skip
        assert _card(page, kpi) == f"{figures[kpi]:,}", kpi
    assert _card(page, "residency.avg_days_per_staff") == f"{figures['residency.avg_days_per_staff']:.1f}"

    expected = cli_kpis(demo_db, "--station", "GD")
    open_page(page, f"{server}/{PROGRAMS}?station=GD")
    assert _card(page, "training.sessions") == f"{expected['training.sessions']:,}"
    assert _card(page, "residency.days") == f"{expected['residency.days']:,}"
    assert page.console_errors == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_effect_tab_shows_both_groups(server, page, lang):
    open_page(page, f"{server}/{PROGRAMS}?lang={lang}")
    page.get_by_role("tab", name="效果" if lang == "zh" else "Effect").click()
    wait_ready(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert ("差异中差异" if lang == "zh" else "difference-in-differences") in text
    assert ("服务组（" if lang == "zh" else "Served (") in text  # the group sizes in the legend
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"training-effect-{lang}.png", full_page=True)
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.console_errors == []
