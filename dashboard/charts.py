"""Plotly figure builders: DataFrame in, Figure out, labels from the locale; no Streamlit calls."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import fmt_pct, label, t

# One palette for every chart, so a code keeps its colour from page to page.
PALETTE = ["#1f6f5c", "#d9822b", "#3d6fb6", "#b5475c", "#7a8b3a", "#8e5ea2", "#4f9da6", "#a2845e", "#6b6b6b"]
CJK_FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"


def style(fig: go.Figure, lang: str, height: int = 360) -> go.Figure:
    """The house look: CJK-capable font, quiet grid, legend on top, number separators per language."""
    fig.update_layout(
        height=height,
        font={"family": CJK_FONT, "size": 13},
        colorway=PALETTE,
        margin={"l": 8, "r": 8, "t": 40, "b": 8},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
        separators=".,",  # decimal point and thousands comma read the same in zh-CN and en
        hoverlabel={"font": {"family": CJK_FONT}},
        plot_bgcolor="white",
    )
    fig.update_xaxes(showgrid=False)
    fig.update_yaxes(gridcolor="#e8e8e8", zeroline=False)
    return fig


# ---- nine-grid ---------------------------------------------------------------------------------

CELL_COLOURS = {
    "hit": "#1f6f5c",
    "profit": "#3d6fb6",
    "niche": "#8e5ea2",
    "traffic": "#d9822b",
    "staple": "#7a8b3a",
    "watch": "#c9a227",
    "potential": "#4f9da6",
    "improve": "#a2845e",
    "slow": "#b5475c",
}
_CLASS_POS = {"low": 0, "mid": 1, "high": 2}


def nine_grid_board(cells: pd.DataFrame, lang: str, title: str) -> go.Figure:
    """The 3x3 board: user value left to right, product value bottom to top; name, count, sales share."""
    fig = go.Figure()
    for row in cells.itertuples():
        x, y = _CLASS_POS[row.user_class], _CLASS_POS[row.product_class]
        fig.add_shape(
            type="rect",
            x0=x,
            x1=x + 1,
            y0=y,
            y1=y + 1,
            line={"color": "white", "width": 3},
            fillcolor=CELL_COLOURS[row.cell],
            opacity=0.92 if row.n_skus else 0.35,
            layer="below",
        )
        share = "" if row.revenue_share is None else fmt_pct(row.revenue_share)
        text = (
            f"<b>{label('nine_grid_cell', row.cell, lang)}</b><br>{t('nine_grid.skus_n', lang, n=row.n_skus)}"
            f"<br>{t('nine_grid.revenue_share', lang, value=share) if share else ''}"
        )
        fig.add_annotation(
            x=x + 0.5, y=y + 0.5, text=text, showarrow=False, font={"color": "white", "size": 15}
        )
    ticks = {"tickvals": [0.5, 1.5, 2.5], "range": [0, 3], "showgrid": False, "zeroline": False}
    names = [t(f"nine_grid.class_{c}", lang) for c in ("low", "mid", "high")]
    fig.update_xaxes(**ticks, ticktext=names, title=t("nine_grid.user_value", lang), fixedrange=True)
    fig.update_yaxes(**ticks, ticktext=names, title=t("nine_grid.product_value", lang), fixedrange=True)
    fig.update_layout(title=title)
    return style(fig, lang, height=430)


def days_text(days: float, lang: str) -> str:
    """Days of stock as read: a number of days, 'not sold' for stock without sales, a dash if unknown."""
    if days == float("inf"):
        return t("nine_grid.no_sales", lang)
    return "—" if pd.isna(days) else t("nine_grid.days_unit", lang, value=f"{days:,.0f}")


def nine_grid_scatter(skus: pd.DataFrame, cuts: dict[str, list[float]], lang: str) -> go.Figure:
    """Each SKU by product and user value (log axes), bubble by sales, colour by days of stock; the cut
    lines show where the classes meet."""
    frame = skus.copy()
    floor = 1e-5  # log axes: goods with no value sit on the floor
    frame["x"] = frame.user_value.clip(lower=floor)
    frame["y"] = frame.product_value.clip(lower=floor)
    frame["days"] = frame.days_of_stock.replace([float("inf")], float("nan"))
    frame["days_text"] = [days_text(d, lang) for d in frame.days_of_stock]
    frame["cell_label"] = [label("nine_grid_cell", c, lang) for c in frame.cell]
    size = 8 + 40 * (frame.revenue_yuan / max(float(frame.revenue_yuan.max()), 1.0)) ** 0.5
    fig = go.Figure(
        go.Scatter(
            x=frame.x,
            y=frame.y,
            mode="markers",
            marker={
                "size": size,
                "color": frame.days.clip(upper=180),
                "colorscale": "RdYlGn_r",
                "cmin": 0,
                "cmax": 180,
                "line": {"width": 0.5, "color": "white"},
                "colorbar": {"title": {"text": t("nine_grid.days_of_stock", lang)}, "thickness": 12},
            },
            customdata=frame[["sku_name", "cell_label", "revenue_yuan", "days_text"]].to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>"
            + t("nine_grid.revenue", lang)
            + ": %{customdata[2]:,.0f}<br>"
            + t("nine_grid.days_of_stock", lang)
            + ": %{customdata[3]}<extra></extra>",
        )
    )
    for value in cuts.get("user", []):
        fig.add_vline(x=value, line={"dash": "dash", "color": "#888", "width": 1})
    for value in cuts.get("product", []):
        fig.add_hline(y=value, line={"dash": "dash", "color": "#888", "width": 1})
    fig.update_xaxes(type="log", title=t("nine_grid.user_value", lang), tickformat=".1%")
    fig.update_yaxes(type="log", title=t("nine_grid.product_value", lang), tickformat=".1%")
    fig.update_layout(title=t("nine_grid.scatter_title", lang), showlegend=False)
    return style(fig, lang, height=430)


def nine_grid_before_after(before: dict[str, int], after: dict[str, int], lang: str, title: str) -> go.Figure:
    """Goods per cell in the two periods, side by side."""
    cells = list(CELL_COLOURS)
    names = [label("nine_grid_cell", c, lang) for c in cells]
    fig = go.Figure(
        [
            go.Bar(
                name=t("nine_grid.before", lang),
                x=names,
                y=[before[c] for c in cells],
                marker_color="#b9c4c9",
                text=[before[c] for c in cells],
                textposition="outside",
            ),
            go.Bar(
                name=t("nine_grid.after", lang),
                x=names,
                y=[after[c] for c in cells],
                marker_color=[CELL_COLOURS[c] for c in cells],
                text=[after[c] for c in cells],
                textposition="outside",
            ),
        ]
    )
    fig.update_layout(title=title, barmode="group", bargap=0.25)
    return style(fig, lang, height=380)


def nine_grid_sankey(moves: pd.DataFrame, lang: str) -> go.Figure:
    """Goods flowing from their cell before to their cell after ('none' = not sold in that period)."""
    cells = [*CELL_COLOURS, "none"]

    def name(cell: str) -> str:
        return t("nine_grid.not_sold", lang) if cell == "none" else label("nine_grid_cell", cell, lang)

    colours = [*CELL_COLOURS.values(), "#bbbbbb"]
    index = {c: i for i, c in enumerate(cells)}
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={"label": [name(c) for c in cells] * 2, "color": colours * 2, "pad": 12, "thickness": 14},
            link={
                "source": [index[c] for c in moves.cell_before],
                "target": [len(cells) + index[c] for c in moves.cell_after],
                "value": moves.n_skus.tolist(),
                "color": [
                    "rgba(31,111,92,0.25)" if a == b else "rgba(181,71,92,0.25)"
                    for a, b in zip(moves.cell_before, moves.cell_after, strict=True)
                ],
            },
        )
    )
    fig.update_layout(title=t("nine_grid.sankey_title", lang))
    return style(fig, lang, height=460)
