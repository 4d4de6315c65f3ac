"""The nine-grid (九宫格) of a store's non-tobacco SKUs, as DESIGN.md section 5 defines it.

A frame in (one row per SKU with period sums), a frame out (shares, classes, cell and action), numpy inside.

Edge cases, decided here once so every page agrees:
- A share term whose total is zero or negative (no revenue, no margin, no transactions, no basket value)
  cannot be computed; it is left out of its axis and the other term gets the full weight. If neither term
  of an axis can be computed, the axis value is 0 for every SKU and, with a zero total, every SKU is low.
- A SKU with zero transactions has no average basket: its basket term is 0 (it contributes nothing).
- days_of_stock = stock / (units / days): NaN when the stock is missing or when both stock and units are 0;
  +inf when there is stock but nothing sold. A NaN never leads to 'drop', and SKUs with NaN days are not
  ranked for the fastest-turning share.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

CELLS = {
    ("high", "high"): "hit",
    ("high", "mid"): "profit",
    ("high", "low"): "niche",
    ("mid", "high"): "traffic",
    ("mid", "mid"): "staple",
    ("mid", "low"): "watch",
    ("low", "high"): "potential",
    ("low", "mid"): "improve",
    ("low", "low"): "slow",
}

INPUT_COLUMNS = [
    "sku_id",
    "units",
    "revenue_yuan",
    "gross_profit_yuan",
    "transactions",
    "basket_value_yuan",
    "avg_stock_units",
]


def _share(values: np.ndarray) -> np.ndarray | None:
    """Each value over the total, or None when the total is not positive (the share can't be computed)."""
    total = float(values.sum())
    if not np.isfinite(total) or total <= 0:
        return None
    return values / total


def _combine(a: np.ndarray | None, b: np.ndarray | None, n: int) -> np.ndarray:
    """0.5·a + 0.5·b; a term that can't be computed is left out and the other takes the full weight."""
    terms = [t for t in (a, b) if t is not None]
    if not terms:
        return np.zeros(n)
    return sum(terms) / len(terms)


def _id_ranks(ids: np.ndarray) -> np.ndarray:
    """Each id's place in ascending order (equal ids share one), the tie-break of every ranking here."""
    return np.unique(ids, return_inverse=True)[1]


def _class_codes(id_ranks: np.ndarray, values: np.ndarray, cutoffs: tuple[float, float]) -> np.ndarray:
    """0/1/2 for high/mid/low by the sum of the SKUs ranked above (value descending, ties by id)."""
    order = np.lexsort((id_ranks, -values))
    ranked = values[order]
    total = float(ranked.sum())
    above = np.cumsum(ranked) - ranked
    # Sums within a relative 1e-9 of a cut-off count as equal to it (not below), so ten SKUs of 10 %
    # classify 7/2/1 whatever the float rounding of 0.1 + 0.1 + ...
    tol = 1e-9 * abs(total)
    # A zero total means no SKU contributes anything: 0 < 0 is false, so all are low (documented above).
    codes = np.where(above < cutoffs[0] * total - tol, 0, np.where(above < cutoffs[1] * total - tol, 1, 2))
    out = np.empty_like(codes)
    out[order] = codes
    return out


_CLASSES = np.array(["high", "mid", "low"])
_CELL_NAMES = np.array([CELLS[(p, u)] for p in _CLASSES for u in _CLASSES])


def cumulative_class(
    ids: pd.Series, values: pd.Series, cutoffs: tuple[float, float] = (0.70, 0.90)
) -> pd.Series:
    """'high'/'mid'/'low' by the sum of the SKUs ranked above (value descending, ties by id ascending)."""
    codes = _class_codes(_id_ranks(ids.to_numpy()), values.to_numpy(dtype=float), cutoffs)
    return pd.Series(_CLASSES[codes], index=values.index)


def _numbers(column: pd.Series) -> np.ndarray:
    return pd.to_numeric(column, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def classify(
    skus: pd.DataFrame,
    days: int,
    cutoffs: tuple[float, float] = (0.70, 0.90),
    drop_days: float = 90,
    fast_share: float = 0.30,
) -> pd.DataFrame:
    """Classify SKUs of one period into the nine cells and suggest an action (drop / shelf / keep).
    Whole columns in numpy: the overview classifies 15 grids per run."""
    missing = [c for c in INPUT_COLUMNS if c not in skus.columns]
    if missing:
        raise ValueError(f"nine-grid input lacks columns {missing}")
    if days <= 0:
        raise ValueError("days must be positive")
    n = len(skus)
    ids = skus["sku_id"].reset_index(drop=True)
    cols = {c: _numbers(skus[c]) for c in INPUT_COLUMNS[1:]}
    for c in INPUT_COLUMNS[1:-1]:
        cols[c] = np.where(np.isnan(cols[c]), 0.0, cols[c])
    units, stock, transactions = cols["units"], cols["avg_stock_units"], cols["transactions"]

    sales = _share(cols["revenue_yuan"])
    margin = _share(cols["gross_profit_yuan"])
    trans = _share(transactions)
    with np.errstate(divide="ignore", invalid="ignore"):
        avg_basket = np.where(transactions > 0, cols["basket_value_yuan"] / transactions, 0.0)
    basket = _share(avg_basket)
    product_value = _combine(sales, margin, n)
    user_value = _combine(trans, basket, n)

    ranks = _id_ranks(ids.to_numpy())
    product = _class_codes(ranks, product_value, cutoffs)
    user = _class_codes(ranks, user_value, cutoffs)
    cell = _CELL_NAMES[3 * product + user]

    with np.errstate(divide="ignore", invalid="ignore"):
        # stock 0 and units 0 gives NaN (0/0); stock > 0 with no sales gives +inf; missing stock stays NaN.
        days_of_stock = stock / (units / days)
    known = np.flatnonzero(~np.isnan(days_of_stock))
    known = known[np.lexsort((ranks[known], days_of_stock[known]))]
    is_fast = np.zeros(n, dtype=bool)
    is_fast[known[: int(np.floor(fast_share * len(known) + 1e-9))]] = True

    action = np.full(n, "keep", dtype=object)
    action[(cell == "slow") & (days_of_stock > drop_days)] = "drop"
    action[(cell == "potential") & is_fast] = "shelf"
    nan = np.full(n, np.nan)
    return pd.DataFrame(
        {
            "sku_id": ids,
            **cols,
            "sales_share": sales if sales is not None else nan,
            "margin_share": margin if margin is not None else nan,
            "transaction_share": trans if trans is not None else nan,
            "basket_share": basket if basket is not None else nan,
            "product_value": product_value,
            "user_value": user_value,
            "product_class": _CLASSES[product],
            "user_class": _CLASSES[user],
            "cell": cell,
            "days_of_stock": days_of_stock,
            "action": action,
        }
    )


def cell_counts(classified: pd.DataFrame) -> dict[str, int]:
    """How many SKUs fall in each cell (all nine codes present, zeros included)."""
    counts = classified["cell"].value_counts()
    return {cell: int(counts.get(cell, 0)) for cell in CELLS.values()}
