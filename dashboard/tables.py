"""Tables as people read them: localized headers and labels, sorted, rounded (no Streamlit)."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import CELL_COLOURS, days_text
from dashboard.i18n import label, t


def nine_grid_skus(skus: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The classified SKUs with the figures behind their cell and the suggested action."""
    order = {cell: i for i, cell in enumerate(CELL_COLOURS)}
    frame = skus.assign(_order=skus.cell.map(order)).sort_values(
        ["_order", "revenue_yuan"], ascending=[True, False]
    )
    basket = frame.basket_value_yuan / frame.transactions.where(frame.transactions > 0)
    return pd.DataFrame(
        {
            t("nine_grid.cell", lang): [label("nine_grid_cell", c, lang) for c in frame.cell],
            t("nine_grid.sku", lang): frame.sku_name,
            t("nine_grid.category", lang): [label("product_category", c, lang) for c in frame.category],
            t("nine_grid.units", lang): frame.units.round(0),
            t("nine_grid.revenue", lang): frame.revenue_yuan.round(2),
            t("nine_grid.gross_profit", lang): frame.gross_profit_yuan.round(2),
            t("nine_grid.transactions", lang): frame.transactions.round(0),
            t("nine_grid.basket", lang): basket.round(2),
            t("nine_grid.stock", lang): frame.avg_stock_units.round(1),
            t("nine_grid.days_of_stock", lang): [days_text(d, lang) for d in frame.days_of_stock],
            t("nine_grid.action", lang): [label("nine_grid_action", a, lang) for a in frame.action],
        }
    ).reset_index(drop=True)


def nine_grid_moves(moved: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The goods that changed cell between two periods."""
    return pd.DataFrame(
        {
            t("nine_grid.sku", lang): moved.sku_name,
            t("nine_grid.before", lang): [label("nine_grid_cell", c, lang) for c in moved.cell_before],
            t("nine_grid.after", lang): [label("nine_grid_cell", c, lang) for c in moved.cell_after],
        }
    )
