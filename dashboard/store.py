"""The DuckDB store: where the file is, its schema, and the one runner of named queries."""

from __future__ import annotations

import os
import re
import warnings
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
SCHEMA_FILE = Path(__file__).with_name("schema.sql")
DEFAULT_DB = ROOT / "data" / "dashboard.duckdb"

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_LINE_COMMENT = re.compile(r"--[^\n]*")
_STRING = re.compile(r"'(?:[^']|'')*'")


class QueryParamsError(ValueError):
    """The parameters given to a named query do not match the `$names` in its file."""


def db_path() -> Path:
    """The DB file: `DASHBOARD_DB` if set, else data/dashboard.duckdb (read when called, not at import)."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)


def connect(path: Path | str | None = None, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the store; the app reads, only the build and import steps write."""
    path = Path(path) if path else db_path()
    if read_only and not path.exists():
        raise FileNotFoundError(f"no database at {path}: run `make demo` or set DASHBOARD_DB")
    return duckdb.connect(str(path), read_only=read_only)


_SNAPSHOTS: weakref.WeakSet = weakref.WeakSet()


def snapshot(path: Path | str | None = None) -> duckdb.DuckDBPyConnection:
    """Open the store read-only as the file is now, for a process that stays up (the app).

    DuckDB keeps one instance per file path and hands it to every connect while any connection to it
    is open, so after an import has swapped a new file in, a plain `connect` would go on reading the
    old one (duckdb issue 15912). A fresh in-memory instance with the file attached reads the new file;
    the old one stays readable until its last cursor closes.
    """
    path = Path(path) if path else db_path()
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}: run `make demo` or set DASHBOARD_DB")
    con = duckdb.connect()
    con.execute("attach $path as store (read_only)", {"path": str(path)})
    con.execute("use store")
    _SNAPSHOTS.add(con)
    return con


def cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A cursor of its own for one query, on the store (a cursor of a snapshot starts in memory)."""
    cur = con.cursor()
    if con in _SNAPSHOTS:
        cur.execute("use store")
    return cur


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every table and the shared macros (idempotent)."""
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    params: frozenset[str]


def query_names() -> list[str]:
    """Every named query, as `area/name`."""
    return sorted(p.relative_to(QUERIES_DIR).with_suffix("").as_posix() for p in QUERIES_DIR.rglob("*.sql"))


@cache
def load_query(name: str) -> Query:
    """Read `queries/<area>/<name>.sql` and the `$names` it uses (comments and strings ignored)."""
    path = (QUERIES_DIR / f"{name}.sql").resolve()
    if QUERIES_DIR not in path.parents or not path.is_file():
        raise KeyError(f"no named query {name!r} under {QUERIES_DIR}")
    sql = path.read_text(encoding="utf-8")
    code = _STRING.sub("''", _LINE_COMMENT.sub("", sql))
    return Query(name, sql, frozenset(_PARAM.findall(code)))


def check_params(query: Query, params: dict) -> None:
    """Fail loudly when a parameter is missing or one is given that the SQL does not name."""
    given = set(params)
    missing, extra = query.params - given, given - query.params
    if missing or extra:
        parts = []
        if missing:
            parts.append(f"missing {sorted(missing)}")
        if extra:
            parts.append(f"unexpected {sorted(extra)}")
        raise QueryParamsError(f"query {query.name!r}: " + ", ".join(parts))


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> pd.DataFrame:
    """Run a named query with bound parameters on a cursor of its own, return a DataFrame."""
    query = load_query(name)
    params = dict(params or {})
    check_params(query, params)
    cur = cursor(con)
    try:
        return frame(cur.execute(query.sql, params))
    finally:
        cur.close()


# DuckDB warns that Arrow out of an executed (DB-API) result copies its rows; that copy is what `frame` below
# takes, on purpose: for text it costs a third of `.df()`'s conversion (measured, province ticket list).
warnings.filterwarnings("ignore", message="Arrow output on a DB-API result", category=UserWarning)


# A query whose one column is this (a BLOB: an Arrow IPC stream, queries/kept/) answers with the frame it
# holds: an answer the rollups keep (rollups.KEPT_ANSWERS, KEPT_WHOLE), read in one row, not thousands.
KEPT_FRAME = "arrow_ipc"
# A query with these columns answers with several kept frames at once (rollups.answers: a page's kept
# answers in one statement) as a bundle: a row per frame, the decoded frame in its "frame" column
# (access.mask_frame masks each).
KEPT_FRAMES = ("query", "answer_month", KEPT_FRAME)
KEPT_BUNDLE = ("query", "answer_month", "frame")


