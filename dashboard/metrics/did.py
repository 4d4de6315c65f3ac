"""A simple difference-in-differences, matched on strata (business type x market type).

Per customer: a measure before and after. Treated customers' mean change minus comparison customers'
mean change, taken within each stratum that holds both groups and averaged with the treated counts as
weights, so a comparison pool with another mix of shop types does not bias the answer, and the season
(which moves both groups) cancels. Customers missing either measure are left out.
"""

from __future__ import annotations

import pandas as pd

STRATA = ("business_type", "market_type")


def did(frame: pd.DataFrame, before: str, after: str, strata=STRATA) -> dict:
    """Effect = sum_s n_T,s * ((T_after - T_before)_s - (C_after - C_before)_s) / sum_s n_T,s.

    Also the group means (the comparison group reweighted to the treated mix), the group sizes, and the
    effect relative to the treated group's mean before. None values when no stratum holds both groups.
    """
    keep = frame.dropna(subset=[before, after])
    keys = list(strata)
    means = keep.groupby([*keys, "is_treated"])[[before, after]].mean().unstack("is_treated")
    sizes = keep.groupby([*keys, "is_treated"]).size().unstack("is_treated")
    result = {
        "effect": None,
        "effect_share": None,
        "treated_before": None,
        "treated_after": None,
        "control_before": None,
        "control_after": None,
        "n_treated": 0,
        "n_control": 0,
        "n_strata": 0,
    }
    if True not in sizes.columns or False not in sizes.columns:
        return result
    both = sizes[(sizes[True].fillna(0) > 0) & (sizes[False].fillna(0) > 0)]
    if both.empty:
        return result
    weights = both[True] / both[True].sum()
    m = means.loc[both.index]
    t_before, t_after = (m[(before, True)] * weights).sum(), (m[(after, True)] * weights).sum()
    c_before, c_after = (m[(before, False)] * weights).sum(), (m[(after, False)] * weights).sum()
    effect = (t_after - t_before) - (c_after - c_before)
    result.update(
        effect=float(effect),
        effect_share=float(effect / t_before) if t_before else None,
        treated_before=float(t_before),
        treated_after=float(t_after),
        control_before=float(c_before),
        control_after=float(c_after),
        n_treated=int(both[True].sum()),
        n_control=int(both[False].sum()),
        n_strata=len(both),
    )
    return result
