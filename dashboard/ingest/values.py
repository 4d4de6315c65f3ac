"""Parse a column of text cells into its stored type, column-wise with pyarrow (a million rows in
seconds), and name what is wrong with the cells that do not parse.

`parse(cells, column)` returns the typed array (null where empty or bad) and a list of Problems, each a
mask of rows with one reason. Dates take 2026-10-03, 2026/10/3, 2026.10.3, 2026年10月3日, 20261003,
with or without a time, an ISO offset (converted to Beijing time) and Excel serial numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest import spec

NULL_WORDS = ["", "null", "none", "nan", "n/a", "#n/a", "na", "-", "—", "--", "/"]
MAX_CELL = 10_000  # any cell longer than this is refused whatever its column
FIRST_DAY = np.datetime64("1950-01-01T00:00:00", "us")
LAST_DAY = np.datetime64("2101-01-01T00:00:00", "us")
EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
BEIJING = np.timedelta64(8 * 3600, "s")

_TRIM = " \t\r\n\u3000\xa0\ufeff"
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d{1,18}(\.0*)?$"
_DATE = (
    r"^(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})[日号]?|(?P<m2>\d{2})(?P<d2>\d{2}))"
    r"(?:(?:[ T]+|日)(?P<H>\d{1,2})[:时](?P<M>\d{1,2})(?:[:分](?P<S>\d{1,2})(?:\.(?P<f>\d{1,6}))?秒?|分)?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)
_MONTH = r"^(?P<y>\d{4})(?:[-/.年](?P<m>\d{1,2})月?|(?P<m2>\d{2}))$"
_SERIAL = r"^\d{4,5}(\.\d+)?$"
_TEXT_FORMULA = r"^[+\-][^\d\s.]"
_CONTROL = r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"


@dataclass
class Problem:
    mask: np.ndarray  # rows with this problem
    reason: str  # locale key under ingest.reason
    args: dict = field(default_factory=dict)


def bools(a) -> np.ndarray:
    """A boolean arrow array as numpy, null as False."""
    return pc.fill_null(a, False).to_numpy(zero_copy_only=False).astype(bool)


def clean(cells: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells trimmed, with the usual spellings of 'nothing' as null."""
    trimmed = pc.utf8_trim(cells, _TRIM)
    empty = pc.is_in(pc.utf8_lower(trimmed), value_set=pa.array(NULL_WORDS))
    return pc.if_else(empty, pa.scalar(None, pa.string()), trimmed)


def _without(a, chars: str):
    """The cells without these characters (literal passes, only where some cell has one: fast)."""
    for ch in chars:
        if pc.any(pc.match_substring(a, ch)).as_py():
            a = pc.replace_substring(a, ch, "")
    return a


def _folded(a) -> pa.ChunkedArray:
    """Full-width digits and punctuation folded to ASCII (１２：３０ -> 12:30)."""
    return pc.utf8_normalize(a, "NFKC")


def parse(cells: pa.ChunkedArray, col: spec.Column) -> tuple[pa.ChunkedArray, list[Problem]]:
    """Typed values of one column and the problems of its cells (a required empty cell included)."""
    a = clean(cells)
    present = bools(pc.is_valid(a))
    problems: list[Problem] = []
    if col.required:
        problems.append(Problem(~present, "required"))
    long = bools(pc.greater(pc.utf8_length(a), MAX_CELL if col.kind != spec.TEXT else col.max_len))
    if long.any():
        problems.append(
            Problem(long, "too_long", {"max": MAX_CELL if col.kind != spec.TEXT else col.max_len})
        )
    formula = bools(pc.starts_with(a, "=")) | bools(pc.starts_with(a, "@"))
    signed = bools(pc.starts_with(a, "+")) | bools(pc.starts_with(a, "-"))
    if col.kind in (spec.TEXT, spec.CODE_ID, spec.CODE, spec.PHONE) and signed.any():
        formula |= signed & bools(pc.match_substring_regex(a, _TEXT_FORMULA))
    if formula.any():
        problems.append(Problem(formula & ~long, "formula"))
    skip = long | formula
    if skip.any():
        a = pc.if_else(pa.array(skip), pa.scalar(None, pa.string()), a)
    values, own = PARSERS[col.kind](a, col)
    ok = present & ~skip
    for p in own:
        p.mask &= ok
        if p.mask.any():
            problems.append(p)
    return values, [p for p in problems if p.mask.any()]


