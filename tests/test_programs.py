"""Training and residencies on the hand-checkable fixture (tests/fixture_db.py), October 2026.

Sessions at in-scope stations in October: ts1 (S1 classroom, 10-10, attended by c1 and c2) and ts2 (S2
livestream, rural, 10-31, 100 viewers); ts3 is in November, ts4 in September.
Active customers opened by 31 Oct: c1, c2, c4, c5 (c3 is suspended, c6 opens in November).
Residencies starting in October: r1, r2 (SH1 at c1, c2: 3 + 2 days), r3 (CM2 at c4, 1 day).
"""

from datetime import date

import pytest

from dashboard import kpis, programs
from dashboard.scope import Scope

OCT = (date(2026, 10, 1), date(2026, 10, 31))


def test_kpis_by_hand(fixture_run):
    assert programs.program_kpis(fixture_run, Scope(*OCT)) == {
        "training.sessions": 2,  # ts1, ts2
        "training.rural_sessions": 1,  # ts2
        "training.attendances": 102,  # 2 attendance rows at ts1 + 100 livestream viewers of ts2
        "training.customers_reached": 2,  # c1, c2
        "training.coverage": 0.5,  # 2 of the 4 active customers
        "training.livestream_viewers": 100,
        "residency.staff": 2,  # SH1, CM2
        "residency.stores": 3,  # c1, c2, c4
        "residency.days": 6,  # 3 + 2 + 1
        "residency.avg_days_per_staff": 3.0,  # 6 / 2
    }


def test_kpis_of_one_station_by_hand(fixture_run):
    figures = programs.program_kpis(fixture_run, Scope(*OCT, stations=("S1",)))
    assert figures["training.sessions"] == 1 and figures["training.rural_sessions"] == 0  # ts1 only
    assert figures["training.attendances"] == 2  # no livestream at S1
    assert figures["training.coverage"] == 1.0  # c1, c2 of the active c1, c2 (c3 suspended)
    assert (figures["residency.staff"], figures["residency.days"]) == (1, 5)
    assert figures["residency.avg_days_per_staff"] == 5.0


def test_registry_agrees_with_the_overview(fixture_run):
    # the overview computes five of these too; the registry raises if the two ever disagree
    figures = kpis.all_kpis(fixture_run, Scope(*OCT))
    assert figures["training.sessions"] == 2 and figures["residency.avg_days_per_staff"] == 3.0


def test_page_data_by_hand(fixture_run):
    data = programs.gather(fixture_run, Scope(*OCT), OCT)
    fmt = data.training_by[data.training_by.dimension == "format"].set_index("code")
    assert fmt.loc["classroom", "n_attendances"] == 2 and fmt.loc["livestream", "n_attendances"] == 100
    # trained in the 12 months to 31 Oct: c1, c2 (ts1), c4 (ts4): of the active c1, c2, c4, c5 only c5 is left
    assert data.untrained["customer_id"].tolist() == [5]
    assert data.residencies["residency_id"].tolist() == [1, 2, 3]
    assert data.residencies["end_on"].astype(str).tolist() == ["2026-10-05", "2026-10-21", "2026-10-31"]
    by_station = programs.residency_by(data.residencies, "station").set_index("station_name")
    assert by_station.loc["东站", "days_per_staff"] == 5.0


def test_effect_groups(fixture_run):
    # first served: c1 residency 30 Sep (before the period: neither group), c2 ts1 10 Oct (served),
    # c4 guidance 10 Sep (neither); c5 and c6 never served (comparison); c3 is suspended (left out)
    customers = programs.effect_customers(fixture_run, Scope(*OCT), OCT, window=1)
    groups = customers.set_index("customer_id")["is_treated"].to_dict()
    assert groups == {2: True, 5: False, 6: False}
    result = programs.effect(fixture_run, Scope(*OCT), OCT, window=1)
    assert result["gross_profit"]["effect"] is None  # no months before/after for them: not computable


@pytest.mark.parametrize(
    ("last_day", "expected"),
    [
        (date(2026, 10, 31), (date(2026, 5, 1), date(2026, 7, 31))),  # after window Aug-Oct
        (date(2026, 10, 15), (date(2026, 4, 1), date(2026, 6, 30))),  # October is not whole: Sep is last
    ],
)
def test_effect_period(last_day, expected):
    assert programs.effect_period(last_day) == expected


def test_demo_effect_shows_the_planted_uplift(demo_run):
    # DEMO_FACTS: served customers gain ~9 % gross profit (half of it in the first month) and +4.5 points
    result = programs.effect(demo_run, Scope(*OCT), (date(2026, 4, 1), date(2026, 6, 30)))
    gp, sat = result["gross_profit"], result["satisfaction"]
    assert 0.04 < gp["effect_share"] < 0.14 and gp["n_treated"] >= 20 and gp["n_control"] > 300
    assert 1 < sat["effect"] < 8
