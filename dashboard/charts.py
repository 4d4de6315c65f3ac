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


# ---- tickets (咨询投诉闭环) ----------------------------------------------------------------------------


def _t(key: str, lang: str, **values) -> str:
    from dashboard.i18n import t

    return t(key, lang, **values)


def _label(kind: str, code, lang: str) -> str:
    from dashboard.i18n import label

    return label(kind, code, lang)


def _styled(fig: go.Figure, lang: str, height: int = 360) -> go.Figure:
    """The house style with room for a title above the legend, so the two never overlap."""
    style(fig, lang, height)
    fig.update_layout(
        margin={"t": 84}, title={"y": 0.98, "yanchor": "top", "x": 0, "xanchor": "left", "font": {"size": 15}}
    )
    return fig


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
    fig.update_yaxes(title=_t("tickets.axis.tickets", lang))
    fig.update_xaxes(title=None)
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
    fig.update_xaxes(title=_t("tickets.axis.tickets", lang))
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


def ticket_closure(curves: dict, summary, lang: str) -> go.Figure:
    """Kaplan-Meier curves of time to resolution by kind, with the 50 % line where the median is read."""
    fig = go.Figure(layout={"title": _t("tickets.chart.closure", lang)})
    if not curves:
        return _styled(_empty(fig, lang), lang)
    for i, (kind, curve) in enumerate(curves.items()):
        name = _t("tickets.all_kinds", lang) if kind == "all" else _label("ticket_kind", kind, lang)
        fig.add_scatter(
            x=curve["time"],
            y=1 - curve["survival"],
            mode="lines",
            line_shape="hv",
            name=name,
            line={"width": 3 if kind == "all" else 1.5, "color": "#333333" if kind == "all" else PALETTE[i]},
            hovertemplate=f"{name}: %{{x:.1f}} h → %{{y:.0%}}<extra></extra>",
        )
    fig.add_hline(
        y=0.5, line_dash="dot", line_color="#888888", annotation_text=_t("tickets.median_line", lang)
    )
    fig.add_hline(y=0.9, line_dash="dot", line_color="#bbbbbb", annotation_text=_t("tickets.p90_line", lang))
    fig.update_xaxes(title=_t("tickets.axis.hours", lang), rangemode="tozero")
    fig.update_yaxes(title=_t("tickets.axis.resolved_share", lang), tickformat=".0%", range=[0, 1.02])
    return _styled(fig, lang, height=380)


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
    fig.add_hline(
        y=target,
        line_dash="dash",
        line_color=PALETTE[3],
        annotation_text=_t("tickets.target_line", lang, value=f"{target:.0%}"),
    )
    fig.update_yaxes(title=_t("tickets.axis.rate", lang), tickformat=".0%", range=[0, 1.05])
    return _styled(fig, lang)


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
    """Stations, routes or first owners by a rate, best on top, worst at the bottom, with the target line."""
    fig = go.Figure(
        layout={"title": _t("tickets.chart.ranking", lang, unit=_t(f"tickets.unit.{unit}", lang))}
    )
    part = ranking[(ranking["unit"] == unit) & ranking[measure].notna()]
    if part.empty:
        return _styled(_empty(fig, lang), lang)
    part = part.sort_values([measure, "unit_id"], ascending=[True, False])  # plotly draws bottom-up
    names = [ranking_name(r, lang) for r in part.itertuples()]
    fig.add_bar(
        y=names,
        x=part[measure],
        orientation="h",
        customdata=part[["unit_id", "received"]].to_numpy(),
        marker_color=[PALETTE[3] if v < target else PALETTE[0] for v in part[measure]],
        hovertemplate="%{y}: %{x:.1%} (%{customdata[1]})<extra></extra>",
    )
    fig.add_vline(
        x=target,
        line_dash="dash",
        line_color=PALETTE[3],
        annotation_text=_t("tickets.target_line", lang, value=f"{target:.0%}"),
    )
    fig.update_xaxes(
        title=_t(f"tickets.{measure.removesuffix('_rate')}", lang), tickformat=".0%", range=[0, 1.05]
    )
    return _styled(fig, lang, height=max(320, 18 * len(part) + 110))


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
