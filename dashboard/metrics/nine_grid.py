"""The nine-grid (九宫格) of a store's non-tobacco SKUs, as DESIGN.md section 5 defines it.

Pure pandas: one row per SKU with period sums in, one row per SKU with shares, classes, cell and action out.

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


def _share(values: pd.Series) -> pd.Series | None:
    """Each value over the total, or None when the total is not positive (the share can't be computed)."""
    total = float(values.sum())
    if not np.isfinite(total) or total <= 0:
        return None
    return values / total


def _combine(a: pd.Series | None, b: pd.Series | None, index: pd.Index) -> pd.Series:
    """0.5·a + 0.5·b; a term that can't be computed is left out and the other takes the full weight."""
    terms = [t for t in (a, b) if t is not None]
    if not terms:
        return pd.Series(0.0, index=index)
    return sum(terms) / len(terms)


def cumulative_class(
    ids: pd.Series, values: pd.Series, cutoffs: tuple[float, float] = (0.70, 0.90)
) -> pd.Series:
    """'high'/'mid'/'low' by the sum of the SKUs ranked above (value descending, ties by id ascending)."""
    order = pd.DataFrame({"id": ids.to_numpy(), "v": values.to_numpy(dtype=float)}, index=values.index)
    order = order.sort_values(["v", "id"], ascending=[False, True], kind="mergesort")
    total = float(order["v"].sum())
    above = order["v"].cumsum() - order["v"]
    # Sums within a relative 1e-9 of a cut-off count as equal to it (not below), so ten SKUs of 10 %
    # classify 7/2/1 whatever the float rounding of 0.1 + 0.1 + ...
    tol = 1e-9 * abs(total)
    cls = np.where(
        above < cutoffs[0] * total - tol, "high", np.where(above < cutoffs[1] * total - tol, "mid", "low")
    )
    # A zero total means no SKU contributes anything: 0 < 0 is false, so all are low (documented above).
    return pd.Series(cls, index=order.index).reindex(values.index)


def classify(
    skus: pd.DataFrame,
    days: int,
    cutoffs: tuple[float, float] = (0.70, 0.90),
    drop_days: float = 90,
    fast_share: float = 0.30,
) -> pd.DataFrame:
    """Classify SKUs of one period into the nine cells and suggest an action (drop / shelf / keep)."""
    missing = [c for c in INPUT_COLUMNS if c not in skus.columns]
    if missing:
        raise ValueError(f"nine-grid input lacks columns {missing}")
    if days <= 0:
        raise ValueError("days must be positive")
    out = skus[INPUT_COLUMNS].copy().reset_index(drop=True)
    for col in INPUT_COLUMNS[1:]:
        out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in INPUT_COLUMNS[1:-1]:
        out[col] = out[col].fillna(0.0)
    idx = out.index

    sales = _share(out["revenue_yuan"])
    margin = _share(out["gross_profit_yuan"])
    trans = _share(out["transactions"])
    avg_basket = (out["basket_value_yuan"] / out["transactions"].where(out["transactions"] > 0)).fillna(0.0)
    basket = _share(avg_basket)

    nan = pd.Series(np.nan, index=idx)
    out["sales_share"] = sales if sales is not None else nan
    out["margin_share"] = margin if margin is not None else nan
    out["transaction_share"] = trans if trans is not None else nan
    out["basket_share"] = basket if basket is not None else nan
    out["product_value"] = _combine(sales, margin, idx)
    out["user_value"] = _combine(trans, basket, idx)

    out["product_class"] = cumulative_class(out["sku_id"], out["product_value"], cutoffs)
    out["user_class"] = cumulative_class(out["sku_id"], out["user_value"], cutoffs)
    out["cell"] = [CELLS[(p, u)] for p, u in zip(out["product_class"], out["user_class"], strict=True)]

    daily_units = out["units"] / days
    stock = out["avg_stock_units"]
    with np.errstate(divide="ignore", invalid="ignore"):
        dos = stock / daily_units
    # stock 0 and units 0 gives NaN (0/0); stock > 0 with no sales gives +inf; missing stock stays NaN.
    out["days_of_stock"] = dos.where(stock.notna(), np.nan)

    known = out.loc[out["days_of_stock"].notna(), ["sku_id", "days_of_stock"]]
    known = known.sort_values(["days_of_stock", "sku_id"], kind="mergesort")
    n_fast = int(np.floor(fast_share * len(known) + 1e-9))
    fast = set(known.index[:n_fast])
    is_fast = pd.Series(idx.isin(list(fast)), index=idx)

    action = np.full(len(out), "keep", dtype=object)
    action[((out["cell"] == "slow") & (out["days_of_stock"] > drop_days)).to_numpy()] = "drop"
    action[((out["cell"] == "potential") & is_fast).to_numpy()] = "shelf"
    out["action"] = action
    return out


def cell_counts(classified: pd.DataFrame) -> dict[str, int]:
    """How many SKUs fall in each cell (all nine codes present, zeros included)."""
    counts = classified["cell"].value_counts()
    return {cell: int(counts.get(cell, 0)) for cell in CELLS.values()}
