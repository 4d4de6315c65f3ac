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
    buffer = io.BytesIO()
    sheet = safe_name(sheet)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        _defused(frame).to_excel(writer, sheet_name=sheet[:31], index=False)
        for column in writer.sheets[sheet[:31]].columns:
            width = max(len(str(cell.value or "")) for cell in column)
            writer.sheets[sheet[:31]].column_dimensions[column[0].column_letter].width = min(
                40, 4 + 1.6 * width
            )
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
