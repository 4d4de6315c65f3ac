"""The overview: targets judged, gross profit by hand, and the unit table and the sparklines held equal
to the area functions' own KPIs (on the fixture and the demo DB), cards and reasons in both languages."""

import math
from dataclasses import replace
from datetime import date
from functools import partial

import pandas as pd
import pytest

from dashboard import kpis, overview, store, tickets
from dashboard.scope import Scope, month_end
from tests.fixture_db import build_fixture

OCT = Scope(date(2026, 10, 1), date(2026, 10, 31))

# October 2025 for customer 1 (1,000 + 200 gross profit), so October 2026 has a last year to compare.
LAST_YEAR_ROWS = "insert into customer_monthly values (1, '2025-10-01', 9000, 1000, 1500, 200);"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    con = store.connect(build_fixture(tmp_path_factory.mktemp("overview") / "f.duckdb", LAST_YEAR_ROWS))
    yield partial(store.run, con)
    con.close()


@pytest.mark.parametrize(
    ("value", "rule", "expected"),
    [
        (85.0, ("min", 85.0), "met"),  # on the line is on target
        (84.99, ("min", 85.0), "missed"),
        (0.25, ("max", 0.25), "met"),
        (0.26, ("max", 0.25), "missed"),
        (None, ("min", 1.0), None),  # not computable: no verdict either way
        (math.nan, ("min", 1.0), None),
        (1.0, None, None),  # no target set
    ],
)
def test_judge(value, rule, expected):
    assert overview.judge(value, rule) == expected


def test_every_card_has_a_target_and_the_sla_rates_take_the_tickets_one():
    rules = overview.targets()
    assert rules["satisfaction.overall_mean"] == ("min", 85.0)
    assert rules["nine_grid.slow_share"] == ("max", 0.25)
    sla = tickets.targets()["sla_rate"]
    assert rules["tickets.response_sla_rate"] == rules["tickets.resolution_sla_rate"] == ("min", sla)
    assert all((h.target_kpi or h.kpi) in rules for h in overview.HEADLINES)


def test_gross_profit_by_hand(run):
    # October: customer 1 1,300 + 500, customer 4 3,200 + 1,600; October 2025: customer 1 1,000 + 200
    assert kpis.gross_profit(run, OCT) == pytest.approx(
        {
            "customers.gross_profit_yuan": 6600.0,
            "customers.gross_profit_last_year_yuan": 1200.0,
            "customers.gross_profit_yoy": 6600 / 1200 - 1,
        }
    )
    station_2 = kpis.gross_profit(run, replace(OCT, stations=("S2",)))  # customer 4 alone; none last year
    assert station_2["customers.gross_profit_yuan"] == 4800.0
    assert station_2["customers.gross_profit_last_year_yuan"] == 0.0
    assert station_2["customers.gross_profit_yoy"] is None  # growth from nothing is not a number


def test_no_last_year_before_the_data(fixture_run):
    # the plain fixture starts in September 2026: October 2025 is before it, so no comparison
    figures = kpis.gross_profit(fixture_run, OCT)
    assert figures["customers.gross_profit_yuan"] == 6600.0
    assert figures["customers.gross_profit_last_year_yuan"] is None


def _same(a, b) -> bool:
    if a is None or a is pd.NA or (isinstance(a, float) and math.isnan(a)):
        return b is None or (isinstance(b, float) and math.isnan(b))
    return b is not None and a == pytest.approx(b)


def _unit_scope(scope: Scope, row) -> Scope:
    return replace(
        scope, **({"stations": (row.unit_id,)} if row.unit == "station" else {"routes": (row.unit_id,)})
    )


def _check_units(run, scope: Scope, units=None) -> int:
    frame = overview.units(run, scope)
    checked = 0
    for row in frame.itertuples(index=False):
        if units is not None and row.unit_id not in units:
            continue
        expected = overview.headline_kpis(run, _unit_scope(scope, row))
        values = frame[(frame.unit == row.unit) & (frame.unit_id == row.unit_id)].iloc[0]
        for name in [*overview.UNIT_MEASURES.values(), *overview.UNIT_COUNTS.values()]:
            assert _same(values[name], expected[name]), (
                row.unit,
                row.unit_id,
                name,
                values[name],
                expected[name],
            )
        checked += 1
    return checked


