"""The meeting pack (会议材料): the slides of a scope as a PPTX deck and its tables as an XLSX workbook.

Charts become PNG images (kaleido drives the machine's Chromium, all of them in one browser start), KPI
tables become real PowerPoint tables, a title slide says the scope and the period. Everything is made
here, offline; the page and `python -m dashboard export` call `build`. No Streamlit here.
"""

from __future__ import annotations

import io
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import plotly.io as pio
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from dashboard import overview, slides, tables
from dashboard.cards import scope_line
from dashboard.catalog import Catalog
from dashboard.downloads import workbook_bytes
from dashboard.i18n import fmt_date, fmt_period, t
from dashboard.kpis import Runner
from dashboard.scope import Scope

FONT = "Microsoft YaHei"  # what PowerPoint on a company PC has; LibreOffice falls back to Noto CJK
GREEN, RED = RGBColor(0x1F, 0x6F, 0x5C), RGBColor(0xB5, 0x47, 0x5C)
GREY, DARK, PALE = RGBColor(0x6B, 0x6B, 0x6B), RGBColor(0x26, 0x32, 0x38), RGBColor(0xF3, 0xF6, 0xF4)
WIDE, HIGH = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.45)
IMAGE_PX = (760, 520)  # a chart's canvas: text at 16-20 px reads at 10-12 pt on the slide
IMAGE_SCALE = 2


@dataclass
class Pack:
    pptx: bytes
    xlsx: bytes
    slides: int
    images: int
    seconds: float


def _text(frame, text: str, size: int, *, bold=False, colour=DARK, align=PP_ALIGN.LEFT) -> None:
    """Set a text frame to one paragraph in the house font (East Asian typeface too)."""
    frame.clear()
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold, run.font.color.rgb = Pt(size), bold, colour
    run.font.name = FONT
    rpr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = rpr.makeelement(qn(tag), {})
            rpr.append(element)
        element.set("typeface", FONT)


def _box(slide, left, top, width, height, text: str, size: int, **style):
    shape = slide.shapes.add_textbox(left, top, width, height)
    shape.text_frame.margin_left = shape.text_frame.margin_right = Inches(0.05)
    _text(shape.text_frame, text, size, **style)
    return shape


def _frame(deck, title: str, header: str, footer: str):
    """A content slide: its title (the placeholder, so readers and tests find it), the scope line, footer."""
    slide = deck.slides.add_slide(deck.slide_layouts[5])  # Title Only
    title_shape = slide.shapes.title
    title_shape.left, title_shape.top, title_shape.width, title_shape.height = (
        MARGIN,
        Inches(0.25),
        WIDE - 2 * MARGIN,
        Inches(0.65),
    )
    _text(title_shape.text_frame, title, 26, bold=True, colour=GREEN)
    title_shape.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    _box(slide, MARGIN, Inches(0.88), WIDE - 2 * MARGIN, Inches(0.35), header, 12, colour=GREY)
    line = slide.shapes.add_connector(1, MARGIN, Inches(1.25), WIDE - MARGIN, Inches(1.25))
    line.line.color.rgb, line.line.width = GREEN, Pt(1.25)
    _box(
        slide,
        MARGIN,
        HIGH - Inches(0.42),
        WIDE - 2 * MARGIN,
        Inches(0.3),
        footer,
        9,
        colour=GREY,
        align=PP_ALIGN.RIGHT,
    )
    return slide


def _cards(slide, cards: list[slides.SlideCard], top, lang: str) -> None:
    width = (WIDE - 2 * MARGIN - Inches(0.15) * (len(cards) - 1)) / len(cards)
    for i, card in enumerate(cards):
        left = MARGIN + i * (width + Inches(0.15))
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, Inches(1.05))
        shape.adjustments[0] = 0.08
        shape.fill.solid()
        shape.fill.fore_color.rgb = PALE
        shape.line.color.rgb = RGBColor(0xD5, 0xDE, 0xD9)
        shape.shadow.inherit = False
        _box(
            slide,
            left + Inches(0.08),
            top + Inches(0.04),
            width - Inches(0.16),
            Inches(0.3),
            card.label,
            11,
            colour=GREY,
        )
        colour = {"met": GREEN, "missed": RED}.get(card.status, DARK)
        _box(
            slide,
            left + Inches(0.08),
            top + Inches(0.3),
            width - Inches(0.16),
            Inches(0.45),
            card.value,
            22,
            bold=True,
            colour=colour,
        )
        note = card.note.replace("  \n", " · ")
        if card.delta:
            note = " · ".join(
                [f"{t('overview.vs_previous_short', lang)} {card.delta}", *([note] if note else [])]
            )
        _box(
            slide,
            left + Inches(0.08),
            top + Inches(0.72),
            width - Inches(0.16),
            Inches(0.3),
            note,
            8,
            colour=GREY,
        )


