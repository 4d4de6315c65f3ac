"""Plotly figure builders: DataFrame in, Figure out, labels from the locale; no Streamlit calls."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import fmt_number, label, t

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


# ---- satisfaction ------------------------------------------------------------------------------

BTYPE_ORDER = ("Z", "B", "S", "Y", "F", "M", "Q")


def btype_distribution(frame: pd.DataFrame, level: str, lang: str) -> tuple[go.Figure, go.Figure]:
    """Customers per business type for each station (or route): stacked counts, and a heatmap of the mean
    satisfaction of each station x business type (blank where nobody was surveyed)."""
    key, name = ("station_id", "station_name") if level == "station" else ("route_id", "route_name")
    grouped = frame.groupby([key, name, "business_type"], as_index=False).agg(
        n=("customer_id", "size"), surveyed=("overall", "count"), mean=("overall", "mean")
    )
    units = sorted(grouped[[key, name]].drop_duplicates().itertuples(index=False), reverse=True)
    names = [u[1] for u in units]
    present = [b for b in BTYPE_ORDER if b in set(grouped.business_type)]
    level_label = t(f"satisfaction.{'station' if level == 'station' else 'route'}", lang)
    count_label, mean_label = t("satisfaction.col.customers", lang), t("satisfaction.col.mean", lang)
    ids = [u[0] for u in units]
    n_table = grouped.pivot_table(index=key, columns="business_type", values="n", aggfunc="sum").reindex(ids)
    mean_table = grouped.pivot_table(index=key, columns="business_type", values="mean", aggfunc="first")
    mean_table = mean_table.reindex(index=ids, columns=present)
    counts = go.Figure()
    for code in present:
        counts.add_bar(
            y=names,
            x=n_table[code].fillna(0).astype(int).tolist(),
            orientation="h",
            name=label("business_type", code, lang),
            marker_color=PALETTE[BTYPE_ORDER.index(code) % len(PALETTE)],
            customdata=["—" if pd.isna(v) else fmt_number(v) for v in mean_table[code]],
            hovertemplate=f"%{{y}} · {label('business_type', code, lang)}<br>{count_label}: %{{x}}"
            f"<br>{mean_label}: %{{customdata}}<extra></extra>",
        )
    height = max(300, 26 * len(units) + 120)
    counts.update_layout(
        barmode="stack",
        title=t("satisfaction.distribution_counts", lang),
        xaxis_title=count_label,
        yaxis_title=level_label,
    )
    z = [[_num(v) for v in row] for row in mean_table.itertuples(index=False)]
    text = [["" if v is None else fmt_number(v) for v in row] for row in z]
    means = go.Figure(
        go.Heatmap(
            z=z,
            x=[label("business_type", b, lang) for b in present],
            y=names,
            text=text,
            texttemplate="%{text}",
            colorscale=[[0, "#d7191c"], [0.5, "#fdae61"], [1, "#1a9641"]],
            zmin=60,
            zmax=95,
            hoverongaps=False,
            colorbar={"title": {"text": mean_label}},
            hovertemplate=f"%{{y}} · %{{x}}<br>{mean_label}: %{{text}}<extra></extra>",
        )
    )
    means.update_layout(title=t("satisfaction.distribution_means", lang), yaxis_title=level_label)
    return style(counts, lang, height), style(means, lang, height)


def _num(value):
    return None if value is None or pd.isna(value) else round(float(value), 1)


def dimension_comparison(means: pd.DataFrame, lang: str, dimensions) -> go.Figure:
    """Mean per survey dimension: this scope vs the whole company vs the previous wave (grouped bars)."""
    fig = go.Figure()
    names = [t(f"satisfaction.dimension.{d}", lang) for d in dimensions]
    for i, (snapshot, key) in enumerate(
        (("scope", "scope_series"), ("company", "company_series"), ("previous_wave", "previous_series"))
    ):
        rows = means[means.snapshot == snapshot].set_index("dimension")["mean_score"]
        values = [_num(rows.get(d)) for d in dimensions]
        fig.add_bar(
            x=names,
            y=values,
            name=t(f"satisfaction.{key}", lang),
            marker_color=PALETTE[i],
            text=["" if v is None else fmt_number(v) for v in values],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1f}<extra>" + t(f"satisfaction.{key}", lang) + "</extra>",
        )
    fig.update_layout(
        barmode="group",
        title=t("satisfaction.dimension_compare", lang),
        yaxis={"range": [50, 100], "title": t("satisfaction.col.score", lang)},
        xaxis_title=t("satisfaction.col.dimension", lang),
    )
    return style(fig, lang, 380)


def station_dimensions(station_means: pd.DataFrame, company: dict, lang: str, dimensions) -> go.Figure:
    """Heatmap of each station's dimension means, coloured by the gap to the company's mean."""
    stations = station_means[["station_id", "station_name"]].drop_duplicates().sort_values("station_id")
    table = station_means.set_index(["station_id", "dimension"])["mean_score"]
    z, text = [], []
    for sid in stations.station_id:
        values = [_num(table.get((sid, d))) for d in dimensions]
        gaps = [None if v is None or company.get(d) is None else round(v - company[d], 1)
                for v, d in zip(values, dimensions, strict=True)]  # fmt: skip
        z.append(gaps)
        text.append(["" if v is None else fmt_number(v) for v in values])
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[t(f"satisfaction.dimension.{d}", lang) for d in dimensions],
            y=list(stations.station_name),
            text=text,
            texttemplate="%{text}",
            colorscale=[[0, "#d7191c"], [0.5, "#f7f7f7"], [1, "#1a9641"]],
            zmid=0,
            hoverongaps=False,
            colorbar={"title": {"text": "± " + t("satisfaction.company_series", lang)}},
            hovertemplate="%{y} · %{x}: %{text}<br>± " + t("satisfaction.company_series", lang)
            + ": %{z:+.1f}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_layout(title=t("satisfaction.dimension_stations", lang), yaxis={"autorange": "reversed"})
    return style(fig, lang, max(300, 34 * len(stations) + 140))
