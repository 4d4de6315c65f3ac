"""Plotly figure builders: DataFrame in, Figure out, labels from the locale; no Streamlit calls."""

from __future__ import annotations

import plotly.graph_objects as go

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
