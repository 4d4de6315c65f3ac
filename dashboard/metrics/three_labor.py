"""Three-labor indices (三劳指数) and the secondary assessment (二次考核), DESIGN.md section 5.

Pure functions: SQL gathers each customer manager's inputs, these apply the formulas with the weights
passed in. A term whose denominator is zero is left out and the remaining weights are rescaled to 1,
so a manager without plans (or without surveyed customers) is judged on what can be judged.
"""

from __future__ import annotations

import math

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
    the targets ("hours_per_planned_visit", "uplift_slope", "uplift_centre").
    """
    rows = []
    for r in inputs.to_dict("records"):
        d = diligence_terms(r["planned"], r["done"], r["visited"], r["assigned"], r["on_plan"])
        e = effort_terms(
            r["visit_hours"], r["planned"], r["tasks_done"], r["tasks_required"], r["checked_in"],
            r["done"], conf["hours_per_planned_visit"],
        )  # fmt: skip
        g = growth(r["gp_yuan"], r["gp_previous_yuan"])
        up = uplift(g, conf["uplift_slope"], conf["uplift_centre"])
        sla = ratio(r["sla_met"], r["sla_met"] + r["sla_breach"])
        m = merit_terms(r["satisfaction_mean"], up, sla, r["trained"], r["assigned"])
        dil, eff, mer = index(d, conf["diligence"]), index(e, conf["effort"]), index(m, conf["merit"])
        rows.append(
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
                "composite": composite(dil, eff, mer, conf["composite"]),
                "assessment": assessment(r["satisfaction_mean"], up, dil, sla, conf["assessment"]),
            }
        )
    columns = [
        "d_done_rate", "d_coverage", "d_on_plan", "e_hours", "e_tasks", "e_checkin", "growth", "uplift",
        "sla_rate", "m_trained", *SCORES,
    ]  # fmt: skip
    scored = pd.DataFrame(rows, columns=columns, index=inputs.index).astype("float64")
    return pd.concat([inputs, scored], axis=1)


def rank(frame: pd.DataFrame, column: str, key: str = "staff_id") -> pd.Series:
    """1 = best; ties by id ascending; a person without a score ranks after everyone with one."""
    order = frame.assign(_missing=frame[column].isna()).sort_values(
        ["_missing", column, key], ascending=[True, False, True]
    )
    return pd.Series(range(1, len(order) + 1), index=order.index, dtype="int64").reindex(frame.index)
