"""The meeting pack made by `python -m dashboard export` on the demo DB: opened with python-pptx and
openpyxl, its slides, titles, one KPI table's numbers against `kpis --json`, and its images."""

import io
import json
import subprocess
import sys
from datetime import date

import openpyxl
import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from dashboard import overview, slides, store
from dashboard.catalog import load_catalog
from dashboard.i18n import t

STATION = "GD"  # a station scope: the pack obeys the scope options like kpis does


@pytest.fixture(scope="module")
def pack(demo_db, tmp_path_factory):
    out = tmp_path_factory.mktemp("pack")
    args = ["--db", str(demo_db), "--station", STATION]
    made = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--pptx", str(out / "deck.pptx"),
         "--xlsx", str(out / "tables.xlsx"), "--quiet", *args],
        cwd=store.ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    figures = subprocess.run(
        [sys.executable, "-m", "dashboard", "kpis", "--json", *args],
        cwd=store.ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out / "deck.pptx", out / "tables.xlsx", json.loads(figures.stdout), made.stderr


def test_the_deck_has_a_title_slide_and_one_slide_each(pack):
    deck = Presentation(pack[0])
    titles = [s.shapes.title.text for s in deck.slides]
    assert len(titles) == 1 + len(slides.SLIDES)
    assert titles[0] == t("slides.deck_title", "zh")
    assert titles[1:] == [
        "总览",
        "线路排名",
        "咨询投诉闭环",
        "满意度地图",
        "九宫格 · 非烟商品结构",
        "三劳指数 · 二次考核",
        "培训与驻店体验",
    ]  # fmt: skip  (a station scope ranks its routes)
    first = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "2026年10月" in first and "固堤" in first  # the period and the scope on the title slide
    for slide in list(deck.slides)[1:]:
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert "2026年10月 · 固堤" in text and "生成于" in text  # scope and date on every slide


def test_the_kpi_table_is_a_real_table_with_the_cli_numbers(pack):
    deck = Presentation(pack[0])
    figures = pack[2]
    (table,) = [shape.table for shape in deck.slides[1].shapes if shape.has_table]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == [
        t(f"slides.kpi.{k}", "zh")
        for k in ("kpi", "value", "vs_previous", "vs_last_year", "target", "status")
    ]
    shown = {row[0]: row[1] for row in rows[1:]}
    assert len(shown) == len(overview.HEADLINES)
    for h in overview.HEADLINES:
        assert shown[t(f"overview.headline.{h.kpi}", "zh")] == overview.fmt_value(
            figures[h.kpi], h.kind, "zh"
        ), h.kpi
    assert shown["24小时响应率"] == f"{100 * figures['tickets.response_sla_rate']:.1f}%"  # spelled out once


def test_charts_are_images_of_slide_size(pack):
    deck = Presentation(pack[0])
    pictures = [
        shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) >= 9  # tickets 2, map + dimensions, board + before/after, staff 1, programs 1-2
    for picture in pictures:
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.format == "PNG" and image.width >= 1400  # sharp on a projector
        assert picture.left >= 0 and picture.left + picture.width <= deck.slide_width  # inside the slide
        assert picture.top + picture.height <= deck.slide_height


def test_the_workbook_has_a_sheet_per_table_and_the_cli_numbers(pack, demo_run):
    book = openpyxl.load_workbook(pack[1])
    assert book.sheetnames[:3] == ["核心指标与目标", "线路排名", "需关注"]
    assert "三劳排名" in book.sheetnames
    sheet = book["核心指标与目标"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["kpi", "指标", "本期"]
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    figures = pack[2]
    assert values == {h.kpi: figures[h.kpi] for h in overview.HEADLINES}  # the very numbers of kpis --json
    routes = book["线路排名"]
    assert routes.max_row - 1 == len(load_catalog(demo_run).routes_of([STATION]))  # one row per route of GD


def test_export_needs_a_file_to_write(demo_db):
    made = subprocess.run(
        [sys.executable, "-m", "dashboard", "export", "--db", str(demo_db)],
        cwd=store.ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert made.returncode == 2 and "--pptx FILE" in made.stderr


def test_file_names_say_the_period():
    from dashboard.export import file_stem
    from dashboard.scope import Scope

    scope = Scope(date(2026, 10, 1), date(2026, 10, 31))
    assert (
        file_stem(scope, "zh") == "会议材料-2026年10月" and file_stem(scope, "en") == "meeting-pack-Oct-2026"
    )
