"""Kaplan-Meier against cases worked out by hand."""

import math

import pytest

from dashboard.metrics.km import kaplan_meier, median, quantile


def test_no_censoring_is_the_empirical_distribution():
    # times 1, 2, 3, 4 all resolved: S = 3/4, 2/4, 1/4, 0; median = smallest t with S <= 0.5 = 2
    curve = kaplan_meier([4, 2, 1, 3], [True] * 4)
    assert curve["survival"].tolist() == pytest.approx([1.0, 0.75, 0.5, 0.25, 0.0])
    assert curve["time"].tolist() == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert median(curve) == 2.0
    assert quantile(curve, 0.9) == 4.0  # S(3) = 0.25 > 0.1, S(4) = 0 <= 0.1


def test_censoring_moves_the_median_later():
    # times 1 (event), 2 (censored), 3 (event), 4 (event), 5 (censored)
    # t=1: 5 at risk, S = 4/5 = 0.8; t=3: 3 at risk, S = 0.8 * 2/3 = 0.5333; t=4: 2 at risk, S = 0.2667
    # median = 4 (first S <= 0.5); the naive median of the resolved 1, 3, 4 would be 3
    curve = kaplan_meier([1, 2, 3, 4, 5], [True, False, True, True, False])
    events = curve[curve["events"] > 0]
    assert events["survival"].tolist() == pytest.approx([0.8, 0.8 * 2 / 3, 0.8 * 2 / 3 * 1 / 2])
    assert median(curve) == 4.0
    assert quantile(curve, 0.9) is None  # the curve stops at 0.2667


def test_ties_between_events_and_with_a_censoring():
    # times 2, 2 (events), 2 (censored), 5 (event): at t=2, 4 at risk, 2 events -> S = 0.5
    # the censored one is still at risk at 2; at t=5, 1 at risk, 1 event -> S = 0
    curve = kaplan_meier([2, 2, 2, 5], [True, True, False, True])
    row = curve[curve["time"] == 2].iloc[0]
    assert (row["at_risk"], row["events"], row["censored"]) == (4, 2, 1)
    assert row["survival"] == pytest.approx(0.5)
    assert median(curve) == 2.0  # S(2) = 0.5 <= 0.5
    assert curve["survival"].iloc[-1] == pytest.approx(0.0)


def test_all_censored_has_no_median():
    curve = kaplan_meier([3, 10, 7], [False, False, False])
    assert curve["survival"].tolist() == [1.0] * len(curve)
    assert median(curve) is None


def test_a_single_ticket():
    assert median(kaplan_meier([5.5], [True])) == 5.5
    assert median(kaplan_meier([5.5], [False])) is None


def test_empty_and_out_of_order_input_never_crash():
    assert median(kaplan_meier([], [])) is None
    # a resolution time before the receipt (out-of-order data) counts as 0 hours
    curve = kaplan_meier([-3, 4], [True, True])
    assert curve["time"].tolist() == [0.0, 4.0]
    assert median(curve) == 0.0
    # a missing duration is dropped
    assert median(kaplan_meier([math.nan, 2], [True, True])) == 2.0


def test_the_closure_chart_draws_a_long_curve_within_a_tenth_of_a_percent():
    import numpy as np

    from dashboard import charts

    rng = np.random.default_rng(7)
    hours = np.round(rng.exponential(30, 50_000), 2)  # a province's tickets: ~40,000 distinct times
    curve = kaplan_meier(hours, rng.random(50_000) > 0.1)
    trace = charts.ticket_closure({"all": curve}, None, "zh").data[0]
    x, y = np.asarray(trace.x), np.asarray(trace.y)
    assert len(x) <= 1_002 < len(curve)
    assert (x[0], x[-1]) == (curve.time.iloc[0], curve.time.iloc[-1])
    drawn = y[np.searchsorted(x, curve.time, side="right") - 1]  # the step line at every true time
    assert np.abs(drawn - (1 - curve.survival)).max() < 1e-3
    assert x[np.argmax(y >= 0.5)] == median(curve)  # the median is read where the line crosses 50 %
