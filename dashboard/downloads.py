"""Table downloads: CSV a spreadsheet opens safely (UTF-8 with BOM, no formulas from data)."""

from __future__ import annotations

import io
import re

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _defused(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(defuse)
    return safe


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as CSV for Excel: BOM so Chinese reads right, text cells defused."""
    return _defused(frame).to_csv(index=False).encode("utf-8-sig")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Sheet1") -> bytes:
    """The frame as an Excel workbook (one sheet), text cells defused, columns wide enough to read."""
    return workbook_bytes({sheet: frame})


def workbook_bytes(frames: dict[str, pd.DataFrame]) -> bytes:
    """Frames as the sheets of one workbook (sheet names made safe and unique), header row frozen."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        used: set[str] = set()
        for title, frame in frames.items():
            name = base = safe_name(title)[:31]
            for n in range(2, 100):
                if name.lower() not in used:
                    break
                name = f"{base[:28]}-{n}"
            used.add(name.lower())
            _defused(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"
            for column in sheet.columns:
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(40, 4 + 1.6 * width)
    return buffer.getvalue()


def for_download(frame: pd.DataFrame, pct_columns=()) -> pd.DataFrame:
    """A shown table as a file holds it: shares as percentages with one decimal, named so."""
    out = frame.copy()
    for column in pct_columns:
        out[column] = (100 * out[column].astype("float64")).round(1)
    return out.rename(columns={c: f"{c} (%)" for c in pct_columns})


def safe_name(text: str) -> str:
    """A file or sheet name from a title: no characters a file system or Excel refuses."""
    return re.sub(r'[\\/:*?"<>|\[\]\s]+', "-", text).strip("-")[:80] or "table"
