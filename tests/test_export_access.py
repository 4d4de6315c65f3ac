"""The meeting pack obeys the role (`export --as USER`): a station head asking for another station gets
their own in the PPTX and the XLSX, a viewer's pack names no store and no owner, and each export writes
an audit line."""

import subprocess
import sys

import openpyxl
import pytest
from pptx import Presentation

from dashboard import audit, store


def _texts(pptx_path, xlsx_path) -> str:
    parts = []
    for slide in Presentation(pptx_path).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
    for sheet in openpyxl.load_workbook(xlsx_path).worksheets:
        parts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def packs(demo_db, tmp_path_factory):
    made = {}
    for user, args in (("head_ht", ["--station", "GD"]), ("viewer", [])):
        out = tmp_path_factory.mktemp(user)
        done = subprocess.run(
            [sys.executable, "-m", "dashboard", "export", "--pptx", str(out / "deck.pptx"),
             "--xlsx", str(out / "tables.xlsx"), "--quiet", "--db", str(demo_db), "--as", user, *args],
            cwd=store.ROOT, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        made[user] = (_texts(out / "deck.pptx", out / "tables.xlsx"), done.stderr)
    return made


def test_a_station_heads_pack_holds_their_station_whatever_they_ask(packs):
    text, warnings = packs["head_ht"]
    assert "station=GD is outside what you may see" in warnings
    assert "寒亭" in text and "固堤" not in text and "开元" not in text


def test_a_viewers_pack_names_no_store_and_no_owner(packs, demo_db):
    text, _ = packs["viewer"]
    con = store.connect(demo_db)
    people = con.execute("select shop_name, owner_name, phone from customers").fetchall()
    staff = [name for (name,) in con.execute("select name from staff").fetchall()]
    con.close()
    # (the staff slide names customer managers: an owner who shares a staff name is no finding)
    found = [v for row in people for v in row if v and v in text and not any(v in name for name in staff)]
    assert found == []


def test_every_export_is_in_the_audit_log(packs):
    lines = audit.recent(limit=200)
    exports = lines[lines.action == "export"]
    assert {"head_ht", "viewer"} <= set(exports.username)
    assert set(exports[exports.username == "viewer"].role) == {"viewer"}
