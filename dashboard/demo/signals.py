"""The nine-grid showcase store, built constructively so its cell counts are exact.

The cumulative cut is sensitive: a SKU near the 70 % or 90 % line flips class on a rounding error.
So the store's figures are designed per axis: for n_high, n_mid, n_low SKUs we pick descending values
whose cumulative sums cross each cut-off in the middle of the last SKU of a class (half a SKU of margin on
each side). Every month of a regime carries identical figures, so any month range inside it classifies
the same. The generator reads the rows back from the DB and runs `classify` to verify.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Cross-tabs of (product class) x (user class), rows and columns ordered high, mid, low.
BEFORE_TAB = np.array([[13, 6, 6], [6, 14, 10], [6, 14, 45]])  # 13 hits, 45 slow sellers
AFTER_TAB = np.array([[36, 4, 2], [5, 16, 8], [3, 14, 32]])  # 36 hits, 32 slow sellers
CLASSES = ("high", "mid", "low")
CELL_RANK = {
    ("high", "high"): 0,
    ("high", "mid"): 1,
    ("mid", "high"): 2,
    ("high", "low"): 3,
    ("mid", "mid"): 4,
    ("low", "high"): 5,
    ("mid", "low"): 6,
    ("low", "mid"): 7,
    ("low", "low"): 8,
}


def _linear(n: int, top: float, bottom: float) -> np.ndarray:
    return np.linspace(top, bottom, n) if n > 1 else np.array([(top + bottom) / 2])


def axis_values(n_high: int, n_mid: int, n_low: int, cutoffs=(0.70, 0.90)) -> list[np.ndarray]:
    """Descending values per class (summing to 1) that the cumulative cut classifies as intended.

    Within a class values fall linearly from top to bottom. With l_h the smallest high value, the highs
    sum to c0 + l_h/2, so the last high has c0 - l_h/2 above it (< c0) and the first mid has c0 + l_h/2
    (>= c0). Likewise at c1 with l_m. Searched over l_h, l_m for the largest relative slack.
    """
    c0, c1 = cutoffs
    best, best_slack = None, -np.inf
    for l_h in np.linspace(0.002, 0.05, 97):
        s_h = c0 + l_h / 2
        h_top = 2 * s_h / n_high - l_h
        if h_top < l_h:
            continue
        for l_m in np.linspace(0.0005, l_h, 60):
            s_m = c1 - c0 + (l_m - l_h) / 2
            m_top = 2 * s_m / n_mid - l_m if n_mid else l_m
            s_l = 1 - c1 - l_m / 2
            if n_mid and (m_top < l_m or m_top >= l_h * 0.97):
                continue
            l_avg = s_l / n_low
            # low values fall from just under l_m to a positive floor
            l_top = min(l_m * 0.97, 2 * l_avg * 0.9)
            l_bottom = 2 * l_avg - l_top
            if l_bottom <= 0 or l_top < l_bottom:
                continue
            slack = min(l_h / 2, l_m / 2, l_bottom) / (1 / (n_high + n_mid + n_low))
            if slack > best_slack:
                best_slack = slack
                best = [
                    _linear(n_high, h_top, l_h),
                    _linear(n_mid, m_top, l_m),
                    _linear(n_low, l_top, l_bottom),
                ]
    if best is None:
        raise ValueError(f"no nine-grid axis for counts {(n_high, n_mid, n_low)}")
    return best


def _cells_from_tab(tab: np.ndarray) -> list[tuple[str, str]]:
    return [(CLASSES[i], CLASSES[j]) for i in range(3) for j in range(3) for _ in range(int(tab[i, j]))]


def _assign(rng: np.random.Generator, classes: np.ndarray, counts: tuple[int, int, int]) -> np.ndarray:
    """Values for each SKU of an axis: the designed values of its class, in random order within a class."""
    groups = axis_values(*counts)
    out = np.empty(len(classes))
    for cls, vals in zip(CLASSES, groups, strict=True):
        where = np.flatnonzero(classes == cls)
        out[where] = vals[rng.permutation(len(vals))]
    return out


def _regime(rng, product_cls, user_cls, prices, margin_hint):
    """Monthly figures of one regime (same every month), per SKU, from the designed axis values."""
    n = len(product_cls)
    p = _assign(rng, product_cls, tuple(int((product_cls == c).sum()) for c in CLASSES))
    u = _assign(rng, user_cls, tuple(int((user_cls == c).sum()) for c in CLASSES))

    # product value = 0.5 sales share + 0.5 margin share: split p into two shares with a p-weighted zero mean
    d = rng.uniform(-0.22, 0.22, n) * (margin_hint / margin_hint.mean())
    d = np.clip(d - (p * d).sum(), -0.4, 0.4)
    d -= (p * d).sum()
    sales, margin = p * (1 + d), p * (1 - d)
    revenue_total, gp_total = 62_000.0, 12_400.0
    revenue = np.round(revenue_total * sales, 2)
    gross_profit = np.round(gp_total * margin, 2)

    # user value = 0.5 transaction share + 0.5 basket share; basket share compressed towards 1/n
    u_min = u.min()
    lam = float(np.clip((1 / n - 1.5 * u_min) / (1 / n - u_min), 0.3, 0.95))
    basket_share = (1 - lam) / n + lam * u
    trans_share = 2 * u - basket_share
    transactions = np.maximum(1, np.round(9_000 * trans_share)).astype(np.int64)
    avg_basket = 35.0 * n * basket_share
    basket_value = np.round(transactions * avg_basket, 2)
    units = np.maximum(1.0, np.round(revenue / prices))

    slow = (product_cls == "low") & (user_cls == "low")
    potential = (product_cls == "low") & (user_cls == "high")
    factor = rng.uniform(0.5, 1.8, n)
    factor[slow] = np.where(
        rng.random(slow.sum()) < 0.85, rng.uniform(3.5, 8, slow.sum()), rng.uniform(1.5, 2.5, slow.sum())
    )
    factor[potential] = rng.uniform(0.15, 0.45, potential.sum())
    stock = np.round(units * factor, 1)
    return pd.DataFrame(
        {
            "units": units,
            "revenue_yuan": revenue,
            "gross_profit_yuan": gross_profit,
            "transactions": transactions,
            "basket_value_yuan": basket_value,
            "avg_stock_units": stock,
        }
    )


def nine_grid_store(
    rng: np.random.Generator,
    customer_id: int,
    products: pd.DataFrame,
    months: list,
    overhaul: tuple,
) -> pd.DataFrame:
    """product_sales_monthly rows of the showcase store: before regime, two blended months, after regime.

    `overhaul` = (first blended month, first month of the after regime), as numpy datetime64[D].
    """
    n = int(BEFORE_TAB.sum())
    assert n == int(AFTER_TAB.sum())
    sku_idx = np.sort(rng.choice(len(products), n, replace=False))
    skus = products.iloc[sku_idx].reset_index(drop=True)
    prices = skus["price"].to_numpy(float)
    margin_hint = skus["margin"].to_numpy(float)

    before = _cells_from_tab(BEFORE_TAB)
    after = _cells_from_tab(AFTER_TAB)
    # Pair before and after cells roughly by quality, so the overhaul mostly lifts SKUs a step or two.
    kb = np.argsort(np.array([CELL_RANK[c] for c in before]) + rng.normal(0, 1.2, n), kind="stable")
    ka = np.argsort(np.array([CELL_RANK[c] for c in after]) + rng.normal(0, 1.2, n), kind="stable")
    sku_order = rng.permutation(n)
    cell_before = [None] * n
    cell_after = [None] * n
    for rank in range(n):
        cell_before[sku_order[rank]] = before[kb[rank]]
        cell_after[sku_order[rank]] = after[ka[rank]]
    pb = np.array([c[0] for c in cell_before])
    ub = np.array([c[1] for c in cell_before])
    pa = np.array([c[0] for c in cell_after])
    ua = np.array([c[1] for c in cell_after])
    reg_before = _regime(rng, pb, ub, prices, margin_hint)
    reg_after = _regime(rng, pa, ua, prices, margin_hint)
    blend = (reg_before + reg_after) / 2
    blend["transactions"] = np.round(blend["transactions"]).astype(np.int64)
    for col in ("revenue_yuan", "gross_profit_yuan", "basket_value_yuan"):
        blend[col] = blend[col].round(2)
    blend["units"] = blend["units"].round()
    blend["avg_stock_units"] = blend["avg_stock_units"].round(1)

    frames = []
    for m in months:
        reg = reg_before if m < overhaul[0] else (blend if m < overhaul[1] else reg_after)
        f = reg.copy()
        f.insert(0, "month", m)
        f.insert(0, "sku_id", skus["sku_id"].to_numpy())
        f.insert(0, "customer_id", customer_id)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)