def test_unit_table_equals_the_kpis_of_each_unit_on_the_fixture(run):
    assert _check_units(run, OCT) == 5  # stations S1, S2 and routes R1, R2, R3
    assert _check_units(run, replace(OCT, btypes=("Z",))) > 0  # a filter narrows every unit alike


def test_unit_table_equals_the_kpis_of_each_unit_on_the_demo(demo_run):
    scope = Scope(date(2026, 10, 1), date(2026, 10, 31))
    # every station, and the weak route GD03 with two of its neighbours
    assert _check_units(demo_run, scope, {"HT", "KY", "GD", "GL", "ZL", "GD03", "GD04", "KY01"}) == 8


def test_fixture_station_hand_worked(run):
    frame = overview.units(run, OCT).set_index("unit_id")
    assert frame.loc["S1", "satisfaction.overall_mean"] == pytest.approx(75.0)  # (90 + 65 + 70) / 3
    assert frame.loc["S1", "tickets.response_sla_rate"] == 1.0  # t1 in 2 h; t2 is 1 s old at E: left out
    assert frame.loc["S2", "tickets.response_sla_rate"] == 0.0  # t5 answered after 48 h
    assert frame.loc["R2", "satisfaction.overall_mean"] == pytest.approx(70.0)  # customer 3
    assert frame.loc["S1", "station_name"] == frame.loc["R2", "station_name"] == "东站"


@pytest.mark.parametrize("which", ["fixture", "demo"])
def test_sparkline_points_equal_each_months_kpis(which, run, demo_run):
    runner, months = (run, [date(2026, 9, 1), date(2026, 10, 1)]) if which == "fixture" else (
        demo_run, [date(2026, 1, 1), date(2026, 10, 1)]
    )  # fmt: skip
    trend = overview.trend(runner, OCT, months)
    for month in months:
        expected = overview.headline_kpis(runner, Scope(month, month_end(month)))
        for name in [*(h.kpi for h in overview.HEADLINES), *overview.TREND_COUNTS.values()]:
            assert _same(trend.loc[month, name], expected[name]), (month, name)


