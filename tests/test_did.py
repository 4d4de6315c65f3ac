"""The difference-in-differences on hand-made frames whose answer is worked out in the comments."""

import pandas as pd
import pytest

from dashboard.metrics.did import did


def _frame(rows):
    return pd.DataFrame(rows, columns=["business_type", "market_type", "is_treated", "before", "after"])


def test_one_stratum_season_cancels():
    # treated 100 -> 120 and 200 -> 220 (mean +20), comparison 100 -> 110 (+10): the season is +10,
    # the effect +10, relative to the treated mean before (150): 10/150
    frame = _frame([("Z", "C", True, 100, 120), ("Z", "C", True, 200, 220), ("Z", "C", False, 100, 110)])
    r = did(frame, "before", "after")
    assert r["effect"] == pytest.approx(10)
    assert r["effect_share"] == pytest.approx(10 / 150)
    assert (r["treated_before"], r["treated_after"]) == (150, 170)
    assert (r["control_before"], r["control_after"]) == (100, 110)
    assert (r["n_treated"], r["n_control"], r["n_strata"]) == (2, 1, 1)


def test_strata_weighted_by_treated_and_unmatched_left_out():
    # stratum Z/C: 1 treated +30, comparison +10 and +20 (mean +15) -> +15
    # stratum S/X: 3 treated each +5, comparison -5 -> +10
    # weights 1/4 and 3/4: effect = 15/4 + 30/4 = 11.25
    # stratum B/C has treated only (no comparison): left out; a row with a missing `after` too.
    # A naive pooled comparison would say: treated mean change (30+15)/4 = 11.25, comparison
    # (10+20-5)/3 = 8.33 -> 2.92, wrong because the pools mix types differently.
    frame = _frame(
        [
            ("Z", "C", True, 100, 130),
            ("Z", "C", False, 100, 110),
            ("Z", "C", False, 100, 120),
            ("S", "X", True, 50, 55),
            ("S", "X", True, 60, 65),
            ("S", "X", True, 70, 75),
            ("S", "X", False, 80, 75),
            ("B", "C", True, 10, 99),
            ("S", "X", False, 80, None),
        ]
    )
    r = did(frame, "before", "after")
    assert r["effect"] == pytest.approx(0.25 * 15 + 0.75 * 10)
    assert (r["n_treated"], r["n_control"], r["n_strata"]) == (4, 3, 2)
    # comparison means reweighted to the treated mix: before 0.25*100 + 0.75*80 = 85
    assert r["control_before"] == pytest.approx(85)
    assert r["treated_before"] == pytest.approx(0.25 * 100 + 0.75 * 60)


def test_no_comparison_group_gives_none():
    r = did(_frame([("Z", "C", True, 1, 2)]), "before", "after")
    assert r["effect"] is None and r["n_treated"] == 0
    assert did(_frame([]), "before", "after")["effect"] is None