def _width(text: str) -> int:
    """How wide a text reads: a CJK character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _table(slide, frame: pd.DataFrame, left, top, width, max_height, size: int = 11) -> int:
    """A real table, columns as wide as their text, as many rows as fit; returns the rows left out."""
    cells = frame.map(lambda v: "—" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
    row_h = Pt(size * 2.1)
    fits = max(1, int(max_height / row_h) - 1)
    shown = cells.head(fits)
    shape = slide.shapes.add_table(
        len(shown) + 1, len(cells.columns), left, top, width, row_h * (len(shown) + 1)
    )
    table = shape.table
    wants = [max([_width(str(c)), *(_width(v) for v in shown[c])], default=2) + 2 for c in cells.columns]
    for j, want in enumerate(wants):
        table.columns[j].width = int(width * want / sum(wants))
    missed = {t("overview.card.missed", "zh"), t("overview.card.missed", "en")}
    for j, column in enumerate(cells.columns):
        cell = table.cell(0, j)
        _text(cell.text_frame, str(column), size, bold=True, colour=RGBColor(0xFF, 0xFF, 0xFF))
        cell.fill.solid()
        cell.fill.fore_color.rgb = GREEN
    for i, row in enumerate(shown.itertuples(index=False), start=1):
        for j, text in enumerate(row):
            cell = table.cell(i, j)
            _text(cell.text_frame, text, size, colour=RED if text in missed else DARK)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF) if i % 2 else PALE
    for cell_row in table.rows:
        cell_row.height = row_h
    for cell in (table.cell(i, j) for i in range(len(shown) + 1) for j in range(len(cells.columns))):
        cell.margin_top = cell.margin_bottom = Pt(2)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    return len(cells) - len(shown)


def _notes(slide, lines: list[str], top) -> None:
    box = slide.shapes.add_textbox(MARGIN, top, WIDE - 2 * MARGIN, HIGH - top - Inches(0.5))
    frame = box.text_frame
    _text(frame, lines[0], 11, bold=len(lines) > 1, colour=DARK)
    for line in lines[1:]:
        paragraph = frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {line}"
        run.font.size, run.font.name, run.font.color.rgb = Pt(10), FONT, DARK


def render_images(figures: list, folder: Path) -> list[Path]:
    """Every chart as a PNG, in one kaleido (Chromium) session."""
    if not figures:
        return []
    files = [folder / f"chart-{i:02d}.png" for i in range(len(figures))]
    # a figure may say its own shape (the map is as tall as its district); charts take the slot's
    sizes = [tuple((fig.layout.meta or {}).get("image_px", IMAGE_PX)) for fig in figures]
    for fig, (_, height) in zip(figures, sizes, strict=True):
        if (fig.layout.meta or {}).get("own_layout"):
            continue
        slides.slide_layout(fig, height)
        fig.update_layout(
            font={"size": 16}, title={"font": {"size": 20}}, margin={"l": 50, "r": 20, "t": 90, "b": 40}
        )
    pio.write_images(
        figures,
        files,
        format="png",
        width=[w for w, _ in sizes],
        height=[h for _, h in sizes],
        scale=IMAGE_SCALE,
    )
    return files


def deck_bytes(
    made: list[slides.Slide],
    images: dict[int, list[Path]],
    scope: Scope,
    catalog: Catalog,
    lang: str,
    today: date,
) -> bytes:
    """The deck: a title slide, then each slide with its cards, charts, table and notes."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    where = scope_line(scope, catalog, lang)
    made_on = t("slides.generated", lang, day=fmt_date(today, lang))
    first = deck.slides.add_slide(deck.slide_layouts[0])
    title = first.shapes.title
    title.left, title.top, title.width, title.height = MARGIN, Inches(2.2), WIDE - 2 * MARGIN, Inches(1.2)
    _text(
        first.shapes.title.text_frame,
        t("slides.deck_title", lang),
        40,
        bold=True,
        colour=GREEN,
        align=PP_ALIGN.CENTER,
    )
    subtitle = first.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (
        MARGIN,
        Inches(3.6),
        WIDE - 2 * MARGIN,
        Inches(1.2),
    )
    _text(subtitle.text_frame, f"{where}\n{made_on}", 20, colour=GREY, align=PP_ALIGN.CENTER)
    sep = ("：", "、") if lang == "zh" else (": ", ", ")
    contents = t("slides.contents", lang) + sep[0] + sep[1].join(s.title for s in made)
    _box(
        first,
        MARGIN,
        HIGH - Inches(1.3),
        WIDE - 2 * MARGIN,
        Inches(0.8),
        contents,
        12,
        colour=GREY,
        align=PP_ALIGN.CENTER,
    )
    total = len(made) + 1
    for number, slide in enumerate(made, start=2):
        footer = f"{t('app.title', lang)} · {made_on} · {t('slides.page', lang, n=number, total=total)}"
        page = _frame(deck, slide.title, where, footer)
        top = Inches(1.4)
        notes = list(slide.notes)
        lines = len(notes) + (1 if slide.table is not None else 0)  # room for "N more rows"
        body_bottom = HIGH - Inches(0.5) - (Inches(0.25) + Inches(0.22) * lines if lines else 0)
        if slide.cards and slide.key != "overview":
            _cards(page, slide.cards, top, lang)
            top += Inches(1.2)
        pictures = images.get(number - 2, [])
        table = slide.table
        left_out = 0
        if table is not None and not pictures:
            size = 12 if slide.key == "overview" else 10
            left_out = _table(page, table, MARGIN, top, WIDE - 2 * MARGIN, body_bottom - top, size)
        elif pictures:
            slots = len(pictures) + (1 if table is not None else 0)
            gap = Inches(0.25)
            width = (WIDE - 2 * MARGIN - gap * (slots - 1)) / slots
            height = body_bottom - top
            for i, path in enumerate(pictures):
                left = MARGIN + i * (width + gap)
                pic = page.shapes.add_picture(str(path), left, top)
                ratio = min(width / pic.width, height / pic.height)
                pic.width, pic.height = int(pic.width * ratio), int(pic.height * ratio)
                pic.left = int(left + (width - pic.width) / 2)
            if table is not None:
                left_out = _table(page, table, MARGIN + len(pictures) * (width + gap), top, width, height, 9)
        if left_out:
            notes.insert(0, t("slides.more_rows", lang, n=left_out))
        if notes:
            _notes(page, notes, body_bottom + Inches(0.05))
    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def sheets(data: overview.OverviewData, lang: str, made: list[slides.Slide]) -> dict:
    """The workbook's sheets: the headline KPIs as numbers, then every table the slides show."""
    scope = data.scope
    h = tables.partial_t("slides.kpi", lang)
    rules = overview.targets()
    kpi_rows = []
    for headline in overview.HEADLINES:
        judged = headline.target_kpi or headline.kpi
        op, goal = rules.get(judged, (None, None))
        verdict = overview.judge(data.current.get(judged), rules.get(judged))
        kpi_rows.append({
            "kpi": headline.kpi,
            h("kpi"): t(f"overview.headline.{headline.kpi}", lang),
            h("value"): data.current.get(headline.kpi),
            t("export.previous", lang): data.previous.get(headline.kpi),
            t("export.last_year", lang): data.last_year.get(headline.kpi),
            t("export.target_on", lang): t(f"overview.headline.{judged}", lang),
            t("export.target", lang): (("≥ " if op == "min" else "≤ ") + f"{goal:g}") if op else None,
            h("status"): t(f"overview.card.{verdict or 'unknown'}", lang),
        })  # fmt: skip
    out = {t("slides.kpi.title", lang): pd.DataFrame(kpi_rows)}
    level = overview.unit_level(scope)
    _, plain, _ = tables.overview_units(data.units, level, lang)
    out[t(f"overview.units.title_{level}", lang)] = plain
    out[t("overview.attention.title", lang)] = tables.overview_attention(
        overview.attention(data.units, lang), lang
    )
    for slide in made:
        if slide.table is not None and slide.key not in ("overview", "ranking"):
            out[slide.table_title or slide.title] = slide.table
    return out


