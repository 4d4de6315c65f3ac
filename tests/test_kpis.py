"""KPIs on the fixture DB; the expected values are worked out in tests/fixture_db.py's comments."""

from datetime import date

import pytest

from dashboard import kpis
from dashboard.scope import Scope

OCT = (date(2026, 10, 1), date(2026, 10, 31))

EXPECTED_OCTOBER = {
    "customers.in_scope": 5,  # customers 1-5 opened by 31 Oct; 6 opens 5 Nov
    "customers.active": 4,  # customer 3 is suspended
    "satisfaction.surveyed": 4,
    "satisfaction.overall_mean": 76.25,  # (90 + 65 + 70 + 80) / 4
    "satisfaction.low_count": 1,  # customer 2's 65
    "tickets.received": 3,
    "visits.planned": 5,
    "visits.done": 4,
    "visits.done_rate": 0.8,  # 4 / 5
    "customers.gross_profit_yuan": 6600.0,  # customer 1 1,300 + 500, customer 4 3,200 + 1,600
    "customers.gross_profit_last_year_yuan": None,  # October 2025 is before the data
    "customers.gross_profit_yoy": None,
    "training.sessions": 2,
    "training.rural_sessions": 1,
    "training.customers_reached": 2,  # customers 1 and 2 at ts1; ts2 is a livestream
    "training.coverage": 0.5,  # 2 of the 4 active customers (3 is suspended, 6 opens in November)
    "residency.staff": 2,
    "residency.stores": 3,
    "residency.days": 6,
    "residency.avg_days_per_staff": 3.0,  # 6 days / 2 staff
}


def test_october_whole_company(fixture_run):
    assert kpis.overview(fixture_run, Scope(*OCT)) == pytest.approx(EXPECTED_OCTOBER)


def test_previous_period_is_september(fixture_run):
    figures = kpis.overview(fixture_run, Scope(*OCT).previous())
    assert figures["satisfaction.overall_mean"] == pytest.approx(205 / 3)  # (60 + 65 + 80) / 3
    assert figures["satisfaction.low_count"] == 2  # 60 and 65
    assert figures["tickets.received"] == 1  # t4 at 23:00 on 30 Sep
    assert figures["visits.planned"] == 1
    assert figures["training.sessions"] == 1
    assert figures["residency.avg_days_per_staff"] == 2.0


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        # station S1: customers 1-3
        (
            {"stations": ("S1",)},
            {
                "customers.in_scope": 3,
                "tickets.received": 2,
                "visits.planned": 4,
                "visits.done": 3,
                "training.sessions": 1,
                "training.rural_sessions": 0,
                "residency.staff": 1,
                "residency.stores": 2,
                "residency.avg_days_per_staff": 5.0,
                "satisfaction.overall_mean": 75.0,
            },  # (90 + 65 + 70) / 3
        ),
        # route R3 narrows the training count to its station S2: ts2 only
        ({"routes": ("R3",)}, {"customers.in_scope": 2, "training.sessions": 1, "tickets.received": 1}),
        # business type B: customer 2 alone
        (
            {"btypes": ("B",)},
            {"customers.in_scope": 1, "tickets.received": 1, "satisfaction.overall_mean": 65.0},
        ),
        # rural customers: 3 and 4 (6 opens in November)
        ({"markets": ("X",)}, {"customers.in_scope": 2, "satisfaction.surveyed": 2, "visits.done": 1}),
    ],
)
def test_filters_narrow_every_figure(fixture_run, filters, expected):
    figures = kpis.overview(fixture_run, Scope(*OCT, **filters))
    assert {k: figures[k] for k in expected} == pytest.approx(expected)


def test_nothing_in_scope_gives_null_not_zero_for_means(fixture_run):
    # business type M has no customers: counts are 0, a mean or ratio cannot be computed
    figures = kpis.overview(fixture_run, Scope(*OCT, btypes=("M",)))
    assert figures["customers.in_scope"] == 0
    assert figures["satisfaction.overall_mean"] is None
    assert figures["residency.avg_days_per_staff"] is None


def test_no_comparison_with_a_period_before_the_data(fixture_run):
    # the fixture starts on 1 Sep 2026: September's previous period (August) has no data to compare with
    from dashboard import overview

    data = overview.gather(fixture_run, Scope(date(2026, 9, 1), date(2026, 9, 30)), date(2026, 9, 1))
    assert data.current["tickets.received"] == 1
    assert set(data.previous.values()) == {None} and set(data.last_year.values()) == {None}
    data = overview.gather(fixture_run, Scope(*OCT), date(2026, 9, 1))
    assert data.previous["tickets.received"] == 1


def test_cards_read_right_in_both_languages(fixture_run):
    from dashboard.cards import overview_cards

    current, previous = (
        kpis.overview(fixture_run, Scope(*OCT)),
        kpis.overview(fixture_run, Scope(*OCT).previous()),
    )
    zh = {c.kpi: c for c in overview_cards(current, previous, "zh")}
    en = {c.kpi: c for c in overview_cards(current, previous, "en")}
    assert "satisfaction.overall_mean" not in zh  # a headline card (tests/test_overview.py), not context
    assert zh["tickets.received"].delta == "+2" and zh["tickets.received"].delta_color == "inverse"
    assert zh["residency.stores"].delta_color == "normal"
    assert zh["customers.in_scope"].delta == "+1" and zh["customers.in_scope"].delta_arrow == "auto"
    assert zh["visits.done"].caption == "计划 5 次 · 完成率 80.0%"
    assert en["residency.stores"].caption == "2 staff, 6 days"
    # no previous figures: no delta, no arrow
    lonely = overview_cards(current, dict.fromkeys(current), "en")
    assert all(c.delta is None and c.delta_arrow == "off" and c.delta_color == "off" for c in lonely)


def test_one_customer_narrows_every_figure(fixture_run):
    # customer 1: ticket t1, plans on 5 and 19 Oct, visit v1 (v4 is a callback), r1 at SH1 for 3 days
    figures = kpis.overview(fixture_run, Scope(*OCT, customer=1))
    assert figures["customers.in_scope"] == 1
    assert figures["tickets.received"] == 1
    assert (figures["visits.planned"], figures["visits.done"]) == (2, 1)
    assert figures["satisfaction.overall_mean"] == 90.0
    assert (figures["residency.stores"], figures["residency.days"]) == (1, 3)
    assert figures["training.sessions"] == 1  # ts1 at its station S1
