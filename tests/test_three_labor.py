"""The three-labor formulas (DESIGN.md section 5) on hand-made cases, the arithmetic in the comments."""

import math

import pandas as pd
import pytest

from dashboard.metrics import three_labor as tl
from dashboard.staff import DEFAULTS

W = DEFAULTS


def approx(value):
    return pytest.approx(value, abs=1e-9)


def test_weighted_rescales_when_a_term_is_left_out():
    # all there: 0.5*1 + 0.3*0.5 + 0.2*0 = 0.65
    assert tl.weighted({"a": 1, "b": 0.5, "c": 0}, {"a": 0.5, "b": 0.3, "c": 0.2}) == approx(0.65)
    # a left out: (0.3*0.5 + 0.2*0) / 0.5 = 0.3
    assert tl.weighted({"a": None, "b": 0.5, "c": 0}, {"a": 0.5, "b": 0.3, "c": 0.2}) == approx(0.3)
    # NaN counts as left out too; nothing left -> None (not 0)
    assert tl.weighted({"a": float("nan")}, {"a": 1}) is None
    assert tl.weighted({"a": None, "b": None}, {"a": 0.5, "b": 0.5}) is None
    # a zero weight never scales the others up: (0.5*1) / 0.5 = 1
    assert tl.weighted({"a": 1, "b": 0}, {"a": 0.5, "b": 0}) == approx(1.0)


def test_ratio_and_growth_with_zero_denominators():
    assert tl.ratio(3, 4) == 0.75
    assert tl.ratio(3, 0) is None  # no plan: the term is left out
    assert tl.ratio(0, 0) is None
    assert tl.growth(1800, 1400) == approx(400 / 1400)  # (1800 - 1400) / 1400 = 0.2857
    assert tl.growth(500, 0) is None  # zero previous profit: undefined, the uplift term is left out
    assert tl.growth(0, 1000) == approx(-1.0)  # no profit now: -100 %


@pytest.mark.parametrize(
    ("g", "expected"),
    [
        (0.0, 0.5),  # 0.5 + 5*0 = 0.5
        (0.04, 0.7),  # 0.5 + 5*0.04 = 0.7
        (0.1, 1.0),  # 0.5 + 0.5 = 1.0
        (0.3, 1.0),  # 2.0 clipped to 1
        (-0.06, 0.2),  # 0.5 - 0.3 = 0.2
        (-0.5, 0.0),  # -2.0 clipped to 0
        (None, None),  # g undefined
    ],
)
def test_uplift(g, expected):
    result = tl.uplift(g, 5, 0.5)
    assert result is None if expected is None else result == approx(expected)


def test_diligence_on_a_hand_made_case():
    # planned 10, done 8, visited 6 of 12 assigned, 6 of the 8 on a planned day:
    # 100 * (0.5*min(1, 8/10) + 0.3*6/12 + 0.2*6/8) = 100 * (0.4 + 0.15 + 0.15) = 70
    terms = tl.diligence_terms(planned=10, done=8, visited=6, assigned=12, on_plan=6)
    assert terms == {"done_rate": approx(0.8), "coverage": approx(0.5), "on_plan": approx(0.75)}
    assert tl.index(terms, W["diligence"]) == approx(70.0)
    # more done than planned is capped at 1: 100 * (0.5*1 + 0.3*1 + 0.2*1) = 100
    assert tl.index(tl.diligence_terms(4, 6, 3, 3, 6), W["diligence"]) == approx(100.0)


def test_diligence_without_plan_or_visits():
    # no plan: done/planned left out -> (0.3*2/4 + 0.2*1/2) / 0.5 = (0.15 + 0.1) / 0.5 = 0.5 -> 50
    assert tl.index(tl.diligence_terms(0, 2, 2, 4, 1), W["diligence"]) == approx(50.0)
    # planned but no visits: on-plan share left out -> (0.5*0 + 0.3*0) / 0.8 = 0 (a real zero)
    assert tl.index(tl.diligence_terms(5, 0, 0, 4, 0), W["diligence"]) == approx(0.0)
    # nothing planned, nothing done, nobody assigned: not computable
    assert tl.index(tl.diligence_terms(0, 0, 0, 0, 0), W["diligence"]) is None


