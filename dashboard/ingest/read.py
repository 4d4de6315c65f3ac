"""Read an import file into rows of text: CSV (encoding and delimiter detected), XLSX or Parquet.

The format is taken from the bytes, not the name; a name that claims another format is refused, as is
anything that cannot be read as a whole (empty, binary, an unknown encoding, a damaged workbook).
Every cell comes out as text (Excel and Parquet values written the way a CSV export would write them)
so that one set of parsers checks every format. Rows are numbered as a spreadsheet shows them: the
first line of the file is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import decimal
import functools
import io
import itertools
import math
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

import pyarrow as pa
import pyarrow.compute as pc

CHUNK = 100_000  # rows turned into arrow arrays at a time: bounds the memory of Python strings
DELIMITERS = (",", "\t", ";", "|")
TEXT_EXT = {".csv", ".txt", ".tsv"}
XLSX_EXT = {".xlsx", ".xlsm"}
PARQUET_EXT = {".parquet", ".pq"}
MAX_FIELD = 1 << 30  # the csv module's own limit would stop a file at its first long cell


class Refused(Exception):
    """The file as a whole cannot be read; `reason` is a locale key under ingest.refusal."""

    def __init__(self, reason: str, **args):
        super().__init__(reason)
        self.reason = reason
        self.args_ = args


@dataclass
class Sheet:
    """A file's rows as text. `columns[i]` holds column i of the rows that had the header's width."""

    header: list[str]
    header_row: int
    columns: list[pa.ChunkedArray]
    row_numbers: pa.ChunkedArray  # spreadsheet row of each kept row
    short_rows: list[tuple[int, int, str]] = field(default_factory=list)  # (row, fields, text)
    fmt: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    sheet_name: str | None = None

    @property
    def n_rows(self) -> int:
        return len(self.row_numbers) + len(self.short_rows)


def sniff_format(name: str, data: bytes) -> str:
    """csv, xlsx or parquet from the bytes; Refused when they are none of these or not what the name says."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf"):
        raise Refused("empty")
    ext = PurePath(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise Refused("bad_xlsx", detail=type(error).__name__) from None
        if "xl/workbook.xml" not in names:
            raise Refused("zip_not_xlsx")
        fmt = "xlsx"
    elif data[:4] == b"PAR1":
        fmt = "parquet"
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise Refused("old_xls")
    elif _binary(data[:65536]):
        raise Refused("binary")
    else:
        fmt = "csv"
    claimed = (
        "csv" if ext in TEXT_EXT else "xlsx" if ext in XLSX_EXT else "parquet" if ext in PARQUET_EXT else None
    )
    if claimed and claimed != fmt:
        raise Refused("not_claimed_format", claimed=ext, found=fmt)
    return fmt


def _binary(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False  # UTF-16 text has NULs
    if b"\x00" in head:
        return True
    controls = sum(head.count(bytes([c])) for c in range(32) if c not in (9, 10, 13))
    return controls > max(8, len(head) // 100)


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: a BOM, else strict UTF-8, else strict GB18030 (which covers GBK)."""
    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data
    try:
        return body.decode("utf-16" if encoding == "utf-16" else "utf-8"), encoding
    except UnicodeDecodeError as utf8_error:
        if utf8_error.reason == "unexpected end of data" and utf8_error.start >= len(body) - 3:
            # a file cut off inside its last character: read what is there (the last row is short)
            return body[: utf8_error.start].decode("utf-16" if encoding == "utf-16" else "utf-8"), encoding
        if encoding != "utf-8":
            raise Refused("encoding", line=data[: utf8_error.start].count(b"\n") + 1) from None
        try:
            return data.decode("gb18030"), "gb18030"
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise Refused("encoding", line=line) from None


def read(
    name: str,
    data: bytes,
    find_header: Callable[[list[list[str]]], int | None],
    sheet: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> Sheet:
    """Read a file. `find_header` gets the first rows (one list of cells per row; for a CSV once per
    delimiter tried) and returns the index of the row that names a table's columns, or None."""
    fmt = sniff_format(name, data)
    if fmt == "xlsx":
        return _read_rows(_xlsx_rows(data, sheet), find_header, progress, fmt="xlsx", sheet=sheet)
    if fmt == "parquet":
        return _read_parquet(data)
    text, encoding = decode(data)
    if "\x00" in text:
        raise Refused("binary")
    delimiter = _pick_delimiter(text, find_header)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = _read_rows(reader, find_header, progress, fmt="csv")
    out.encoding, out.delimiter = encoding, delimiter
    return out


def _pick_delimiter(text: str, find_header) -> str:
    """The delimiter under which a header row is found (the first one that works, comma first)."""
    head = text[:65536]
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)
            rows = [r for _, r in zip(range(10), reader, strict=False)]
        except csv.Error:
            continue
        if find_header(rows) is not None:
            return delimiter
    return ","  # no header under any: _read_rows refuses with the comma reading


def _read_rows(rows: Iterable[list[str]], find_header, progress, fmt: str, sheet: str | None = None) -> Sheet:
    csv.field_size_limit(MAX_FIELD)
    it = iter(rows)
    head: list[list[str]] = []
    try:
        for _ in range(10):
            head.append(next(it))
    except StopIteration:
        pass
    except csv.Error as error:
        raise Refused("unreadable", detail=str(error)) from None
    at = find_header(head)
    if at is None:
        raise Refused("no_header", seen=" | ".join(c for c in (head[0] if head else []) if c)[:200])
    header = [h.strip() for h in head[at]]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells (",,," at a row's end) are not columns
    width = len(header)
    chunks: list[list[pa.Array]] = []
    number_chunks: list[pa.Array] = []
    short: list[tuple[int, int, str]] = []
    rest = itertools.chain(head[at + 1 :], it)
    row_no = at + 1  # the spreadsheet row of the last record read
    try:
        while chunk := list(itertools.islice(rest, CHUNK)):
            first = row_no + 1
            row_no += len(chunk)
            if all(len(row) == width for row in chunk):  # the usual case: no row to look at alone
                kept, numbers = chunk, range(first, row_no + 1)
            else:
                kept, numbers = [], []
                for k, row in enumerate(chunk):
                    if len(row) != width:
                        if len(row) > width and not any(c.strip() for c in row[width:]):
                            row = row[:width]  # trailing empty cells beyond the header
                        elif not any(c.strip() for c in row):
                            continue  # a blank line
                        else:
                            short.append((first + k, len(row), _joined(row)))
                            continue
                    kept.append(row)
                    numbers.append(first + k)
            if kept:
                columns = [pa.array(col, pa.string()) for col in zip(*kept, strict=True)]
                blank = functools.reduce(pc.and_, [pc.equal(pc.utf8_trim_whitespace(c), "") for c in columns])
                keep = pc.invert(blank)  # rows of empty cells only (",,,") are skipped like blank lines
                chunks.append([c.filter(keep) for c in columns])
                number_chunks.append(pa.array(numbers, pa.int64()).filter(keep))
            if progress:
                progress(row_no)
    except csv.Error as error:
        raise Refused("unreadable", detail=f"row {row_no + 1}: {error}") from None
    if not number_chunks and not short:
        raise Refused("no_rows")
    columns = [
        pa.chunked_array([c[i] for c in chunks], pa.string()) if chunks else pa.chunked_array([], pa.string())
        for i in range(width)
    ]
    numbers_all = (
        pa.chunked_array(number_chunks, pa.int64()) if number_chunks else pa.chunked_array([], pa.int64())
    )
    return Sheet(header, at + 1, columns, numbers_all, short, fmt=fmt, sheet_name=sheet)


def _joined(row: list[str]) -> str:
    return ",".join(row)[:1000]


# ---------------------------------------------------------------- XLSX and Parquet cells as text


def cell_text(value) -> str:
    """An Excel or Parquet value as a CSV export writes it (12.0 -> 12, datetimes in ISO form)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    return str(value)


def _xlsx_rows(data: bytes, sheet: str | None) -> Iterator[list[str]]:
    import openpyxl  # noqa: PLC0415 - only an XLSX import needs it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise Refused("bad_xlsx", detail=type(error).__name__) from None
    try:
        if sheet is None:
            ws = book.worksheets[0]
        elif sheet in book.sheetnames:
            ws = book[sheet]
        else:
            raise Refused("no_sheet", sheet=sheet, sheets=", ".join(book.sheetnames))
        try:
            for values in ws.iter_rows(values_only=True):
                yield [cell_text(v) for v in values]
        except Refused:
            raise
        except Exception as error:  # a truncated or damaged sheet part
            raise Refused("bad_xlsx", detail=type(error).__name__) from None
    finally:
        book.close()


def _read_parquet(data: bytes) -> Sheet:
    import pyarrow.parquet as pq  # noqa: PLC0415

    try:
        table = pq.read_table(pa.BufferReader(data))
    except Exception as error:  # arrow raises ArrowInvalid, OSError, ... on a damaged file
        raise Refused("bad_parquet", detail=type(error).__name__) from None
    if table.num_rows == 0:
        raise Refused("no_rows")
    columns = [_text_column(table.column(i)) for i in range(table.num_columns)]
    numbers = pa.chunked_array([pa.array(range(2, table.num_rows + 2), pa.int64())])
    return Sheet(list(table.column_names), 1, columns, numbers, fmt="parquet")


def _text_column(col: pa.ChunkedArray) -> pa.ChunkedArray:
    kind = col.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return col.cast(pa.string()).fill_null("")
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind) or pa.types.is_date(kind):
        return col.cast(pa.string()).fill_null("")
    return pa.chunked_array([pa.array([cell_text(v) for v in col.to_pylist()], pa.string())])
