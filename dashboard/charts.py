"""Plotly figure builders: DataFrame in, Figure out, labels from the locale; no Streamlit calls."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import fmt_number, fmt_pct, label, t

# One palette for every chart, so a code keeps its colour from page to page.
PALETTE = ["#1f6f5c", "#d9822b", "#3d6fb6", "#b5475c", "#7a8b3a", "#8e5ea2", "#4f9da6", "#a2845e", "#6b6b6b"]
DAY_FORMAT = {"zh": "%-m月%-d日", "en": "%b %-d"}  # plotly's own date ticks are English
MONTH_FORMAT = {"zh": "%Y年%-m月", "en": "%b %Y"}
CJK_FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Bars a ranking chart of people, stations or routes draws at most (a province's 12,500 routes made a chart
# 225,000 px tall, its 2,500 customer managers one of 75,000 px); beyond it the worst (or the largest) ones.
MAX_RANKED = 60


# The house look: CJK-capable font, quiet grid, legend on top, number separators per language.
HOUSE = {
    "font": {"family": CJK_FONT, "size": 13},
    "colorway": PALETTE,
    "margin": {"l": 8, "r": 8, "t": 40, "b": 8},
    "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "title": None},
    "separators": ".,",  # decimal point and thousands comma read the same in zh-CN and en
    "hoverlabel": {"font": {"family": CJK_FONT}},
    "plot_bgcolor": "white",
}
# the title on its own line above the legend (a long one ran into it)
TITLED = {"margin": {"t": 76}, "title": {"yref": "container", "y": 1, "yanchor": "top", "pad": {"t": 12}}}


def style(
    fig: go.Figure, lang: str, height: int = 360, extra: dict | None = None, marks: tuple[dict, ...] = ()
) -> go.Figure:
    """The house look (HOUSE; a titled chart's title on a line of its own) over the figure's own layout,
    then `extra`, and the shapes and annotations of `marks` (`hline`, `vline`, `box`, `note`) after the
    figure's own, set in one assignment: plotly's update_* calls check their paths one by one (~14 ms a
    chart, a fifth of a page's run); a layout assigned whole is checked once (~2 ms). Its add_hline and
    add_vline took ~15 ms a line, add_shape and add_annotation 3-5 ms each (the nine-grid board: 80 ms)."""
    layout = fig.layout.to_plotly_json()
    layout.pop("template", None)  # the default template comes back by itself; checking it again costs 12 ms
    layout = _merge(layout, {**HOUSE, "height": height})
    if (layout.get("title") or {}).get("text"):
        layout = _merge(layout, TITLED)
    for axis in {"xaxis", *(k for k in layout if k.startswith("xaxis"))}:  # as update_xaxes: every x axis
        layout[axis] = _merge(layout.get(axis) or {}, {"showgrid": False})
    for axis in {"yaxis", *(k for k in layout if k.startswith("yaxis"))}:
        layout[axis] = _merge(layout.get(axis) or {}, {"gridcolor": "#e8e8e8", "zeroline": False})
    layout = _merge(layout, extra or {})
    for key in ("shapes", "annotations"):
        added = [item for mark in marks for item in mark.get(key, ())]
        if added:
            layout[key] = [*layout.get(key, ()), *added]
    fig.layout = layout
    return fig


def hline(y, line: dict, text: str | None = None) -> dict:
    """A line across the plot at `y`, its label at the right end above it: what fig.add_hline adds."""
    shape = {
        "type": "line",
        "line": line,
        "xref": "x domain",
        "x0": 0,
        "x1": 1,
        "yref": "y",
        "y0": y,
        "y1": y,
    }
    label_ = {"xref": "x domain", "x": 1, "xanchor": "right", "yref": "y", "y": y, "yanchor": "bottom"}
    return {"shapes": [shape], "annotations": [] if text is None else [note(text, **label_)]}


def vline(x, line: dict, text: str | None = None) -> dict:
    """A line up the plot at `x`, its label at the top right of it: what fig.add_vline adds."""
    shape = {
        "type": "line",
        "line": line,
        "xref": "x",
        "x0": x,
        "x1": x,
        "yref": "y domain",
        "y0": 0,
        "y1": 1,
    }
    label_ = {"xref": "x", "x": x, "xanchor": "left", "yref": "y domain", "y": 1, "yanchor": "top"}
    return {"shapes": [shape], "annotations": [] if text is None else [note(text, **label_)]}


def box(**shape) -> dict:
    """A rectangle (fig.add_shape(type="rect", ...)'s arguments)."""
    return {"shapes": [{"type": "rect", **shape}]}


def note(text: str, **where) -> dict:
    """An annotation without an arrow, for `style`'s marks (`{"annotations": [note(...)]}`) or a line's."""
    return {"showarrow": False, "text": text, **where}


def _merge(base: dict, extra: dict) -> dict:
    """`base` with `extra` over it, nested dicts merged (as plotly's update_layout merges them)."""
    out = dict(base)
    for key, value in extra.items():
        nested = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = _merge(out[key], value) if nested else value
    return out


def count_axis(largest) -> dict:
    """An axis of whole counts: from zero, whole-number ticks (plotly's own ticks for a largest value of 1
    or 2 read 0.2, 0.4, ...)."""
    axis = {"rangemode": "tozero", "tickformat": ",d"}
    if largest is None or largest != largest or largest < 5:  # none, NaN or a few: a tick per unit
        axis["dtick"] = 1
    return axis


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
    marks = []
    for row in cells.itertuples():
        x, y = _CLASS_POS[row.user_class], _CLASS_POS[row.product_class]
        marks.append(
            box(
                x0=x,
                x1=x + 1,
                y0=y,
                y1=y + 1,
                line={"color": "white", "width": 3},
                fillcolor=CELL_COLOURS[row.cell],
                opacity=0.92 if row.n_skus else 0.35,
                layer="below",
            )
        )
        share = "" if row.revenue_share is None else fmt_pct(row.revenue_share)
        text = (
            f"<b>{label('nine_grid_cell', row.cell, lang)}</b><br>{t('nine_grid.skus_n', lang, n=row.n_skus)}"
            f"<br>{t('nine_grid.revenue_share', lang, value=share) if share else ''}"
        )
        marks.append({"annotations": [note(text, x=x + 0.5, y=y + 0.5, font={"color": "white", "size": 15})]})
    ticks = {"tickvals": [0.5, 1.5, 2.5], "range": [0, 3], "showgrid": False, "zeroline": False}
    names = [t(f"nine_grid.class_{c}", lang) for c in ("low", "mid", "high")]
    fig.update_xaxes(**ticks, ticktext=names, title=t("nine_grid.user_value", lang), fixedrange=True)
    fig.update_yaxes(**ticks, ticktext=names, title=t("nine_grid.product_value", lang), fixedrange=True)
    fig.update_layout(title=title)
    return style(fig, lang, height=430, marks=tuple(marks))


def days_text(days: float, lang: str) -> str:
    """Days of stock as read: a number of days, 'not sold' for stock without sales, a dash if unknown."""
    if days == float("inf"):
        return t("nine_grid.no_sales", lang)
    return "—" if pd.isna(days) else t("nine_grid.days_unit", lang, value=f"{days:,.0f}")


def _log_ticks(values: pd.Series) -> dict:
    """1-2-5 ticks as percentages over the data's range (plotly labels every minor log tick)."""
    ticks = [m * 10.0**e for e in range(-5, 1) for m in (1, 2, 5) if m * 10.0**e <= 1]
    low, high = float(values.min()), float(values.max())
    shown = [v for v in ticks if low / 2 <= v <= high * 2]
    return {"tickvals": shown, "ticktext": [f"{100 * v:g}%" for v in shown]}


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
    cut = {"dash": "dash", "color": "#888", "width": 1}
    marks = [vline(value, cut) for value in cuts.get("user", [])]
    marks += [hline(value, cut) for value in cuts.get("product", [])]
    fig.update_xaxes(type="log", title=t("nine_grid.user_value", lang), **_log_ticks(frame.x))
    fig.update_yaxes(type="log", title=t("nine_grid.product_value", lang), **_log_ticks(frame.y))
    fig.update_layout(title=t("nine_grid.scatter_title", lang), showlegend=False)
    return style(fig, lang, height=430, marks=tuple(marks))


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


# ---- tickets (咨询投诉闭环) ----------------------------------------------------------------------------


def _t(key: str, lang: str, **values) -> str:
    from dashboard.i18n import t

    return t(key, lang, **values)


def _label(kind: str, code, lang: str) -> str:
    from dashboard.i18n import label

    return label(kind, code, lang)


def _styled(fig: go.Figure, lang: str, height: int = 360, marks: tuple[dict, ...] = ()) -> go.Figure:
    """The house style with room for a title above the legend, so the two never overlap."""
    title = {"y": 0.98, "yanchor": "top", "x": 0, "xanchor": "left", "font": {"size": 15}}
    return style(fig, lang, height, {"margin": {"t": 84}, "title": title}, marks)


def _empty(fig: go.Figure, lang: str) -> go.Figure:
    """A chart with nothing to draw says so, instead of showing blank axes."""
    fig.add_annotation(
        text=_t("tickets.no_data", lang), showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def ticket_volume(volume, by: str, grain: str, lang: str) -> go.Figure:
    """Tickets received per day/week/month, stacked by channel, kind or topic."""
    code_kind = {"channel": "channel", "kind": "ticket_kind", "topic": "topic"}[by]
    fig = go.Figure()
    title = _t(
        "tickets.chart.volume",
        lang,
        by=_t(f"tickets.by.{by}", lang),
        grain=_t(f"tickets.grain.{grain}", lang),
    )
    if volume.empty:
        return _styled(_empty(fig.update_layout(title=title), lang), lang)
    table = volume.pivot_table(index="bucket", columns=by, values="n_tickets", aggfunc="sum", fill_value=0)
    order = table.sum().sort_values(ascending=False).index
    for code in order:
        name = _label(code_kind, code, lang)
        fig.add_bar(x=table.index, y=table[code], name=name, hovertemplate=f"{name}: %{{y}}<extra></extra>")
    fig.update_layout(title=title, barmode="stack", bargap=0.15)
    fig.update_yaxes(title=_t("tickets.axis.tickets", lang), **count_axis(table.sum(axis=1).max()))
    fig.update_xaxes(title=None, tickformat=DAY_FORMAT[lang] if grain != "month" else MONTH_FORMAT[lang])
    return _styled(fig, lang)


def ticket_mix(received_by, lang: str) -> go.Figure:
    """The channel mix of the period as a donut."""
    part = received_by[received_by["dimension"] == "channel"]
    fig = go.Figure(layout={"title": _t("tickets.chart.mix", lang)})
    if part.empty:
        return _styled(_empty(fig, lang), lang)
    names = [_label("channel", c, lang) for c in part["code"]]
    fig.add_pie(
        labels=names,
        values=part["n_tickets"],
        hole=0.5,
        sort=False,
        textinfo="percent",
        hovertemplate="%{label}: %{value} (%{percent})<extra></extra>",
    )
    fig = _styled(fig, lang)
    fig.update_layout(legend={"orientation": "v", "y": 0.5, "x": 1.02, "yanchor": "middle"})
    return fig


def ticket_topics(current, previous, lang: str, top: int = 8) -> go.Figure:
    """The top topics of the period beside the same topics in the previous period."""
    fig = go.Figure(layout={"title": _t("tickets.chart.topics", lang)})
    cur = current[current["dimension"] == "topic"].set_index("code")["n_tickets"]
    if cur.empty:
        return _styled(_empty(fig, lang), lang)
    prev = previous[previous["dimension"] == "topic"].set_index("code")["n_tickets"]
    codes = list(cur.sort_values(ascending=False).index[:top])[::-1]  # largest on top
    names = [_label("topic", c, lang) for c in codes]
    if len(prev):
        fig.add_bar(
            y=names,
            x=[int(prev.get(c, 0)) for c in codes],
            orientation="h",
            name=_t("tickets.previous", lang),
            marker_color="#c9c9c9",
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    fig.add_bar(
        y=names,
        x=[int(cur[c]) for c in codes],
        orientation="h",
        name=_t("tickets.current", lang),
        marker_color=PALETTE[0],
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.update_layout(barmode="group")
    fig.update_xaxes(
        title=_t("tickets.axis.tickets", lang), **count_axis(max(cur.max(), prev.max() if len(prev) else 0))
    )
    return _styled(fig, lang)


def ticket_funnel(funnel, lang: str) -> go.Figure:
    """The closed loop as a funnel: tickets reaching each stage, median hours to it, how many sit there."""
    fig = go.Figure(layout={"title": _t("tickets.chart.funnel", lang)})
    if funnel.empty or funnel["n_reached"].iloc[0] == 0:
        return _styled(_empty(fig, lang), lang)
    names = [_label("ticket_stage", s, lang) for s in funnel["stage"]]
    text = [
        _t(
            "tickets.funnel_text",
            lang,
            n=int(n),
            hours="—" if h != h or h is None else f"{h:.1f}",
            now=int(now),
        )
        for n, h, now in zip(funnel["n_reached"], funnel["median_hours"], funnel["n_now"], strict=True)
    ]
    fig.add_funnel(
        y=names,
        x=funnel["n_reached"],
        text=text,
        textinfo="text",
        marker_color=PALETTE[0],
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    return _styled(fig, lang)


def _step_points(x: pd.Series, y: pd.Series, step: float = 1e-3) -> tuple[pd.Series, pd.Series]:
    """The points of a rising step curve worth drawing: the first, the last, and each first reaching a new
    `step` of y. Drawn as steps, the curve is then never off by a `step` (0.4 px on a 380 px chart); a
    province's curves kept 40,000 points (1.7 MB to the browser) where ~1,000 draw the same line."""
    level = np.floor(y.to_numpy() / step)
    keep = np.r_[True, level[1:] != level[:-1]]
    keep[-1] = True
    return x[keep], y[keep]


def ticket_closure(curves: dict, summary, lang: str) -> go.Figure:
    """Kaplan-Meier curves of time to resolution by kind, with the 50 % line where the median is read."""
    fig = go.Figure(layout={"title": _t("tickets.chart.closure", lang)})
    if not curves:
        return _styled(_empty(fig, lang), lang)
    for i, (kind, curve) in enumerate(curves.items()):
        name = _t("tickets.all_kinds", lang) if kind == "all" else _label("ticket_kind", kind, lang)
        time, resolved = _step_points(curve["time"], 1 - curve["survival"])
        fig.add_scatter(
            x=time,
            y=resolved,
            mode="lines",
            line_shape="hv",
            name=name,
            line={"width": 3 if kind == "all" else 1.5, "color": "#333333" if kind == "all" else PALETTE[i]},
            hovertemplate=f"{name}: %{{x:.1f}} h → %{{y:.0%}}<extra></extra>",
        )
    fig.update_xaxes(title=_t("tickets.axis.hours", lang), rangemode="tozero")
    fig.update_yaxes(title=_t("tickets.axis.resolved_share", lang), tickformat=".0%", range=[0, 1.02])
    median = hline(0.5, {"dash": "dot", "color": "#888888"}, _t("tickets.median_line", lang))
    p90 = hline(0.9, {"dash": "dot", "color": "#bbbbbb"}, _t("tickets.p90_line", lang))
    return _styled(fig, lang, height=380, marks=(median, p90))


def ticket_sla_trend(volume, grain: str, target: float, lang: str) -> go.Figure:
    """Response and resolution SLA rates per bucket, with the target line."""
    fig = go.Figure(layout={"title": _t("tickets.chart.sla", lang, grain=_t(f"tickets.grain.{grain}", lang))})
    if volume.empty:
        return _styled(_empty(fig, lang), lang)
    sums = volume.groupby("bucket")[
        ["response_met", "response_breach", "resolution_met", "resolution_breach"]
    ].sum()
    for i, which in enumerate(("response", "resolution")):
        judged = sums[f"{which}_met"] + sums[f"{which}_breach"]
        rate = (sums[f"{which}_met"] / judged.where(judged > 0)).dropna()
        name = _t(f"tickets.{which}_sla", lang)
        fig.add_scatter(
            x=rate.index,
            y=rate,
            mode="lines+markers",
            name=name,
            line_color=PALETTE[i + 1],
            hovertemplate=f"{name}: %{{y:.1%}}<extra></extra>",
        )
    fig.update_yaxes(title=_t("tickets.axis.rate", lang), tickformat=".0%", range=[0, 1.05])
    goal = hline(
        target, {"dash": "dash", "color": PALETTE[3]}, _t("tickets.target_line", lang, value=f"{target:.0%}")
    )
    return _styled(fig, lang, marks=(goal,))


def ticket_backlog(by_age: dict, lang: str) -> go.Figure:
    """Open tickets at the period end by age: the older, the darker."""
    fig = go.Figure(layout={"title": _t("tickets.chart.backlog", lang)})
    names = [_label("ticket_age", b, lang) for b in by_age]
    fig.add_bar(
        x=names,
        y=list(by_age.values()),
        text=list(by_age.values()),
        textposition="outside",
        marker_color=["#9cc5b8", "#d9b36b", "#d9822b", "#b5475c"][: len(names)],
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    fig.update_yaxes(title=_t("tickets.axis.tickets", lang), rangemode="tozero")
    return _styled(fig, lang, height=320)


def ticket_ranking(
    ranking, unit: str, target: float, lang: str, measure: str = "resolution_sla_rate"
) -> go.Figure:
    """Stations, routes or first owners by a rate, best on top, worst at the bottom, with the target line;
    the MAX_RANKED worst of them when there are more (a province's 12,500 routes made a 225,000 px chart)."""
    part = ranking[(ranking["unit"] == unit) & ranking[measure].notna()]
    name = _t(f"tickets.unit.{unit}", lang)
    title = _t("tickets.chart.ranking", lang, unit=name)
    if len(part) > MAX_RANKED:
        title = _t("tickets.chart.ranking_worst", lang, unit=name, n=MAX_RANKED, total=f"{len(part):,}")
    fig = go.Figure(layout={"title": title})
    if part.empty:
        return _styled(_empty(fig, lang), lang)
    if len(part) > MAX_RANKED:  # the worst: the lowest rates, and of equal rates the most tickets
        order = [measure, "received", "unit_id"]
        part = part.sort_values(order, ascending=[True, False, False]).head(MAX_RANKED)
    else:
        part = part.sort_values([measure, "unit_id"], ascending=[True, False])  # plotly draws bottom-up
    names = [ranking_name(r, lang) for r in part.itertuples()]
    fig.add_bar(
        y=names,
        x=part[measure],
        orientation="h",
        customdata=part[["unit_id", "received"]].to_numpy(),
        marker_color=[PALETTE[3] if v < target else PALETTE[0] for v in part[measure]],
        text=[f"{v:.0%} · {n:,}" for v, n in zip(part[measure], part["received"], strict=True)],
        textposition="outside",  # a 0 % bar has no length: its label still says so
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.1%} (%{customdata[1]})<extra></extra>",
    )
    fig.update_xaxes(
        title=_t(f"tickets.{measure.removesuffix('_rate')}", lang), tickformat=".0%", range=[0, 1.2]
    )  # room right of 100 % for the labels
    goal = vline(
        target, {"dash": "dash", "color": PALETTE[3]}, _t("tickets.target_line", lang, value=f"{target:.0%}")
    )
    return _styled(fig, lang, height=max(320, 18 * len(part) + 110), marks=(goal,))


def ranking_name(row, lang: str) -> str:
    """A unit as people know it: a route with its customer manager, an owner by name, never a bare code."""
    name = row.unit_name if isinstance(row.unit_name, str) else _t("tickets.unassigned", lang)
    if row.unit == "route" and isinstance(row.manager_name, str):
        return f"{name} · {row.manager_name}"
    return name


def ticket_timeline(ticket: dict, lang: str) -> go.Figure:
    """One ticket's stages on a time axis; stages that have not happened are named in the title."""
    stages = ("received", "responded", "routed", "resolved", "callback")
    done = [(s, ticket.get(f"{s}_at")) for s in stages]
    shown = [(s, at) for s, at in done if at is not None and at == at]
    missing = [_label("ticket_stage", s, lang) for s, at in done if not (at is not None and at == at)]
    title = _t("tickets.chart.timeline", lang, id=ticket["ticket_id"])
    if missing:
        title += " · " + _t(
            "tickets.not_yet", lang, stages="、".join(missing) if lang == "zh" else ", ".join(missing)
        )
    names = [_label("ticket_stage", s, lang) for s, _ in shown]
    fig = go.Figure(layout={"title": title})
    fig.add_scatter(
        x=[at for _, at in shown],
        y=names,
        mode="lines+markers+text",
        text=[str(at)[:16] for _, at in shown],
        textposition="middle right",
        marker={"size": 12, "color": PALETTE[0]},
        line={"color": "#bbbbbb"},
        hovertemplate="%{y}: %{x}<extra></extra>",
    )
    fig.update_yaxes(categoryorder="array", categoryarray=names[::-1])
    return _styled(fig, lang, height=300)


# ---- satisfaction ------------------------------------------------------------------------------

BTYPE_ORDER = ("Z", "B", "S", "Y", "F", "M", "Q")


def btype_distribution(
    summary: pd.DataFrame, level: str, lang: str, order: list | None = None
) -> tuple[go.Figure, go.Figure]:
    """Customers per business type for each station (or route): stacked counts, and a heatmap of the mean
    satisfaction of each station x business type (blank where nobody was surveyed). `summary` holds the
    counts and sums of dashboard.satisfaction.gather (one row per station, route and business type);
    the units run by id from the top, or in `order` (ids, top first: the lowest-scoring of many)."""
    key, name = ("station_id", "station_name") if level == "station" else ("route_id", "route_name")
    grouped = summary.groupby([key, name, "business_type"], as_index=False).agg(
        n=("n_customers", "sum"), surveyed=("n_surveyed", "sum"), total=("sum_overall", "sum")
    )
    grouped["mean"] = grouped["total"].where(grouped["surveyed"] > 0) / grouped["surveyed"]
    units = sorted(grouped[[key, name]].drop_duplicates().itertuples(index=False), reverse=True)
    if order is not None:  # plotly draws the first category at the bottom
        rank = {unit: i for i, unit in enumerate(order)}
        units = sorted(units, key=lambda u: rank[u[0]], reverse=True)
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


def station_dimensions(
    station_means: pd.DataFrame, company: dict, lang: str, dimensions, order: list | None = None
) -> go.Figure:
    """Heatmap of each station's dimension means, coloured by the gap to the company's mean; stations by
    id from the top, or in `order` (ids, top first)."""
    stations = station_means[["station_id", "station_name"]].drop_duplicates().sort_values("station_id")
    if order is not None:
        rank = {unit: i for i, unit in enumerate(order)}
        stations = stations.sort_values("station_id", key=lambda ids: ids.map(rank))
    table = station_means.set_index(["station_id", "dimension"])["mean_score"].to_dict()
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


# ---- customer profile --------------------------------------------------------------------------


def customer_monthly(monthly: pd.DataFrame, lang: str) -> go.Figure:
    """One store's months: tobacco orders as bars, tobacco and non-tobacco gross profit as lines."""
    fig = go.Figure(layout={"title": _t("customer.chart.monthly", lang)})
    if monthly.empty:
        return _styled(_empty(fig, lang), lang, 320)
    months = pd.to_datetime(monthly["month"])
    fig.add_bar(x=months, y=monthly["tobacco_orders_yuan"].astype(float), name=_t("customer.orders", lang),
                marker_color=PALETTE[2], opacity=0.55)  # fmt: skip
    for i, (column, key) in enumerate(
        (("tobacco_gross_profit_yuan", "gross_profit"), ("nontobacco_gross_profit_yuan", "nontobacco_profit"))
    ):
        fig.add_scatter(x=months, y=monthly[column].astype(float), name=_t(f"customer.{key}", lang),
                        mode="lines+markers", line={"color": PALETTE[i]})  # fmt: skip
    fig.update_yaxes(title=_t("customer.yuan", lang), tickformat=",.0f")
    fig.update_xaxes(dtick="M1", tickformat="%Y-%m")
    return _styled(fig, lang, 320)


def customer_surveys(surveys: pd.DataFrame, dimensions, lang: str) -> go.Figure:
    """The store's survey scores by dimension over time (overall drawn thicker)."""
    fig = go.Figure(layout={"title": _t("customer.chart.surveys", lang)})
    if surveys.empty:
        return _styled(_empty(fig, lang), lang, 320)
    days = pd.to_datetime(surveys["surveyed_on"])
    for i, dim in enumerate(("overall", *dimensions)):
        fig.add_scatter(
            x=days,
            y=surveys[dim].astype(float),
            name=_t(f"satisfaction.dimension.{dim}", lang),
            mode="lines+markers",
            line={"width": 4 if dim == "overall" else 1.5, "color": PALETTE[i % len(PALETTE)]},
        )
    fig.update_yaxes(title=_t("customer.score", lang))
    return _styled(fig, lang, 320)


# ---- training and residencies -----------------------------------------------------------------


def training_breakdown(names: pd.Series, frame: pd.DataFrame, dimension: str, lang: str) -> go.Figure:
    """Sessions and attendances per format, station, topic or month (two bars per code; past MAX_RANKED
    codes, those with the most sessions)."""
    part = frame[frame["dimension"] == dimension]
    if len(part) > MAX_RANKED:
        kept = part.sort_values("n_sessions", ascending=False, kind="stable").head(MAX_RANKED).index
        names = pd.Series(list(names), index=part.index)[kept]
        part = part.loc[kept]
    fig = go.Figure(
        layout={"title": _t("programs.chart.training", lang, by=_t(f"programs.by.{dimension}", lang))}
    )
    if part.empty:
        return _styled(_empty(fig, lang), lang, 340)
    # two y axes: without an offset group each, plotly draws both bars on the same spot
    fig.add_bar(
        x=list(names),
        y=part["n_sessions"],
        name=_t("programs.sessions", lang),
        marker_color=PALETTE[0],
        offsetgroup="sessions",
    )
    fig.add_bar(x=list(names), y=part["n_attendances"], name=_t("programs.attendances", lang),
                marker_color=PALETTE[1], yaxis="y2", offsetgroup="attendances")  # fmt: skip
    fig.update_layout(
        barmode="group",
        yaxis={"title": _t("programs.sessions", lang), **count_axis(part["n_sessions"].max())},
        yaxis2={
            "title": _t("programs.attendances", lang),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "tickmode": "auto",  # its own ticks: synced to the sessions' 0, 1, 2 it read 0, 14, 28
            **count_axis(part["n_attendances"].max()),
        },
    )
    fig.update_xaxes(type="category")
    return _styled(fig, lang, 340)


def residency_breakdown(by_frame: pd.DataFrame, key: str, names: list, lang: str) -> go.Figure:
    """Residency days and staff per station, month or focus (past MAX_RANKED, those with the most days)."""
    if len(by_frame) > MAX_RANKED:
        kept = (
            by_frame.reset_index(drop=True)
            .sort_values("days", ascending=False, kind="stable")
            .head(MAX_RANKED)
        )
        names = [names[i] for i in kept.index]
        by_frame = kept
    fig = go.Figure(layout={"title": _t("programs.chart.residency", lang)})
    if by_frame.empty:
        return _styled(_empty(fig, lang), lang, 320)
    for i, column in enumerate(("days", "n_staff", "n_stores")):
        fig.add_bar(
            x=names, y=by_frame[column], name=_t(f"programs.res.{column}", lang), marker_color=PALETTE[i]
        )
    fig.update_layout(
        barmode="group", yaxis=count_axis(by_frame[["days", "n_staff", "n_stores"]].max().max())
    )
    fig.update_xaxes(type="category")
    return _styled(fig, lang, 320)


def effect_bars(result: dict, measure: str, lang: str) -> go.Figure:
    """Before and after means of the served customers and of the comparison group, side by side."""
    fig = go.Figure(layout={"title": _t(f"programs.measure.{measure}", lang)})
    if result["effect"] is None:
        return _styled(_empty(fig, lang), lang, 320)
    x = [_t("programs.before", lang), _t("programs.after", lang)]
    for i, group in enumerate(("treated", "control")):
        n = result[f"n_{group}"]
        fig.add_bar(x=x, y=[result[f"{group}_before"], result[f"{group}_after"]], marker_color=PALETTE[i],
                    name=_t(f"programs.group.{group}", lang, n=n))  # fmt: skip
    fig.update_layout(barmode="group")
    if measure == "satisfaction":
        low = min(
            result["treated_before"],
            result["control_before"],
            result["treated_after"],
            result["control_after"],
        )
        fig.update_yaxes(range=[max(0, low - 10), 100])
    return _styled(fig, lang, 320)


# ---- staff (三劳指数) ---------------------------------------------------------------------------

STAFF_INDICES = ("diligence", "effort", "merit")
STAFF_TERMS = (
    ("diligence", "done_rate", "d_done_rate"),
    ("diligence", "coverage", "d_coverage"),
    ("diligence", "on_plan", "d_on_plan"),
    ("effort", "hours", "e_hours"),
    ("effort", "tasks", "e_tasks"),
    ("effort", "checkin", "e_checkin"),
    ("merit", "satisfaction", "m_satisfaction"),
    ("merit", "uplift", "uplift"),
    ("merit", "resolution_sla", "sla_rate"),
    ("merit", "trained", "m_trained"),
)


def _score(value):
    return None if value is None or pd.isna(value) else round(float(value), 1)


def staff_ranking(frame: pd.DataFrame, lang: str, column: str = "composite") -> go.Figure:
    """One bar per person, best at the top; the lowest bar in the alert colour. Past MAX_RANKED people, the
    lowest MAX_RANKED."""
    part = frame.sort_values("rank" if column == "composite" else "assessment_rank", ascending=False)
    part = part.head(MAX_RANKED)  # the lowest ranks come first here
    values = [_score(v) for v in part[column]]
    colours = [PALETTE[3] if i == 0 else PALETTE[0] for i in range(len(part))]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=list(part.staff_name),
            orientation="h",
            marker_color=colours,
            text=[fmt_number(v) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    low = min([v for v in values if v is not None] or [0])
    fig.update_xaxes(range=[max(0, low - 15), 100], title=t(f"staff.score.{column}", lang))
    fig.update_layout(title=t("staff.chart_ranking", lang))
    return style(fig, lang, height=max(260, 40 + 30 * len(part)))


def staff_radar(person: dict, station: dict, lang: str) -> go.Figure:
    """The person's three indices, composite and assessment against the station's mean."""
    keys = [*STAFF_INDICES, "composite", "assessment"]
    theta = [t(f"staff.score.{k}", lang) for k in keys]
    fig = go.Figure()
    for row, name, colour in (
        (station, t("staff.station_mean", lang, station=person["station_name"]), PALETTE[1]),
        (person, person["staff_name"], PALETTE[0]),
    ):
        r = [_score(row.get(k)) for k in keys]
        fig.add_trace(
            go.Scatterpolar(
                r=[*r, r[0]], theta=[*theta, theta[0]], name=name, line_color=colour, fill="toself",
                opacity=0.75, hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>",
            )
        )  # fmt: skip
    values = [_score(person.get(k)) for k in keys] + [_score(station.get(k)) for k in keys]
    low = min([v for v in values if v is not None] or [0])
    fig.update_layout(
        title=t("staff.radar_title", lang, name=person["staff_name"]),
        polar={
            "angularaxis": {"rotation": 90, "direction": "clockwise"},
            "radialaxis": {
                "range": [max(0, 10 * (low // 10) - 10), 100],
                "angle": 54,
                "tickfont": {"size": 10},
            },
        },
    )
    return _legend_below(style(fig, lang, height=420))


def _legend_below(fig: go.Figure) -> go.Figure:
    """A chart with a title: the legend goes under the plot, so the two never overlap."""
    fig.update_layout(legend={"y": -0.12, "yanchor": "top", "x": 0.5, "xanchor": "center"})
    return fig


def staff_terms(person: dict, station: dict, lang: str) -> go.Figure:
    """Every term behind the indices (0-100 %), person against the station mean: where the points went."""
    person_row = {**person, "m_satisfaction": _share(person.get("satisfaction_mean"))}
    station_row = {**station, "m_satisfaction": _share(station.get("satisfaction_mean"))}
    names = [
        f"{t(f'staff.score.{group}', lang)} · {t(f'staff.term.{group}.{term}', lang)}"
        for group, term, _ in STAFF_TERMS
    ]
    fig = go.Figure()
    for row, name, colour in (
        (station_row, t("staff.station_mean", lang, station=person["station_name"]), PALETTE[1]),
        (person_row, person["staff_name"], PALETTE[0]),
    ):
        x = [None if _missing(row.get(col)) else 100 * float(row[col]) for _, _, col in STAFF_TERMS]
        fig.add_trace(
            go.Bar(
                x=x, y=names, orientation="h", name=name, marker_color=colour,
                text=["—" if v is None else f"{v:.0f}%" for v in x], textposition="outside", cliponaxis=False,
                hovertemplate="%{y}: %{x:.1f}%<extra>" + name + "</extra>",
            )
        )  # fmt: skip
    fig.update_xaxes(range=[0, 112], ticksuffix="%")
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(barmode="group", bargap=0.25)
    return style(fig, lang, height=520)


def _missing(value) -> bool:
    return value is None or pd.isna(value)


def _share(value):
    return None if _missing(value) else float(value) / 100


def staff_trend(trend: pd.DataFrame, name: str, lang: str) -> go.Figure:
    """The three indices of one person month by month."""
    from dashboard.i18n import fmt_month

    fig = go.Figure()
    months = [fmt_month(pd.Timestamp(d).date(), lang) for d in trend.date_from]
    for i, key in enumerate(STAFF_INDICES):
        fig.add_trace(
            go.Scatter(
                x=months, y=[_score(v) for v in trend[key]], name=t(f"staff.score.{key}", lang),
                mode="lines+markers", line_color=PALETTE[i], hovertemplate="%{x}: %{y:.1f}<extra></extra>",
            )
        )  # fmt: skip
    fig.update_xaxes(type="category")
    fig.update_layout(title=t("staff.trend_title", lang, name=name))
    return _legend_below(style(fig, lang, height=420))


def staff_joint(joint: pd.DataFrame, lang: str) -> go.Figure:
    """Joint visits' share of the customer managers' visits, per station (past MAX_RANKED stations, the
    lowest shares)."""
    if len(joint) > MAX_RANKED:
        joint = joint.sort_values("joint_share", kind="stable").head(MAX_RANKED)
    shares = [None if _missing(v) else float(v) for v in joint.joint_share]
    fig = go.Figure(
        go.Bar(
            x=list(joint.station_name), y=shares, marker_color=PALETTE[2],
            text=[fmt_pct(v) for v in shares], textposition="outside", cliponaxis=False,
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    fig.update_layout(title=t("staff.joint_share_title", lang))
    return style(fig, lang, height=320)