def _range(x, col: spec.Column, valid: np.ndarray) -> list[Problem]:
    if col.lo is None and col.hi is None:
        return []
    v = np.asarray(x, dtype=float)
    bad = np.zeros(len(v), dtype=bool)
    with np.errstate(invalid="ignore"):
        if col.lo is not None:
            bad |= (v <= col.lo) if col.lo_open else (v < col.lo)
        if col.hi is not None:
            bad |= v > col.hi
    bad &= valid
    lo = "" if col.lo is None else ("> " if col.lo_open else "≥ ") + _num(col.lo)
    hi = "" if col.hi is None else "≤ " + _num(col.hi)
    return [Problem(bad, "out_of_range", {"range": ", ".join(x for x in (lo, hi) if x)})]


def _num(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else str(x)


def _numbers(a) -> tuple[pa.ChunkedArray, np.ndarray]:
    """Numbers with thousands separators, ¥ and 元 allowed; (float values, which cells parsed)."""
    s = _without(_folded(a), ", ¥元\t")
    ok = pc.match_substring_regex(s, _NUMBER)
    x = pc.cast(pc.if_else(ok, s, pa.scalar(None, pa.string())), pa.float64())
    good = bools(ok) & bools(pc.is_finite(pc.fill_null(x, 0.0)))
    return x, good


def _float(a, col):
    x, good = _numbers(a)
    present = bools(pc.is_valid(a))
    x = pc.if_else(pa.array(good), x, pa.scalar(None, pa.float64()))
    return x, [Problem(present & ~good, "not_number"), *_range(x.to_numpy(zero_copy_only=False), col, good)]


def _decimal(a, col):
    """Kept as the cleaned text: DuckDB casts it to DECIMAL exactly (no float on the way)."""
    s = _without(_folded(a), ", ¥元\t")
    x, good = _numbers(a)
    present = bools(pc.is_valid(a))
    problems = [Problem(present & ~good, "not_number"), *_range(x.to_numpy(zero_copy_only=False), col, good)]
    exponent = good & ~bools(pc.match_substring_regex(s, r"^[+-]?(\d+\.?\d*|\.\d+)$"))
    if exponent.any():  # 1e3: written out, as DuckDB casts only plain decimals to DECIMAL
        xs = x.to_numpy(zero_copy_only=False)
        plain = np.array(s.to_pylist(), dtype=object)
        plain[exponent] = [f"{v:.{col.scale}f}" for v in xs[exponent]]
        s = pa.chunked_array([pa.array(plain, pa.string())])
    return pc.if_else(pa.array(good), s, pa.scalar(None, pa.string())), problems


def _int(a, col):
    s = _without(_folded(a), ", \t")
    ok = pc.match_substring_regex(s, _INTEGER)
    digits = pc.if_else(ok, s, pa.scalar(None, pa.string()))
    if pc.any(pc.match_substring(digits, ".")).as_py():
        digits = pc.replace_substring_regex(digits, r"\.0*$", "")
    x = pc.cast(digits, pa.int64())
    good = bools(ok)
    present = bools(pc.is_valid(a))
    num, is_num = _numbers(a)
    reason = np.where(is_num, "not_integer", "not_number")
    problems = [Problem(present & ~good & (reason == r), r) for r in ("not_integer", "not_number")]
    return x, problems + _range(pc.fill_null(x, 0).to_numpy(zero_copy_only=False), col, good)


def _code_id(a, col):
    s = _folded(a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a)
    if pc.any(pc.match_substring(s, ".")).as_py():  # 370703001.0 from a spreadsheet's number cell
        s = pc.replace_substring_regex(s, r"^(\d+)\.0+$", r"\1")
    ok = bools(pc.match_substring_regex(s, r"^[A-Za-z0-9_\-]{1,32}$"))
    present = bools(pc.is_valid(a))
    return pc.if_else(pa.array(ok), s, pa.scalar(None, pa.string())), [Problem(present & ~ok, "bad_id")]


def _text(a, col):
    control = bools(pc.match_substring_regex(a, _CONTROL))
    return pc.if_else(pa.array(control), pa.scalar(None, pa.string()), a), [Problem(control, "control_chars")]


def _phone(a, col):
    s = _folded(a)
    ok = bools(pc.match_substring_regex(s, r"^\+?[0-9][0-9 ()\-]{2,24}$"))
    present = bools(pc.is_valid(a))
    return pc.if_else(pa.array(ok), s, pa.scalar(None, pa.string())), [Problem(present & ~ok, "bad_phone")]


def _license(a, col):
    s = _without(_folded(a), " \t")
    ok = bools(pc.match_substring_regex(s, r"^\d{12}$"))
    as_number = bools(pc.match_substring_regex(s, r"^\d(\.\d+)?[eE]\+?\d+$"))
    present = bools(pc.is_valid(a))
    values = pc.if_else(pa.array(ok), s, pa.scalar(None, pa.string()))
    return values, [
        Problem(present & ~ok & as_number, "license_as_number"),
        Problem(present & ~ok & ~as_number, "license_format"),
    ]


def _bool(a, col):
    s = pc.utf8_lower(_folded(a))
    yes = bools(pc.is_in(s, value_set=pa.array(sorted(spec.TRUE_WORDS))))
    no = bools(pc.is_in(s, value_set=pa.array(sorted(spec.FALSE_WORDS))))
    present = bools(pc.is_valid(a))
    values = pa.array(np.where(yes, True, np.where(no, False, None)), pa.bool_(), mask=~(yes | no))
    return values, [Problem(present & ~(yes | no), "not_bool")]


def _code(a, col):
    """Codes from their labels; the few distinct cells are looked up once (a column is mostly repeats)."""
    mapping = spec.code_map(col.code_kind, col.codes)
    keys = pa.array(list(mapping))
    codes = pa.array(list(mapping.values()))
    encoded = pc.dictionary_encode(a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a)
    distinct = pc.replace_substring_regex(pc.utf8_lower(_folded(encoded.dictionary)), r"[\s_\-·.]+", "")
    at = pc.index_in(distinct, value_set=keys)
    code_of = pc.if_else(pc.is_valid(at), pc.take(codes, pc.fill_null(at, 0)), pa.scalar(None, pa.string()))
    values = pc.take(code_of, encoded.indices)
    found = bools(pc.is_valid(values))
    present = bools(pc.is_valid(a))
    if col.code_kind == "scale":  # stored as a number 1-3
        values = pc.cast(values, pa.int64())
    return values, [Problem(present & ~found, "unknown_code", {"kind": col.code_kind or col.name})]


def _datetimes(a) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(timestamps as datetime64[us], which cells parsed, which had a time of day).

    Cells already in ISO form (2026-10-03 08:30:00, 2026-10-03) take a fast path; the rest the regex.
    """
    s = _folded(a)
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[us]")
    has_time = np.zeros(len(s), dtype=bool)
    todo = bools(pc.is_valid(s))
    for form, timed in (("%Y-%m-%d %H:%M:%S", True), ("%Y-%m-%d", False)):
        if not todo.any():
            break
        ts = pc.strptime(s, form, "us", True)
        back = pc.cast(pc.cast(ts, pa.timestamp("s")) if timed else pc.cast(ts, pa.date32()), pa.string())
        same = bools(pc.equal(back, s)) & todo  # reads back the same: a real date (not 2026-02-30)
        if same.any():
            out = np.where(same, ts.to_numpy(zero_copy_only=False).astype("datetime64[us]"), out)
            has_time |= same & timed
            todo &= ~same
    if not todo.any():
        return out, ~np.isnat(out), has_time
    idx = np.flatnonzero(todo)
    rest, rest_ok, rest_time = _datetimes_slow(s.take(pa.array(idx)))
    out[idx] = rest
    has_time[idx] = rest_time
    return out, ~np.isnat(out), has_time


def _datetimes_slow(s) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    out = np.full(len(s), np.datetime64("NaT"), dtype="datetime64[us]")
    parts = pc.extract_regex(s, _DATE)
    matched = bools(pc.is_valid(parts))
    has_time = np.zeros(len(s), dtype=bool)
    if matched.any():

        def part(name: str, default: str = "0"):
            x = pc.fill_null(pc.struct_field(parts, name), "")
            return pc.if_else(pc.equal(pc.utf8_length(x), 0), default, x)

        m = pc.if_else(pc.equal(pc.utf8_length(part("m", "")), 0), part("m2", "1"), part("m", ""))
        d = pc.if_else(pc.equal(pc.utf8_length(part("d", "")), 0), part("d2", "1"), part("d", ""))
        pad = [pc.utf8_lpad(x, 2, "0") for x in (m, d, part("H"), part("M"), part("S"))]
        iso = pc.binary_join_element_wise(
            pc.binary_join_element_wise(part("y", "1"), pad[0], pad[1], "-"),
            pc.binary_join_element_wise(pad[2], pad[3], pad[4], ":"),
            " ",
        )
        ts = pc.strptime(iso, "%Y-%m-%d %H:%M:%S", "us", True).to_numpy(zero_copy_only=False)
        ts = ts.astype("datetime64[us]")
        # arrow's strptime rolls 2026-02-30 over to 2 March: keep only dates that read back the same
        back = pc.strftime(pa.array(ts.astype("datetime64[D]"), pa.date32()), "%Y-%m-%d")
        real = bools(pc.equal(back, pc.utf8_slice_codeunits(iso, 0, 10)))
        ts = np.where(real, ts, np.datetime64("NaT"))
        micro = pc.cast(pc.utf8_rpad(part("f", ""), 6, "0"), pa.int64()).to_numpy(zero_copy_only=False)
        ts = ts + micro.astype("timedelta64[us]")
        tz = pc.fill_null(pc.struct_field(parts, "tz"), "").to_numpy(zero_copy_only=False)
        for i in np.flatnonzero(matched & (tz != "")):  # an ISO offset: convert to Beijing time
            z = tz[i]
            minutes = 0 if z == "Z" else int(z[0] + "1") * (int(z[1:3]) * 60 + int(z[-2:]))
            ts[i] = ts[i] - np.timedelta64(minutes, "m") + BEIJING
        out = np.where(matched, ts, out)
        hours = pc.fill_null(pc.struct_field(parts, "H"), "").to_numpy(zero_copy_only=False)
        has_time = matched & (hours != "")
    serial = bools(pc.match_substring_regex(s, _SERIAL)) & ~matched
    if serial.any():  # Excel's day numbers: days since 1899-12-30, the fraction is the time of day
        days = pc.cast(pc.if_else(pa.array(serial), s, pa.scalar(None, pa.string())), pa.float64())
        v = np.nan_to_num(days.to_numpy(zero_copy_only=False))
        micros = np.round(v * 86_400_000_000).astype("int64")
        out = np.where(serial, EXCEL_EPOCH + micros.astype("timedelta64[us]"), out)
        has_time |= serial & (v % 1 != 0)
    return out, ~np.isnat(out), has_time


def _date_problems(a, out, good, reason) -> list[Problem]:
    present = bools(pc.is_valid(a))
    with np.errstate(invalid="ignore"):
        outside = good & ((out < FIRST_DAY) | (out >= LAST_DAY))
    return [Problem(present & ~good, reason), Problem(outside, "date_out_of_range")]


def _timestamp(a, col):
    out, good, _ = _datetimes(a)
    problems = _date_problems(a, out, good, "not_time")
    return pa.array(out, pa.timestamp("us"), mask=~good), problems


def _date(a, col):
    out, good, has_time = _datetimes(a)
    midnight = out.astype("datetime64[D]").astype("datetime64[us]") == out
    problems = _date_problems(a, out, good, "not_date")
    problems.append(Problem(good & has_time & ~midnight, "date_has_time"))
    return pa.array(out.astype("datetime64[D]"), pa.date32(), mask=~good), problems


def _month(a, col):
    s = _folded(a)
    parts = pc.extract_regex(s, _MONTH)
    short = bools(pc.is_valid(parts))
    out, good, _ = _datetimes(a)
    first = good & (out.astype("datetime64[M]").astype("datetime64[us]") == out)
    not_first = good & ~first & ~short
    if short.any():
        y = pc.struct_field(parts, "y")
        m = pc.coalesce(
            pc.if_else(pc.equal(pc.utf8_length(pc.fill_null(pc.struct_field(parts, "m"), "")), 0), None,
                       pc.struct_field(parts, "m")),
            pc.struct_field(parts, "m2"),
        )  # fmt: skip
        iso = pc.binary_join_element_wise(
            pc.fill_null(y, "1"), pc.utf8_lpad(pc.fill_null(m, "1"), 2, "0"), "01", "-"
        )
        ts = pc.strptime(iso, "%Y-%m-%d", "us", True).to_numpy(zero_copy_only=False).astype("datetime64[us]")
        out = np.where(short, ts, out)
        first = first | (short & ~np.isnat(ts))
    good_month = first & ~np.isnat(out)
    present = bools(pc.is_valid(a))
    problems = [
        Problem(present & ~good_month & ~not_first, "not_month"),
        Problem(not_first, "month_not_first"),
        Problem(good_month & ((out < FIRST_DAY) | (out >= LAST_DAY)), "date_out_of_range"),
    ]
    return pa.array(out.astype("datetime64[D]"), pa.date32(), mask=~good_month), problems


PARSERS = {
    spec.ID: _int,
    spec.INT: _int,
    spec.FLOAT: _float,
    spec.DECIMAL: _decimal,
    spec.DATE: _date,
    spec.MONTH: _month,
    spec.TIMESTAMP: _timestamp,
    spec.BOOL: _bool,
    spec.CODE: _code,
    spec.CODE_ID: _code_id,
    spec.TEXT: _text,
    spec.LICENSE: _license,
    spec.PHONE: _phone,
}