def frame(cur: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The executed query's result as `.df()` makes it (the same dtypes and values), faster for long
    results: most results end in their first chunk (DuckDB's own conversion), the rest of a longer one
    comes out as Arrow and the common column kinds are converted here (`_column`), where `.df()` builds a
    Python object per text cell (a city month's satisfaction summary, 6,107 rows: 11.9 ms against 6).
    Lists, structs and wide decimals go through DuckDB. A kept frame (KEPT_FRAME) comes out as the query
    that made it gave it; several (KEPT_FRAMES) as a KEPT_BUNDLE of them."""
    columns = tuple(column[0] for column in cur.description)
    if columns == (KEPT_FRAME,):
        kept = cur.fetchall()  # one row (all of it: the cursor takes no other statement until then)
        if not kept:  # rollups.answers and rollups.whole ask only for what the refresh kept
            raise LookupError("no kept answer for these parameters: run `python -m dashboard refresh`")
        return _kept(kept[0][0])
    if columns == KEPT_FRAMES:
        rows = cur.fetchall()
        return pd.DataFrame(
            [(query, month, _kept(stream)) for query, month, stream in rows], columns=list(KEPT_BUNDLE)
        )
    first = cur.fetch_df_chunk(1)  # one chunk (up to a vector of 2,048 rows, fewer after a filter or join)
    probe = cur.fetchone()  # most results end in the first chunk: 0.2 ms to learn it, an Arrow table 1.5 ms
    if probe is None:
        return first
    table = cur.to_arrow_table()  # the rows after the probe
    row = pa.Table.from_arrays(
        [pa.array([value], kind) for value, kind in zip(probe, table.schema.types, strict=True)],
        schema=table.schema,
    )
    rest = _from_arrow(cur, pa.concat_tables([row, table]))
    # an ENUM comes through Arrow as a dictionary: give it the first vector's categories
    for name in rest.columns:
        if isinstance(first[name].dtype, pd.CategoricalDtype):
            rest[name] = rest[name].astype(first[name].dtype)
    return pd.concat([first, rest], ignore_index=True)


def kept_frame(answer: pd.DataFrame) -> bytes:
    """A query's answer (`frame`, or one a page made from answers) as an Arrow IPC stream, for a KEPT_FRAME
    column, which reading back (`_kept`, Arrow's own conversion: ~1.5x quicker than converting column by
    column) gives as the frame `.df()` gave. pandas' note of each column's dtype goes with it only when
    Arrow's types alone would give another frame (a nullable integer column, say): reading the note takes
    a third of a small frame's reading (a city's kept answers: 7.2 ms with it, 5.0 without)."""
    table = pa.Table.from_pandas(answer, preserve_index=False)
    bare = table.replace_schema_metadata(None)
    back, expected = bare.to_pandas(split_blocks=True), answer.reset_index(drop=True)
    if list(back.columns) == list(expected.columns) and back.dtypes.equals(expected.dtypes):
        table = bare if back.equals(expected) else table
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _kept(stream: bytes) -> pd.DataFrame:
    """A kept frame (`kept_frame`) as the query gave it (its columns not gathered into blocks by dtype:
    a fifth quicker, and pandas gathers them if an operation needs it)."""
    return pa.ipc.open_stream(stream).read_all().to_pandas(split_blocks=True)


def _from_arrow(cur: duckdb.DuckDBPyConnection, table: pa.Table) -> pd.DataFrame:
    """An Arrow table as `.df()` gives the same rows: the common column kinds converted here, the rest
    (and an empty table, whose text columns `.df()` gives as objects) by DuckDB."""
    names = table.column_names
    if not table.num_rows or len(set(names)) < len(names):  # a DataFrame from a dict keeps one of a name
        return cur.from_arrow(table).df()
    columns = {name: _column(table.column(name)) for name in names}
    odd = [name for name, column in columns.items() if column is None]
    if odd:
        columns |= cur.from_arrow(table.select(odd)).df().to_dict("series")
    return pd.DataFrame({name: columns[name] for name in names}, copy=False)


def _column(column: pa.ChunkedArray):
    """One Arrow column as `.df()` converts it, or None for the kinds left to DuckDB."""
    kind, has_nulls = column.type, column.null_count > 0
    if pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return column.to_pandas()
    if pa.types.is_integer(kind):
        values = column.fill_null(0).to_numpy() if has_nulls else column.to_numpy()
        if not has_nulls:
            return values
        return pd.arrays.IntegerArray(values, column.is_null().to_numpy())
    if pa.types.is_floating(kind):
        return column.to_numpy()  # NULL as NaN, as .df() gives it
    if pa.types.is_boolean(kind):
        if not has_nulls:
            return column.to_numpy()
        return pd.arrays.BooleanArray(column.fill_null(False).to_numpy(), column.is_null().to_numpy())
    if pa.types.is_timestamp(kind) and kind.unit == "us" and kind.tz is None:
        return column.to_pandas()  # NULL as NaT
    if pa.types.is_dictionary(kind):  # an ENUM: .df() gives it as ordered categories, all of the type's
        values = column.to_pandas()
        return pd.Categorical(values, categories=values.cat.categories, ordered=True)
    if pa.types.is_date32(kind):
        return column.cast(pa.timestamp("us")).to_pandas()
    if pa.types.is_decimal128(kind) and kind.precision <= 18:
        return _decimal(column)
    return None


def _decimal(column: pa.ChunkedArray):
    """DECIMAL as .df() gives it: the unscaled integer as a double, divided by 10^scale (NULL as NaN)."""
    array = column.combine_chunks()  # 16 bytes a value, low word first; up to 18 digits fit the low word
    words = np.frombuffer(array.buffers()[1], dtype=np.int64)
    low = words[2 * array.offset : 2 * (array.offset + len(array)) : 2]
    values = low.astype(np.float64) / 10.0**array.type.scale
    if array.null_count:
        values[array.is_null().to_numpy(zero_copy_only=False)] = np.nan
    return values
