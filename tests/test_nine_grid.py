"""The nine-grid classification on hand-made tables (DESIGN.md section 5), arithmetic in the comments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.metrics.nine_grid import CELLS, cell_counts, classify, cumulative_class


def table(rows) -> pd.DataFrame:
    cols = [
        "sku_id",
        "units",
        "revenue_yuan",
        "gross_profit_yuan",
        "transactions",
        "basket_value_yuan",
        "avg_stock_units",
    ]
    return pd.DataFrame(rows, columns=cols)


def test_cumulative_cut_basic():
    # values 50, 25, 15, 10 (total 100): above = 0, 50, 75, 90 -> high, high, mid (75 < 90), low (90 !< 90)
    out = cumulative_class(pd.Series([1, 2, 3, 4]), pd.Series([50.0, 25.0, 15.0, 10.0]))
    assert out.tolist() == ["high", "high", "mid", "low"]


def test_ties_at_a_cutoff_break_by_sku_id():
    # values 60, 10, 10, 10, 10 (total 100); the tied 10s rank by id: 2, 3, 4, 5 (input order shuffled)
    # above: sku1 0, sku2 60, sku3 70, sku4 80, sku5 90 -> high, high (60 < 70), mid (70 !< 70), mid, low
    ids = pd.Series([5, 3, 1, 4, 2])
    vals = pd.Series([10.0, 10.0, 60.0, 10.0, 10.0])
    out = dict(zip(ids, cumulative_class(ids, vals), strict=True))
    assert out == {1: "high", 2: "high", 3: "mid", 4: "mid", 5: "low"}


def test_one_sku():
    # a single SKU has nothing above it: 0 < 0.7 * total -> high on both axes -> hit
    out = classify(table([[1, 10, 100.0, 20.0, 8, 200.0, 5.0]]), days=30)
    assert out.cell.tolist() == ["hit"]
    assert out.sales_share.iloc[0] == 1 and out.basket_share.iloc[0] == 1
    # days of stock = 5 / (10 / 30) = 15
    assert out.days_of_stock.iloc[0] == pytest.approx(15)


def test_all_equal():
    # ten equal SKUs, each 10 %: above = 0, 10, ..., 90 -> 7 high (0..60 < 70), 2 mid (70, 80), 1 low (90)
    rows = [[i, 10, 100.0, 20.0, 10, 300.0, 10.0] for i in range(1, 11)]
    out = classify(table(rows), days=30)
    assert out.product_class.tolist() == ["high"] * 7 + ["mid"] * 2 + ["low"]
    assert out.user_class.tolist() == out.product_class.tolist()
    counts = cell_counts(out)
    assert counts["hit"] == 7 and counts["staple"] == 2 and counts["slow"] == 1
    assert set(counts) == set(CELLS.values())


def test_shares_and_values():
    # revenue 300/100 -> sales 0.75/0.25; margin 30/30 -> 0.5/0.5; product value 0.625/0.375
    # transactions 30/10 -> 0.75/0.25; avg basket 600/30 = 20 and 400/10 = 40 -> basket share 1/3, 2/3
    # user value = 0.5*0.75 + 0.5*(1/3) = 0.5417 and 0.5*0.25 + 0.5*(2/3) = 0.4583
    out = classify(
        table([[1, 30, 300.0, 30.0, 30, 600.0, 3.0], [2, 10, 100.0, 30.0, 10, 400.0, 3.0]]), days=30
    )
    assert out.product_value.tolist() == pytest.approx([0.625, 0.375])
    assert out.basket_share.tolist() == pytest.approx([1 / 3, 2 / 3])
    assert out.user_value.tolist() == pytest.approx([0.75 / 2 + 1 / 6, 0.25 / 2 + 1 / 3])
    # product: above 0 and 0.625 -> high, high (0.625 < 0.7); user likewise -> both hits
    assert out.cell.tolist() == ["hit", "hit"]


def test_zero_sales():
    # no revenue, no margin, no transactions: no share can be computed, every axis value is 0,
    # the totals are 0 and 0 < 0 is false, so every SKU is low x low; days of stock: 5 / 0 -> inf
    out = classify(table([[1, 0, 0.0, 0.0, 0, 0.0, 5.0], [2, 0, 0.0, 0.0, 0, 0.0, 0.0]]), days=30)
    assert out.cell.tolist() == ["slow", "slow"]
    assert out.sales_share.isna().all() and out.transaction_share.isna().all()
    assert np.isinf(out.days_of_stock.iloc[0]) and np.isnan(out.days_of_stock.iloc[1])
    # stock with no sales is a slow seller to drop; an empty shelf (0/0) is not
    assert out.action.tolist() == ["drop", "keep"]


def test_zero_margin_uses_sales_alone():
    # gross profit sums to 0 -> margin share can't be computed; product value = sales share alone
    # sales 80/20 -> product value 0.8 / 0.2 -> high (above 0), low (above 0.8 >= 0.9? no: 0.8 < 0.9 -> mid)
    out = classify(table([[1, 8, 80.0, 5.0, 4, 40.0, 1.0], [2, 2, 20.0, -5.0, 4, 40.0, 1.0]]), days=30)
    assert out.margin_share.isna().all()
    assert out.product_value.tolist() == pytest.approx([0.8, 0.2])
    assert out.product_class.tolist() == ["high", "mid"]


def test_zero_transactions_sku_has_no_basket():
    # sku 2 sold nothing: its avg basket is undefined -> basket term 0; sku 1 takes all the basket share
    out = classify(table([[1, 5, 50.0, 10.0, 5, 100.0, 1.0], [2, 0, 0.0, 0.0, 0, 0.0, 1.0]]), days=30)
    assert out.basket_share.tolist() == [1.0, 0.0]
    assert out.transaction_share.tolist() == [1.0, 0.0]


def test_missing_stock_never_drops():
    # product value 0.9 / 0.05 / 0.05: skus 2 and 3 have 0.9 above them -> low.
    # avg baskets 10, 2, 2 -> basket shares 10/14, 2/14, 2/14; transactions 0.9, 0.05, 0.05
    # user value 0.807, 0.096, 0.096: sku 2 has 0.807 above (mid), sku 3 0.904 (low) -> sku 3 slow.
    # Its stock is missing: NaN days of stock, so no 'drop' from missing data.
    rows = [
        [1, 90, 90.0, 18.0, 90, 900.0, 10.0],
        [2, 5, 5.0, 1.0, 5, 10.0, 1.0],
        [3, 5, 5.0, 1.0, 5, 10.0, None],
    ]
    out = classify(table(rows), days=30).set_index("sku_id")
    assert out.loc[3, "cell"] == "slow" and np.isnan(out.loc[3, "days_of_stock"])
    assert out.loc[3, "action"] == "keep"
    # sku 2: same figures with stock 1 -> days = 1 / (5/30) = 6 -> not over 90 -> keep
    assert out.loc[2, "days_of_stock"] == pytest.approx(6) and out.loc[2, "action"] == "keep"


def test_drop_and_shelf_actions():
    # five SKUs, product value by revenue/margin, user value by transactions (equal baskets of 10 each):
    # sku 1 dominates revenue (800 of 1000 -> 0.8); sku 5 has few sales but many transactions -> potential.
    rows = [
        [1, 80, 800.0, 160.0, 40, 400.0, 20.0],  # days 20/(80/30)=7.5
        [2, 10, 100.0, 20.0, 10, 100.0, 10.0],  # days 30
        [3, 5, 50.0, 10.0, 5, 50.0, 50.0],  # days 300 -> slow, drop
        [4, 5, 40.0, 8.0, 5, 50.0, 1.0],  # days 6
        [5, 20, 10.0, 2.0, 40, 400.0, 0.5],  # days 0.75 -> fastest -> shelf
    ]
    out = classify(table(rows), days=30).set_index("sku_id")
    # product value: sku1 0.8, sku2 0.1, sku3 0.05, sku4 0.04, sku5 0.01 -> high, mid (0.8<0.9), low, low, low
    assert out.product_class.tolist() == ["high", "mid", "low", "low", "low"]
    # user value: transactions 40,10,5,5,40 of 100; basket shares all 0.2 -> 0.3, 0.15, 0.125, 0.125, 0.3
    # ranked 1 (0), 5 (0.3), 2 (0.6), 3 (0.75), 4 (0.875) -> high, high, high, mid, mid
    assert out.user_class.tolist() == ["high", "high", "mid", "mid", "high"]
    assert out.loc[5, "cell"] == "potential" and out.loc[5, "action"] == "shelf"
    # sku 3 is low x mid (improve), not slow: no drop even with 300 days of stock
    assert out.loc[3, "cell"] == "improve" and out.loc[3, "action"] == "keep"
    # fastest 30 % of 5 = floor(1.5) = 1 SKU: only sku 5
    assert (out.action == "shelf").sum() == 1


def test_custom_cutoffs():
    # values 50, 30, 20 with cut-offs (0.5, 0.8): above 0, 50, 80 -> high, mid (50 !< 50, 50 < 80), low
    out = cumulative_class(pd.Series([1, 2, 3]), pd.Series([50.0, 30.0, 20.0]), cutoffs=(0.5, 0.8))
    assert out.tolist() == ["high", "mid", "low"]


def test_bad_input():
    with pytest.raises(ValueError):
        classify(pd.DataFrame({"sku_id": [1]}), days=30)
    with pytest.raises(ValueError):
        classify(table([[1, 1, 1.0, 1.0, 1, 1.0, 1.0]]), days=0)
