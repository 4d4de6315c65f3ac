"""Where an import writes: a copy of the store, swapped in whole, so the live file is never half-loaded.

    lock <db>.import-lock          one import at a time (flock: a killed import lets go by itself)
    copy <db> -> .<db>.import-PID  the work file; the live file is only ever read
    apply rows, log, quarantine    in the work file (the app keeps reading the live one)
    checkpoint, fsync, os.replace  the new file takes the live file's name in one step

A crash or kill -9 before os.replace leaves the live file as it was (the next import removes the
stale work file); after it, the whole new file is live. The app notices the new modification time and
reopens (dashboard/web.py, store.snapshot).

Rows travel as arrow tables through DuckDB's relation API (no SQL text); the deletes and in-place
updates it has no call for are named statements, one per table, in queries/ingest/write/. Column names
in the relation calls come from the schema spec (dashboard/ingest/spec.py), never from a file.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard import store
from dashboard.ingest import spec


class Busy(Exception):
    """Another import holds the store's lock."""


def q(name: str) -> str:
    """A quoted identifier of the spec (never text from a file)."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"not an identifier: {name!r}")
    return f'"{name}"'


def _cols(names) -> str:
    return ", ".join(q(n) for n in names)


class StoreView:
    """What the validation needs to know of the stored rows, read once per import."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._keys: dict[tuple[str, str], pa.Array] = {}
        self._types: dict[str, dict[str, pa.DataType]] = {}

    def arrow_types(self, table: str) -> dict[str, pa.DataType]:
        if table not in self._types:
            schema = self.con.table(table).limit(0).to_arrow_table().schema
            self._types[table] = {f.name: f.type for f in schema}
        return self._types[table]

    def key_values(self, table: str, column: str) -> pa.Array:
        if (table, column) not in self._keys:
            got = self.con.table(table).project(q(column)).to_arrow_table().column(0)
            self._keys[(table, column)] = got.combine_chunks()
        return self._keys[(table, column)]

    def attribute(self, table: str, key: str, column: str) -> pd.DataFrame:
        """key -> column of every stored row (a staff member's role, a store's POS flag)."""
        return self.con.table(table).project(_cols([key, column])).df()

    def unique_owners(self, table: spec.Table, column: str) -> pd.DataFrame:
        """Stored values of a unique column and the key holding each, as columns v and k."""
        got = self.con.table(table.name).project(_cols([column, table.key[0]])).df()
        return got.set_axis(["v", "k"], axis=1)

    def rows_for(self, table: spec.Table, keys: pa.Table, columns: list[str]) -> tuple[pa.Table, np.ndarray]:
        """The stored `columns` of the rows with these keys, aligned with `keys` (found: which exist)."""
        n = keys.num_rows
        probe = self.con.from_arrow(keys.append_column("_i", pa.array(np.arange(n))))
        stored = self.con.table(table.name).project(f"{_cols([*table.key, *columns])}, true as _found")
        got = probe.join(stored, list(table.key), how="left").order("_i").to_arrow_table()
        found = got.column("_found").fill_null(False).to_numpy(zero_copy_only=False).astype(bool)
        return got, found


# ---------------------------------------------------------------- the work file


def work_path(db: Path) -> Path:
    return db.with_name(f".{db.name}.import-{os.getpid()}")


