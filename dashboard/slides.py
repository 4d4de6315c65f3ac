"""The meeting's slides (例会材料): one definition for presentation mode and for the PPTX/XLSX pack.

Each slide holds what a presenter shows for the fixed scope: KPI cards, up to two charts, one table,
and the map for the satisfaction slide. The figures come from the area modules the pages use, so a
slide shows the page's numbers. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import plotly.graph_objects as go

from dashboard import (
    charts,
    maps,
    nine_grid,
    overview,
    programs,
    rollups,
    satisfaction,
    staff,
    tables,
    tickets,
)
from dashboard.catalog import Catalog
from dashboard.i18n import fmt_count, fmt_number, fmt_pct, fmt_period, label, t
from dashboard.kpis import Runner
from dashboard.scope import Scope

SLIDES = ("overview", "ranking", "tickets", "satisfaction", "nine_grid", "staff", "programs")


def name(key: str, lang: str) -> str:
    """What a slide is called before it is made (its menu title; the ranking slide by its level)."""
    return t("overview.units.title_station" if key == "ranking" else f"nav.{key}", lang)


@dataclass(frozen=True)
class SlideCard:
    kpi: str
    label: str
    value: str
    note: str = ""
    status: str | None = None  # met / missed against a target, None when there is none
    delta: str | None = None  # the change from the previous period, formatted
    delta_color: str = "off"


@dataclass
class Slide:
    key: str
    title: str
    cards: list[SlideCard] = field(default_factory=list)
    figures: list[go.Figure] = field(default_factory=list)
    table: pd.DataFrame | None = None  # text cells, as shown (a real table in the PPTX)
    table_title: str = ""
    deck: object | None = None  # the satisfaction map for the screen (the PPTX takes figures[0])
    legend: str = ""  # the deck's legend (HTML built from our own labels)
    notes: list[str] = field(default_factory=list)  # short lines under the body


def _overview(data: overview.OverviewData, lang: str) -> Slide:
    cards = overview.headline_cards(data.current, data.previous, data.last_year, data.trend, lang)
    previous = data.scope.previous()
    h = tables.partial_t("slides.kpi", lang)
    rows = [
        {
            h("kpi"): c.label,
            h("value"): c.value,
            h("vs_previous"): c.delta or "—",
            h("vs_last_year"): c.versus_last_year.split(" ", 1)[-1],
            h("target"): c.goal,
            h("status"): t(f"overview.card.{c.status or 'unknown'}", lang),
        }
        for c in cards
    ]
    return Slide(
        "overview",
        t("overview.heading", lang),
        cards=[
            SlideCard(
                c.kpi,
                c.label,
                c.value,
                f"{c.target}  \n{c.versus_last_year}",
                c.status,
                c.delta,
                c.delta_color,
            )
            for c in cards
        ],  # fmt: skip
        table=pd.DataFrame(rows),
        table_title=t("slides.kpi.title", lang),
        notes=[t("slides.compared", lang, period=fmt_period(previous.date_from, previous.date_to, lang))],
    )


def _ranking(data: overview.OverviewData, lang: str) -> Slide:
    level = overview.unit_level(data.scope)
    _, plain, pct = tables.overview_units(data.units, level, lang)
    shown = plain.copy()
    for column in shown.columns:
        if column in pct:
            shown[column] = [fmt_pct(v) for v in shown[column]]
        elif pd.api.types.is_float_dtype(shown[column]):
            shown[column] = [fmt_number(v) for v in shown[column]]
    needing = overview.attention(data.units, lang).head(5)
    notes = [
        t(
            "slides.attention_line",
            lang,
            name=row.unit_name,
            n=row.n_missed,
            reasons=("、" if lang == "zh" else ", ").join(row.missed),
        )  # fmt: skip
        for row in needing.itertuples()
    ]
    return Slide(
        "ranking",
        t(f"overview.units.title_{level}", lang),
        table=shown.head(15),
        table_title=t(f"overview.units.title_{level}", lang),
        notes=[t("overview.attention.title", lang) + ":", *notes]
        if notes
        else [t("overview.attention.empty", lang)],
    )


def _tickets(run: Runner, scope: Scope, first_day: date, lang: str) -> Slide:
    data = tickets.gather(run, scope, first_day)
    figures = tickets.figures(data, lang)
    return Slide(
        "tickets",
        t("tickets.heading", lang),
        cards=[
            SlideCard(c.kpi, c.label, c.value, c.caption, None, c.delta, c.delta_color)
            for c in tickets.cards(data, lang)
        ],
        figures=[figures["volume"], figures["closure"]],
    )


def _satisfaction(run: Runner, scope: Scope, lang: str) -> Slide:
    figures = satisfaction.page_figures(run, scope, lang)
    k, limits = figures.kpis, figures.limits
    mean = k["satisfaction.overall_mean"]
    cards = [
        SlideCard("satisfaction.overall_mean", t("satisfaction.kpi_mean", lang),
                  overview.fmt_value(mean, "points", lang)),
        SlideCard("satisfaction.surveyed", t("satisfaction.kpi_surveyed", lang),
                  fmt_count(k["satisfaction.surveyed"], lang)),
        SlideCard("satisfaction.low_count", t("satisfaction.kpi_low", lang, low=f"{limits.low_score:g}"),
                  fmt_count(k["satisfaction.low_count"], lang)),
        SlideCard("satisfaction.follow_up_count", t("satisfaction.kpi_follow_up", lang),
                  fmt_count(k["satisfaction.follow_up_count"], lang)),
    ]  # fmt: skip
    areas = maps.service_areas(maps.load_areas(), rollups.whole(run, "satisfaction/stations"), lang)
    static = maps.satisfaction_figure(
        figures.customers if figures.customers is not None else maps.route_means(figures.summary),
        areas,
        lang,
        lambda s: satisfaction.band(s, limits.bands),
        satisfaction.band_labels(limits.bands, lang),
    )
    return Slide(
        "satisfaction",
        t("satisfaction.heading", lang),
        cards=cards,
        figures=[static, figures.dimensions],
        deck=figures.deck,
        legend=figures.legend,
    )


def _nine_grid(run: Runner, scope: Scope, first_day: date, lang: str) -> Slide:
    previous = scope.previous()
    before = (max(previous.date_from, first_day), previous.date_to)
    _, current, (a, b) = nine_grid.page_figures(run, scope, before, (scope.date_from, scope.date_to))
    slide = Slide("nine_grid", t("nine_grid.heading", lang))
    if current.empty:
        slide.notes = [t("nine_grid.no_data", lang)]
        return slide
    counts = current.counts()
    total = sum(counts.values())
    slide.cards = [
        SlideCard("nine_grid.hits", label("nine_grid_cell", "hit", lang), fmt_count(counts["hit"], lang)),
        SlideCard("nine_grid.slow_sellers", label("nine_grid_cell", "slow", lang),
                  fmt_count(counts["slow"], lang)),
        SlideCard("nine_grid.slow_share", t("overview.headline.nine_grid.slow_share", lang),
                  fmt_pct(counts["slow"] / total if total else None)),
        SlideCard("nine_grid.skus", t("slides.skus", lang), fmt_count(total, lang)),
    ]  # fmt: skip
    period = fmt_period(current.date_from, current.date_to, lang)
    slide.figures = [
        charts.nine_grid_board(current.cells(), lang, t("nine_grid.board_title", lang, period=period))
    ]
    if not a.empty and not b.empty:
        periods = [fmt_period(g.date_from, g.date_to, lang) for g in (a, b)]
        title = t("nine_grid.change_title", lang, before=periods[0], after=periods[1])
        slide.figures.append(charts.nine_grid_before_after(a.counts(), b.counts(), lang, title))
    return slide


def _staff(run: Runner, scope: Scope, first_day: date, lang: str) -> Slide:
    data = staff.gather(run, scope, first_day)
    slide = Slide("staff", t("staff.heading", lang))
    if data.current.empty:
        slide.notes = [t("staff.no_data", lang)]
        return slide
    lowest = data.current.sort_values("rank").iloc[-1]
    slide.cards = [
        SlideCard("staff.ranked", t("staff.card.managers", lang), fmt_count(len(data.current), lang)),
        SlideCard("staff.composite_mean", t("overview.headline.staff.composite_mean", lang),
                  fmt_number(data.current.composite.mean())),
        SlideCard("staff.lowest", t("staff.card.lowest", lang), str(lowest.staff_name),
                  t("staff.card.lowest_caption", lang, score=fmt_number(lowest.composite),
                    station=lowest.station_name)),
    ]  # fmt: skip
    ranking, _ = tables.staff_ranking(data.current, lang)
    slide.table = ranking.map(lambda v: fmt_number(v) if isinstance(v, float) else str(v)).head(12)
    slide.table_title = t("staff.table.ranking", lang)
    slide.figures = [charts.staff_ranking(data.current, lang)]
    return slide


def _programs(run: Runner, scope: Scope, last_day: date, lang: str) -> Slide:
    data = programs.gather(run, scope, programs.effect_period(last_day))
    k = data.kpis
    h = tables.partial_t("programs.kpi", lang)
    slide = Slide(
        "programs",
        t("programs.heading", lang),
        cards=[
            SlideCard("training.sessions", h("training_sessions"), fmt_count(k["training.sessions"], lang),
                      t("programs.card.rural", lang, n=fmt_count(k["training.rural_sessions"], lang))),
            SlideCard("training.attendances", h("training_attendances"),
                      fmt_count(k["training.attendances"], lang)),
            SlideCard("training.coverage", t("overview.headline.training.coverage", lang),
                      fmt_pct(k["training.coverage"])),
            SlideCard("residency.stores", t("kpi.residency_stores", lang),
                      fmt_count(k["residency.stores"], lang),
                      t("kpi.residency_staff", lang, staff=fmt_count(k["residency.staff"], lang),
                        days=fmt_count(k["residency.days"], lang))),
            SlideCard("residency.avg_days_per_staff", h("residency_avg_days_per_staff"),
                      fmt_number(k["residency.avg_days_per_staff"])),
        ],
    )  # fmt: skip
    names = programs.training_names(data.training_by, "format", lang)
    slide.figures.append(charts.training_breakdown(names, data.training_by, "format", lang))
    grouped = programs.residency_by(data.residencies, "station")
    if len(grouped):
        names = list(grouped["station_name"])
        slide.figures.append(charts.residency_breakdown(grouped, "station_name", names, lang))
    return slide


def build(
    run: Runner, scope: Scope, catalog: Catalog, lang: str, which=SLIDES, progress=None, data=None
) -> list[Slide]:
    """The slides of a scope in one language; `progress(i, n, key)` hears of each slide as it is made.
    `data` is the scope's overview.gather when the caller has it already."""
    if data is None and {"overview", "ranking"} & set(which):
        data = overview.gather(run, scope, catalog.first_day)
    makers = {
        "overview": lambda: _overview(data, lang),
        "ranking": lambda: _ranking(data, lang),
        "tickets": lambda: _tickets(run, scope, catalog.first_day, lang),
        "satisfaction": lambda: _satisfaction(run, scope, lang),
        "nine_grid": lambda: _nine_grid(run, scope, catalog.first_day, lang),
        "staff": lambda: _staff(run, scope, catalog.first_day, lang),
        "programs": lambda: _programs(run, scope, catalog.last_day, lang),
    }
    slides = []
    for i, key in enumerate(which):
        if progress:
            progress(i, len(which), key)
        slides.append(makers[key]())
    return slides


def slide_layout(fig: go.Figure, height: int = 520) -> go.Figure:
    """A chart made for a page, sized for a slide: taller, larger type, the title clear of the legend."""
    fig.update_layout(
        height=height,
        font={"size": 15},
        title={"y": 0.98, "yanchor": "top", "font": {"size": 18}},
        margin={"t": 90},
        legend={"y": 1.0, "yanchor": "bottom"},
    )
    return fig