@pytest.mark.parametrize("which", ["fixture", "demo"])
def test_a_month_its_period_before_and_last_year_are_its_trend_rows(which, run, demo_run):
    # what the cards and the context row show and compare with: the same values and types as the area
    # functions give for those months, for the company (its month kept by the rollups), a station, a route,
    # a business type, and a month whose last year precedes the data (no growth of the gross profit)
    runner, first_day = (run, date(2025, 10, 1)) if which == "fixture" else (demo_run, date(2024, 11, 1))
    narrowed = [{}, {"stations": ("GD" if which == "demo" else "S1",)}, {"btypes": ("B",)}]
    narrowed += (
        [{"routes": ("GD03",)}, {"date_from": date(2025, 3, 1), "date_to": date(2025, 3, 31)}]
        if (which == "demo")
        else [{"stations": ("S1",), "date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30)}]
    )
    monthly = {
        *overview.TREND_COLUMNS.values(),
        *overview.TREND_COUNTS.values(),
        *overview.TREND_EXTRAS.values(),
    }
    monthly |= {"staff.composite_mean", "nine_grid.slow_sellers", "nine_grid.slow_share"}
    for given in narrowed:
        scope = replace(OCT, **given)
        data = overview.gather(runner, scope, first_day)
        expected = overview.headline_kpis(runner, scope)
        assert set(overview.SHOWN_KPIS) <= set(data.current), given
        for name in overview.SHOWN_KPIS:
            value = data.current[name]
            assert _same(value, expected[name]) and type(value) is type(expected[name]), (given, name)
        for shown, period in ((data.previous, scope.previous()), (data.last_year, scope.last_year())):
            if not overview._comparable(period, first_day):
                assert all(value is None for value in shown.values()), given
                continue
            expected = overview.headline_kpis(runner, period)
            assert set(shown) == monthly
            for name, value in shown.items():
                assert _same(value, expected[name]) and type(value) is type(expected[name]), (given, name)
        assert list(data.trend.index) == overview.trend_months(scope, first_day)  # 12 months, no more


def test_trend_months_stop_at_the_data_start():
    assert overview.trend_months(OCT, date(2026, 9, 1)) == [date(2026, 9, 1), date(2026, 10, 1)]
    assert len(overview.trend_months(OCT, date(2020, 1, 1))) == overview.TREND_MONTHS
    assert overview.trend_months(OCT, None)[0] == date(2025, 11, 1)


def test_cards_read_right_in_both_languages(run):
    data = overview.gather(run, OCT, date(2025, 10, 1))
    zh = {
        c.kpi: c
        for c in overview.headline_cards(data.current, data.previous, data.last_year, data.trend, "zh")
    }
    en = {
        c.kpi: c
        for c in overview.headline_cards(data.current, data.previous, data.last_year, data.trend, "en")
    }
    card = zh["satisfaction.overall_mean"]
    assert (card.value, card.delta, card.status) == ("76.2 分", "+7.9", "missed")  # 76.25 vs 68.33, < 85
    # a year earlier the only survey in the window is customer 2's 50 of 31 Oct 2025: 76.25 - 50
    assert card.target == "目标 ≥ 85.0 分" and card.versus_last_year == "同比 +26.2"
    assert en["satisfaction.overall_mean"].target == "Target ≥ 85.0 pts"
    profit = zh["customers.gross_profit_yuan"]
    assert profit.value == "6,600元" and en["customers.gross_profit_yuan"].value == "¥6.60k"
    assert profit.versus_last_year == "同比 +450.0%" and profit.status == "met"  # 6,600 vs 1,200
    assert profit.target == "目标 毛利同比 ≥ +3.0%（现 +450.0%）"
    assert zh["visits.done_rate"].value == "80.0%" and zh["visits.done_rate"].delta == "-20.0 个百分点"
    assert zh["nine_grid.slow_sellers"].delta_color == "off"  # no change: no colour
    assert len(zh["satisfaction.overall_mean"].spark) == 12  # Nov 2025 .. Oct 2026, oldest first
    assert zh["satisfaction.overall_mean"].spark[-2:] == pytest.approx([205 / 3, 76.25])


def test_attention_names_the_units_below_target_with_the_reason(run):
    data = overview.gather(run, OCT)
    needing = overview.attention(data.units, "zh")
    reasons = dict(zip(needing.unit_id, needing.reasons, strict=True))
    assert "24小时响应率 0.0%（目标 ≥ 90.0%）" in reasons["S2"]
    assert "客户满意度 75.0 分（目标 ≥ 85.0 分）" in reasons["S1"]
    assert list(needing.n_missed) == sorted(needing.n_missed, reverse=True)  # worst first
    english = overview.attention(data.units, "en")
    assert (
        "Answered within 24 h 0.0% (target ≥ 90.0%)"
        in dict(zip(english.unit_id, english.reasons, strict=True))["S2"]
    )


def test_units_rank_by_targets_met_ties_by_id(run):
    ranked = overview.judged(overview.units(run, OCT).query("unit == 'route'"))
    assert list(ranked["rank"]) == [1, 2, 3]
    keys = list(zip(ranked.n_missed, -ranked.n_met, ranked.unit_id, strict=True))
    assert keys == sorted(keys)


def test_unit_level_follows_the_drill():
    assert overview.unit_level(OCT) == "station"
    assert overview.unit_level(replace(OCT, stations=("S1",))) == "route"
    assert overview.unit_level(replace(OCT, routes=("R1",))) == "route"


def test_a_change_that_rounds_to_zero_reads_as_no_change():
    # a tiny fall must not show as a red "-0.0" on a card (it did, on a station's visits vs plan)
    assert overview.fmt_change(0.9480, 0.9484, "pct", "zh") == "0.0 个百分点"
    assert overview.fmt_change(100.0, 100.04, "yuan", "en") == "0.0%"
    assert overview.fmt_change(102.0, 100.0, "yuan", "en") == "+2.0%"
    assert overview.fmt_change(97.0, 100.0, "yuan", "en") == "-3.0%"