def test_effort_on_a_hand_made_case():
    # planned 10 -> 5 h expected, 4 h visited: 0.8; tasks 18/20 = 0.9; 7 of 8 checked in = 0.875
    # 100 * (0.4*0.8 + 0.3*0.9 + 0.3*0.875) = 100 * (0.32 + 0.27 + 0.2625) = 85.25
    terms = tl.effort_terms(4.0, 10, 18, 20, 7, 8, 0.5)
    assert tl.index(terms, W["effort"]) == approx(85.25)
    # 6 h against 5 h is capped at 1: 100 * (0.4 + 0.27 + 0.2625) = 93.25
    assert tl.index(tl.effort_terms(6.0, 10, 18, 20, 7, 8, 0.5), W["effort"]) == approx(93.25)


def test_effort_without_plan_or_visits():
    # no plan: hours left out -> (0.3*1 + 0.3*0) / 0.6 = 0.5 -> 50 (tasks 2/2, one visit 250 m away)
    assert tl.index(tl.effort_terms(0.5, 0, 2, 2, 0, 1, 0.5), W["effort"]) == approx(50.0)
    # planned, no visits: hours 0 / 2.5 = 0; tasks 0/0 and check-in 0/0 left out -> 0.4*0 / 0.4 = 0
    assert tl.index(tl.effort_terms(0.0, 5, 0, 0, 0, 0, 0.5), W["effort"]) == approx(0.0)
    assert tl.index(tl.effort_terms(0.0, 0, 0, 0, 0, 0, 0.5), W["effort"]) is None


def test_merit_on_a_hand_made_case():
    # satisfaction 80 -> 0.8, g = +4 % -> uplift 0.7, SLA 0.9, 3 of 12 trained = 0.25
    # 100 * (0.35*0.8 + 0.25*0.7 + 0.25*0.9 + 0.15*0.25) = 100 * (0.28 + 0.175 + 0.225 + 0.0375) = 71.75
    terms = tl.merit_terms(80, tl.uplift(0.04), 0.9, 3, 12)
    assert tl.index(terms, W["merit"]) == approx(71.75)


def test_merit_of_a_new_manager_without_a_previous_period():
    # no previous profit (g undefined), no surveys, no tickets: only trained 1/4 remains -> 25
    terms = tl.merit_terms(None, tl.uplift(tl.growth(500, 0)), None, 1, 4)
    assert terms["uplift"] is None
    assert tl.index(terms, W["merit"]) == approx(25.0)


def test_composite_and_assessment():
    # 0.3*70 + 0.3*85.25 + 0.4*71.75 = 21 + 25.575 + 28.7 = 75.275
    assert tl.composite(70, 85.25, 71.75, W["composite"]) == approx(75.275)
    # effort not computable: (0.3*70 + 0.4*71.75) / 0.7 = (21 + 28.7) / 0.7 = 71.0
    assert tl.composite(70, None, 71.75, W["composite"]) == approx(71.0)
    # 0.4*80 + 0.3*0.7*100 + 0.2*70 + 0.1*0.9*100 = 32 + 21 + 14 + 9 = 76
    assert tl.assessment(80, 0.7, 70, 0.9, W["assessment"]) == approx(76.0)
    # uplift undefined (zero previous profit): (32 + 14 + 9) / 0.7 = 78.571...
    assert tl.assessment(80, None, 70, 0.9, W["assessment"]) == approx(55 / 0.7)
    assert tl.assessment(None, None, None, None, W["assessment"]) is None


def _inputs(**overrides) -> dict:
    row = {
        "staff_id": "A", "assigned": 12, "planned": 10, "done": 8, "visited": 6, "on_plan": 6,
        "visit_hours": 4.0, "tasks_done": 18, "tasks_required": 20, "checked_in": 7,
        "satisfaction_mean": 80.0, "sla_met": 9, "sla_breach": 1, "gp_yuan": 1040.0,
        "gp_previous_yuan": 1000.0, "trained": 3,
    }  # fmt: skip
    return {**row, **overrides}


def test_score_frame_applies_every_formula():
    # the hand-made cases above in one row: g = 40/1000 = 4 % -> uplift 0.7; SLA 9/10 = 0.9
    frame = pd.DataFrame([_inputs(), _inputs(staff_id="B", planned=0, gp_previous_yuan=0.0)])
    conf = {**W, "hours_per_planned_visit": 0.5, "uplift_slope": 5.0, "uplift_centre": 0.5}
    scored = tl.score(frame, conf)
    a = scored.iloc[0]
    assert (a.diligence, a.effort, a.merit) == (approx(70.0), approx(85.25), approx(71.75))
    assert (a.composite, a.assessment) == (approx(75.275), approx(76.0))
    b = scored.iloc[1]
    # no plan: diligence (0.3*0.5 + 0.2*0.75) / 0.5 = 0.6 -> 60; effort (0.27 + 0.2625) / 0.6 = 88.75
    assert (b.diligence, b.effort) == (approx(60.0), approx(88.75))
    # zero previous profit: uplift left out; merit (0.28 + 0.225 + 0.0375) / 0.75 = 72.333...
    assert math.isnan(b.uplift) and b.merit == approx(0.5425 / 0.75 * 100)