def build(
    run: Runner, scope: Scope, catalog: Catalog, lang: str = "zh", progress=None, today: date | None = None
) -> Pack:
    """The meeting pack of a scope; `progress(done, total, label)` hears of each step."""
    started = time.perf_counter()
    steps = len(slides.SLIDES) + 3

    def step(i: int, label: str) -> None:
        if progress:
            progress(i, steps, label)

    data = overview.gather(run, scope, catalog.first_day)
    made = slides.build(
        run, scope, catalog, lang, data=data,
        progress=lambda i, n, key: step(i, t("export.step", lang, name=slides.name(key, lang))),
    )  # fmt: skip
    figures, owners = [], []
    for index, slide in enumerate(made):
        for fig in slide.figures:
            figures.append(fig)
            owners.append(index)
    step(len(made), t("export.images", lang, n=len(figures)))
    with tempfile.TemporaryDirectory(prefix="meeting-pack-") as folder:
        files = render_images(figures, Path(folder))
        images: dict[int, list[Path]] = {}
        for owner, path in zip(owners, files, strict=True):
            images.setdefault(owner, []).append(path)
        step(len(made) + 1, "pptx")
        pptx = deck_bytes(made, images, scope, catalog, lang, today or date.today())
    step(len(made) + 2, "xlsx")
    xlsx = workbook_bytes(sheets(data, lang, made))
    step(steps, "done")
    return Pack(pptx, xlsx, len(made) + 1, len(figures), time.perf_counter() - started)


def file_stem(scope: Scope, lang: str) -> str:
    """A pack's file name: 会议材料-2026年10月 / meeting-pack-Oct-2026."""
    return f"{t('export.file', lang)}-{fmt_period(scope.date_from, scope.date_to, lang)}".replace(" ", "-")
