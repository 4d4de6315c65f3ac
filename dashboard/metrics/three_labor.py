"""Three-labor indices (三劳指数) and the secondary assessment (二次考核), DESIGN.md section 5.

Pure functions: SQL gathers each customer manager's inputs, these apply the formulas with the weights
passed in. A term whose denominator is zero is left out and the remaining weights are rescaled to 1,
so a manager without plans (or without surveyed customers) is judged on what can be judged.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

INDICES = ("diligence", "effort", "merit")
SCORES = (*INDICES, "composite", "assessment")


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def ratio(num, den) -> float | None:
    """num / den, or None when the denominator is zero or unknown (the term is then left out)."""
    if _missing(num) or _missing(den) or float(den) == 0:
        return None
    return float(num) / float(den)


def weighted(terms: dict, weights: dict) -> float | None:
    """Weighted mean of the terms that exist, weights rescaled to sum to 1; None when none exists."""
    present = {k: float(v) for k, v in terms.items() if not _missing(v) and float(weights.get(k, 0)) > 0}
    total = sum(float(weights[k]) for k in present)
    if not present or total == 0:
        return None
    return sum(float(weights[k]) * v for k, v in present.items()) / total


def growth(gp_now, gp_previous) -> float | None:
    """g = (GP now - GP before) / GP before; undefined when there was no profit before."""
    if _missing(gp_now) or _missing(gp_previous) or float(gp_previous) == 0:
        return None
    return (float(gp_now) - float(gp_previous)) / float(gp_previous)


def uplift(g, slope: float = 5.0, centre: float = 0.5) -> float | None:
    """clip(centre + slope·g, 0, 1): no growth scores 0.5, +10 % scores 1, -10 % scores 0."""
    if _missing(g):
        return None
    return min(1.0, max(0.0, centre + slope * float(g)))


def _scaled(value) -> float | None:
    return None if _missing(value) else 100.0 * float(value)


def diligence_terms(planned, done, visited, assigned, on_plan) -> dict:
    """done/planned (capped at 1), visited/assigned, and the share of done visits that were on plan."""
    done_rate = ratio(done, planned)
    return {
        "done_rate": None if done_rate is None else min(1.0, done_rate),
        "coverage": ratio(visited, assigned),
        "on_plan": ratio(on_plan, done),
    }


def effort_terms(visit_hours, planned, tasks_done, tasks_required, checked_in, done, hours_per_visit=0.5):
    """Hours against 0.5 h per planned visit (capped at 1), tasks done, and the GPS check-in share."""
    hours_rate = ratio(visit_hours, None if _missing(planned) else hours_per_visit * float(planned))
    return {
        "hours": None if hours_rate is None else min(1.0, hours_rate),
        "tasks": ratio(tasks_done, tasks_required),
        "checkin": ratio(checked_in, done),
    }


def merit_terms(satisfaction_mean, uplift_score, sla_rate, trained, assigned) -> dict:
    """Satisfaction (0-100 scaled to 0-1), profit uplift, resolution SLA and the trained/hosted share."""
    return {
        "satisfaction": None if _missing(satisfaction_mean) else float(satisfaction_mean) / 100,
        "uplift": None if _missing(uplift_score) else float(uplift_score),
        "resolution_sla": None if _missing(sla_rate) else float(sla_rate),
        "trained": ratio(trained, assigned),
    }


def index(terms: dict, weights: dict) -> float | None:
    """An index on 0..100 from its terms on 0..1."""
    return _scaled(weighted(terms, weights))


def composite(diligence, effort, merit, weights: dict) -> float | None:
    return weighted({"diligence": diligence, "effort": effort, "merit": merit}, weights)


def assessment(satisfaction_mean, uplift_score, diligence, sla_rate, weights: dict) -> float | None:
    """0.4·satisfaction + 0.3·uplift×100 + 0.2·diligence + 0.1·SLA×100 (default weights), on 0..100."""
    terms = {
        "satisfaction": None if _missing(satisfaction_mean) else float(satisfaction_mean),
        "uplift": _scaled(uplift_score),
        "diligence": diligence,
        "resolution_sla": _scaled(sla_rate),
    }
    return weighted(terms, weights)


def score(inputs: pd.DataFrame, conf: dict) -> pd.DataFrame:
    """Every term, index and score per row of gathered inputs (one row per manager and period).

    `conf` holds the weights per index ("diligence", "effort", "merit", "composite", "assessment") and
    the targets ("hours_per_planned_visit", "uplift_slope", "uplift_centre"). The functions above
    applied to whole columns at once (NaN for None), in the same order of operations, so every figure
    is the one they give row by row (tests/test_three_labor.py checks it): a province's 2,500 managers
    over 13 periods take milliseconds, not seconds.
    """
    col = {c: inputs[c].to_numpy(dtype="float64", na_value=np.nan) for c in _INPUTS}
    done_rate = _ratio(col["done"], col["planned"])
    d = {
        "done_rate": np.minimum(1.0, done_rate),
        "coverage": _ratio(col["visited"], col["assigned"]),
        "on_plan": _ratio(col["on_plan"], col["done"]),
    }
    hours = _ratio(col["visit_hours"], float(conf["hours_per_planned_visit"]) * col["planned"])
    e = {
        "hours": np.minimum(1.0, hours),
        "tasks": _ratio(col["tasks_done"], col["tasks_required"]),
        "checkin": _ratio(col["checked_in"], col["done"]),
    }
    g = _ratio(col["gp_yuan"] - col["gp_previous_yuan"], col["gp_previous_yuan"])
    up = np.minimum(1.0, np.maximum(0.0, float(conf["uplift_centre"]) + float(conf["uplift_slope"]) * g))
    sla = _ratio(col["sla_met"], col["sla_met"] + col["sla_breach"])
    m = {
        "satisfaction": col["satisfaction_mean"] / 100,
        "uplift": up,
        "resolution_sla": sla,
        "trained": _ratio(col["trained"], col["assigned"]),
    }
    dil = 100.0 * _weighted(d, conf["diligence"])
    eff = 100.0 * _weighted(e, conf["effort"])
    mer = 100.0 * _weighted(m, conf["merit"])
    terms = {"satisfaction": col["satisfaction_mean"], "uplift": 100.0 * up, "diligence": dil,
             "resolution_sla": 100.0 * sla}  # fmt: skip
    scored = pd.DataFrame(
        {
            **{f"d_{k}": v for k, v in d.items()},
            **{f"e_{k}": v for k, v in e.items()},
            "growth": g,
            "uplift": up,
            "sla_rate": sla,
            "m_trained": m["trained"],
            "diligence": dil,
            "effort": eff,
            "merit": mer,
            "composite": _weighted({"diligence": dil, "effort": eff, "merit": mer}, conf["composite"]),
            "assessment": _weighted(terms, conf["assessment"]),
        },
        index=inputs.index,
    )
    return pd.concat([inputs, scored], axis=1)


_INPUTS = (
    "planned", "done", "visited", "assigned", "on_plan", "visit_hours", "tasks_done", "tasks_required",
    "checked_in", "satisfaction_mean", "sla_met", "sla_breach", "gp_yuan", "gp_previous_yuan", "trained",
)  # fmt: skip


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """`ratio` of whole columns: NaN where either is missing or the denominator is zero."""
    ok = ~np.isnan(num) & ~np.isnan(den) & (den != 0)
    out = np.full(len(num), np.nan)
    np.divide(num, den, out=out, where=ok)
    return out


def _weighted(terms: dict, weights: dict) -> np.ndarray:
    """`weighted` of whole columns: each row's present terms added in the terms' order (adding 0.0 for
    an absent one changes no bit), over the sum of their weights; NaN where none is present."""
    acc, total = None, None
    for key, values in terms.items():
        weight = float(weights.get(key, 0))
        if weight <= 0:
            continue
        present = ~np.isnan(values)
        part, share = np.where(present, weight * values, 0.0), np.where(present, weight, 0.0)
        acc = part if acc is None else acc + part
        total = share if total is None else total + share
    if acc is None:
        return np.full(len(next(iter(terms.values()))), np.nan)
    out = np.full(len(acc), np.nan)
    np.divide(acc, total, out=out, where=total != 0)
    return out


def rank(frame: pd.DataFrame, column: str, key: str = "staff_id") -> pd.Series:
    """1 = best; ties by id ascending; a person without a score ranks after everyone with one."""
    order = frame.assign(_missing=frame[column].isna()).sort_values(
        ["_missing", column, key], ascending=[True, False, True]
    )
    return pd.Series(range(1, len(order) + 1), index=order.index, dtype="int64").reindex(frame.index)