def test_rank_breaks_ties_by_id_and_puts_missing_last():
    frame = pd.DataFrame({"staff_id": ["C", "A", "B", "D"], "composite": [80.0, 80.0, 90.0, None]})
    assert tl.rank(frame, "composite").tolist() == [3, 2, 1, 4]


def _row_by_row(inputs: pd.DataFrame, conf: dict) -> pd.DataFrame:
    """The formulas above applied one row at a time: what tl.score must give for whole columns."""
    rows = []
    for r in inputs.to_dict("records"):
        d = tl.diligence_terms(r["planned"], r["done"], r["visited"], r["assigned"], r["on_plan"])
        e = tl.effort_terms(r["visit_hours"], r["planned"], r["tasks_done"], r["tasks_required"],
                            r["checked_in"], r["done"], conf["hours_per_planned_visit"])  # fmt: skip
        g = tl.growth(r["gp_yuan"], r["gp_previous_yuan"])
        up = tl.uplift(g, conf["uplift_slope"], conf["uplift_centre"])
        sla = tl.ratio(r["sla_met"], r["sla_met"] + r["sla_breach"])
        m = tl.merit_terms(r["satisfaction_mean"], up, sla, r["trained"], r["assigned"])
        dil, eff, mer = (
            tl.index(d, conf["diligence"]),
            tl.index(e, conf["effort"]),
            tl.index(m, conf["merit"]),
        )
        rows.append({**{f"d_{k}": v for k, v in d.items()}, **{f"e_{k}": v for k, v in e.items()},
                     "growth": g, "uplift": up, "sla_rate": sla, "m_trained": m["trained"],
                     "diligence": dil, "effort": eff, "merit": mer,
                     "composite": tl.composite(dil, eff, mer, conf["composite"]),
                     "assessment": tl.assessment(r["satisfaction_mean"], up, dil, sla,
                                                 conf["assessment"])})  # fmt: skip
    return pd.DataFrame(rows, index=inputs.index).astype("float64")


def _same_bits(scored: pd.DataFrame, oracle: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(scored[list(oracle.columns)], oracle, check_exact=True)


def test_whole_columns_give_the_row_by_row_figures_on_the_demo(demo_run):
    # every manager's inputs of a quarter and of every month of the data: the same bits
    from datetime import date

    from dashboard import staff
    from dashboard.scope import Scope, add_months, month_end

    conf = staff.conf()
    scope = Scope(date(2026, 7, 1), date(2026, 9, 30))
    months = [add_months(date(2024, 11, 1), i) for i in range(24)]
    periods = [(scope.date_from, scope.date_to), *((m, month_end(m)) for m in months)]
    inputs = staff._inputs(demo_run, scope, periods, conf)
    assert len(inputs) >= 200
    _same_bits(tl.score(inputs, conf), _row_by_row(inputs, conf))


def test_whole_columns_give_the_row_by_row_figures_on_odd_inputs():
    # zeros, missing values and zero weights in every place the formulas branch on
    import numpy as np

    rng = np.random.default_rng(7)
    n = 400
    frame = pd.DataFrame({name: rng.choice([0, 0, 1, 2, 3, 7, 12, np.nan], n).astype("float64")
                          for name in tl._INPUTS})  # fmt: skip
    frame["gp_yuan"] = rng.choice([0.0, 950.5, 1000.0, 1210.25, np.nan], n)
    frame["gp_previous_yuan"] = rng.choice([0.0, 1000.0, 1100.1, np.nan], n)
    frame["satisfaction_mean"] = rng.choice([np.nan, 0.0, 61.37, 88.9, 100.0], n)
    conf = {**W, "hours_per_planned_visit": 0.5, "uplift_slope": 5.0, "uplift_centre": 0.5}
    _same_bits(tl.score(frame, conf), _row_by_row(frame, conf))
    unweighted = {**conf, "effort": {**conf["effort"], "tasks": 0}, "merit": dict.fromkeys(conf["merit"], 0)}
    _same_bits(tl.score(frame, unweighted), _row_by_row(frame, unweighted))