@contextmanager
def lock(db: Path):
    """Hold the store's import lock, or raise Busy at once."""
    db.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(db.with_name(db.name + ".import-lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy(str(db)) from None
        yield
    finally:
        os.close(fd)


class Work:
    """A connection to the store an import reads and writes, and its end: swap it in, or drop it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, db: Path, path: Path | None):
        self.con, self.db, self.path = con, db, path
        con.execute("attach ':memory:' as scratch")
        self.view = StoreView(con)
        self._n = 0

    def scratch(self, prefix: str) -> str:
        self._n += 1
        return f"scratch.main.{prefix}{self._n}"

    def commit(self) -> None:
        """Make the work file the live store: checkpoint, close, fsync, rename over the live file."""
        if self.path is None:
            raise RuntimeError("a dry run has nothing to commit")
        self.con.execute("detach scratch")
        self.con.execute("checkpoint")
        self.con.close()
        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():
            raise RuntimeError(f"{wal} is left after a checkpoint")
        fd = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(self.path, self.db)
        dir_fd = os.open(self.db.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self.path = None


@contextmanager
def open_work(db: Path, dry_run: bool):
    """A Work on a copy of the store (under its lock), or on the live file read-only for a dry run."""
    if dry_run:
        con = store.snapshot(db) if db.exists() else _empty_store()
        try:
            yield Work(con, db, None)
        finally:
            con.close()
        return
    with lock(db):
        for stale in db.parent.glob(f".{db.name}.import-*"):
            stale.unlink(missing_ok=True)  # left by an import that was killed
        if db.with_name(db.name + ".wal").exists():
            raise RuntimeError(
                f"{db}.wal exists: a process wrote the store in place; open it read-write once"
            )
        path = work_path(db)
        if db.exists():
            shutil.copyfile(db, path)
        con = duckdb.connect(str(path))
        work = Work(con, db, path)
        try:
            store.apply_schema(con)  # a store made before the import tables existed gets them
            yield work
        finally:
            if work.path is not None:  # not committed: drop the copy
                with suppress(duckdb.Error):
                    con.close()
                for p in (path, path.with_name(path.name + ".wal")):
                    p.unlink(missing_ok=True)


def _empty_store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    store.apply_schema(con)
    return con


# ---------------------------------------------------------------- staging, counting, applying


def stage(work: Work, table: spec.Table, valid: pa.Table) -> str:
    """The valid rows in a scratch table typed like the target table."""
    name = work.scratch("s")
    work.con.table(table.name).limit(0).create(name)
    work.con.from_arrow(valid.select(list(work.con.table(table.name).columns))).insert_into(name)
    return name


def counts(work: Work, table: spec.Table, staged: str) -> tuple[int, int, int]:
    """(new, updated, unchanged) rows of a staged file compared with the store."""
    con = work.con
    rows = con.table(staged)
    live = con.table(table.name)
    keys = list(table.key)
    total = _count(rows)
    new = _count(rows.join(live.project(_cols(keys)), keys, how="anti"))
    stored = live.join(rows.project(_cols(keys)), keys, how="semi").project(_cols(rows.columns))
    changed = _count(rows.except_(stored))
    return new, changed - new, total - changed


def _count(rel) -> int:
    return int(rel.aggregate("count(*)").fetchall()[0][0])


def _referenced(table: str) -> list[tuple[spec.Table, spec.ForeignKey]]:
    return [(t, fk) for t in spec.TABLES for fk in t.fks if fk.table == table]


def _write(work: Work, statement: str, table: str, rows: str, hard: str | None = None) -> None:
    """Run queries/ingest/write/<statement>/<table>.sql on the work copy, over the scratch table `rows`
    (the view ingest_rows) and `hard` (ingest_hard). Temporary views: seen by this connection only."""
    work.con.table(rows).create_view("ingest_rows", replace=True)
    if hard is not None:
        work.con.table(hard).create_view("ingest_hard", replace=True)
    work.con.execute(store.load_query(f"ingest/write/{statement}/{table}").sql)


def apply(work: Work, table: spec.Table, staged: str) -> None:
    """Upsert staged rows: insert new keys; rewrite changed rows (unchanged ones are left alone)."""
    con = work.con
    keys = list(table.key)
    live = con.table(table.name)
    rows = con.table(staged)
    columns = rows.columns
    stored = live.join(rows.project(_cols(keys)), keys, how="semi").project(_cols(columns))
    changed = work.scratch("c")
    rows.except_(stored).join(live.project(_cols(keys)), keys, how="semi").create(changed)
    rows.join(live.project(_cols(keys)), keys, how="anti").project(_cols(columns)).insert_into(table.name)
    if _count(con.table(changed)) == 0:
        return
    if not _referenced(table.name):
        # no row points here: a changed row is deleted and inserted again
        _write(work, "delete", table.name, changed)
        con.table(changed).insert_into(table.name)
        return
    # DuckDB rewrites a row whose indexed column (a foreign key, a unique one) changes as delete +
    # insert, which a row that others point at refuses; such rows go the long way (_rewrite), the
    # others are updated in place.
    hard = work.scratch("h")
    _hard_rows(work, table, changed).create(hard)
    _write(work, "update", table.name, changed, hard)
    if _count(con.table(hard)):
        _rewrite(work, table, hard)


def _hard_rows(work: Work, table: spec.Table, changed: str):
    """The changed rows whose foreign-key or unique column differs from the stored row."""
    con = work.con
    keys = list(table.key)
    indexed = [fk.column for fk in table.fks] + list(table.unique)
    new = con.table(changed).to_arrow_table()
    old = con.table(table.name).join(con.table(changed).project(_cols(keys)), keys, how="semi")
    old = old.project(_cols([*keys, *indexed])).to_arrow_table()
    probe = new.select(keys).append_column("_i", pa.array(np.arange(new.num_rows)))
    matched = probe.join(old, keys, join_type="inner").sort_by("_i")
    differs = np.zeros(new.num_rows, dtype=bool)
    at = matched.column("_i").to_numpy()
    for col in indexed:
        a, b = new.column(col).take(pa.array(at)), matched.column(col)
        same = pc.fill_null(pc.equal(a, b), False).to_numpy(zero_copy_only=False) | (
            pc.is_null(a).to_numpy(zero_copy_only=False) & pc.is_null(b).to_numpy(zero_copy_only=False)
        )
        differs[at[~same]] = True
    return con.from_arrow(new.filter(pa.array(differs)))


def _rewrite(work: Work, table: spec.Table, rows: str) -> None:
    """Replace rows that other rows point at: set the pointing rows (and theirs) aside, delete them,
    replace the rows, put the others back, parents first."""
    con = work.con
    aside: dict[str, list] = {}

    def collect(parent: spec.Table, parent_rows) -> None:
        for child, fk in _referenced(parent.name):
            pointing = parent_rows.project(f"{q(fk.ref)} as {q(fk.column)}").distinct()
            got = con.table(child.name).join(pointing, fk.column, how="semi")
            name = work.scratch("a")
            got.create(name)
            if _count(con.table(name)):
                aside.setdefault(child.name, []).append(con.table(name))
                collect(child, con.table(name))

    collect(table, con.table(rows))
    order = spec.load_order()
    merged: dict[str, str] = {}
    for name in sorted(aside, key=order.index):
        union = aside[name][0]
        for part in aside[name][1:]:
            union = union.union(part)
        merged[name] = work.scratch("m")
        union.distinct().create(merged[name])
    for name in sorted(merged, key=order.index, reverse=True):
        _write(work, "delete", name, merged[name])
    _write(work, "delete", table.name, rows)
    con.table(rows).insert_into(table.name)
    for name in sorted(merged, key=order.index):
        con.table(merged[name]).insert_into(name)


def refresh_rollups(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the pre-aggregated tables from the raw ones, where the store has them."""
    try:
        from dashboard import rollups  # noqa: PLC0415 - the perf work adds it
    except ImportError:
        return
    rollups.refresh(con)
