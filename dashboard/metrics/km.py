"""Kaplan-Meier estimate of time to an event with right-censored observations (DESIGN.md section 5).

Tickets still open at the period end are censored: dropping them (the naive median) reports closure times
that are too short, because the slowest tickets are exactly the ones still open.

Conventions, decided here once:
- Negative durations (a stage time before the receipt, i.e. out-of-order data) count as 0 hours.
- At a time where events and censorings tie, the censored observations are still at risk (the usual rule).
- A quantile q is the smallest event time t with S(t) <= 1 - q; None when the curve never gets there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CURVE_COLUMNS = ["time", "at_risk", "events", "censored", "survival"]


def kaplan_meier(durations, observed) -> pd.DataFrame:
    """The survival curve: one row per distinct time, starting with (0, S=1) so a chart has its origin."""
    t = np.clip(np.asarray(durations, dtype=float), 0, None)
    e = np.asarray(observed, dtype=bool)
    keep = ~np.isnan(t)
    t, e = t[keep], e[keep]
    if len(t) == 0:
        return pd.DataFrame(columns=CURVE_COLUMNS).astype(float)
    times = np.unique(t)
    events, censored = _count(t, e, times)
    at_risk = len(t) - np.concatenate([[0], np.cumsum(events + censored)[:-1]])
    survival = np.cumprod(1 - events / at_risk)
    curve = pd.DataFrame(
        {"time": times, "at_risk": at_risk, "events": events, "censored": censored, "survival": survival}
    )
    if times[0] > 0:
        start = pd.DataFrame([{"time": 0.0, "at_risk": len(t), "events": 0, "censored": 0, "survival": 1.0}])
        curve = pd.concat([start, curve], ignore_index=True)
    return curve.astype({"time": float, "at_risk": int, "events": int, "censored": int, "survival": float})


def _count(t: np.ndarray, e: np.ndarray, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Events and censorings at each distinct time."""
    index = np.searchsorted(times, t)
    events = np.bincount(index, weights=e.astype(float), minlength=len(times)).astype(int)
    total = np.bincount(index, minlength=len(times))
    return events, total - events


def quantile(curve: pd.DataFrame, q: float) -> float | None:
    """The time by which a share q of the observations has had the event, read off the curve."""
    if curve.empty:
        return None
    reached = curve[(curve["events"] > 0) & (curve["survival"] <= 1 - q + 1e-12)]
    return None if reached.empty else float(reached["time"].iloc[0])


def median(curve: pd.DataFrame) -> float | None:
    return quantile(curve, 0.5)
