"""Which table a file holds, and which of its rows may go into the store.

A row is rejected for every problem it has (a cell that does not parse, a missing required value, a
key seen twice, a foreign key that points nowhere, ticket stages out of order, coordinates outside
China or swapped, ...); the rows without a problem are valid and come out typed and complete (columns
the file lacks are taken from the stored row, or the default for a new one).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.ingest import spec, values
from dashboard.ingest.read import Refused, Sheet
from dashboard.ingest.values import Problem, bools

LON = (73.0, 136.0)  # the schema's box around China
LAT = (3.0, 54.0)
VALUE_SHOWN = 200  # characters of a rejected cell kept in the report


@dataclass
class Mapping:
    table: spec.Table
    columns: dict[int, str]  # file column index -> column name
    ignored: list[str]  # headers that name no column of the table


@dataclass
class Checked:
    table: str
    valid: pa.Table  # typed rows, every column of the table
    rejects: pd.DataFrame  # row, column, value, reason, args, raw
    n_read: int
    n_rejected: int
    ignored: list[str] = field(default_factory=list)


REJECT_COLUMNS = ["row", "column", "value", "reason", "args", "raw"]


# ---------------------------------------------------------------- the header


def _matches(header: list[str]) -> dict[str, dict[int, str]]:
    found: dict[str, dict[int, str]] = {}
    for table in spec.TABLES:
        names = spec.header_map(table.name)
        found[table.name] = {
            i: names[spec.norm_header(h)] for i, h in enumerate(header) if spec.norm_header(h) in names
        }
    return found


def find_header(rows: list[list[str]]) -> int | None:
    """The first of a file's top rows that names at least two columns of one table."""
    for i, row in enumerate(rows):
        cells = [c for c in row if c and c.strip()]
        if len(cells) < 2:
            continue
        if max(len(set(m.values())) for m in _matches(row).values()) >= 2:
            return i
    return None


def table_hint(file_name: str) -> str | None:
    """The table a file's name points to (the longest word of some table's names it contains)."""
    stem = PurePath(file_name).stem.lower()
    hits = [
        (len(word), t.name) for t in spec.TABLES for word in (t.name, *t.file_names) if word.lower() in stem
    ]
    if not hits:
        return None
    best = max(n for n, _ in hits)
    tables = {name for n, name in hits if n == best}
    return tables.pop() if len(tables) == 1 else None


def recognise(header: list[str], file_name: str, table: str | None = None) -> Mapping:
    """The table of a file from its header (and its name, or the table asked for); Refused if unclear."""
    matches = _matches(header)
    complete = [name for name, m in matches.items() if set(spec.BY_NAME[name].required) <= set(m.values())]
    wanted = table or table_hint(file_name)
    if wanted:
        if wanted not in complete:
            others = [n for n in complete if n != wanted]
            if others:
                raise Refused("wrong_table", named=wanted, found=_best(others, matches))
            missing = [c for c in spec.BY_NAME[wanted].required if c not in matches[wanted].values()]
            raise Refused("missing_columns", table=wanted, missing=missing)
        chosen = wanted
    elif complete:
        chosen = _best(complete, matches)
        tied = [n for n in complete if _score(n, matches) == _score(chosen, matches) and n != chosen]
        if tied:
            raise Refused("ambiguous", tables=[chosen, *tied])
    else:
        best = max(matches, key=lambda n: len(set(matches[n].values())))
        if len(set(matches[best].values())) < 2:
            raise Refused("no_header", seen=" | ".join(h for h in header if h)[:200])
        missing = [c for c in spec.BY_NAME[best].required if c not in matches[best].values()]
        raise Refused("missing_columns", table=best, missing=missing)
    mapping = matches[chosen]
    seen: dict[str, int] = {}
    for i, name in mapping.items():
        if name in seen:
            raise Refused(
                "duplicate_header", table=chosen, column=name, headers=[header[seen[name]], header[i]]
            )
        seen[name] = i
    ignored = [h for i, h in enumerate(header) if i not in mapping and h.strip()]
    return Mapping(spec.BY_NAME[chosen], mapping, ignored)


def _score(name: str, matches) -> tuple[int, float]:
    n = len(set(matches[name].values()))
    return n, n / len(spec.BY_NAME[name].columns)


def _best(names: list[str], matches) -> str:
    return max(names, key=lambda n: _score(n, matches))


# ---------------------------------------------------------------- the rows


class Batch:
    """What the files of one import have brought so far, and what the store holds (read lazily)."""

    def __init__(self, store):
        self.store = store  # ingest.apply.StoreView
        self.keys: dict[str, list[pd.DataFrame]] = {}  # table -> valid keys per earlier file
        self.files: dict[str, list[str]] = {}
        self.unique: dict[tuple[str, str], list[pd.DataFrame]] = {}
        self.rows: dict[str, list[pa.Table]] = {}

    def add(self, table: spec.Table, file_name: str, valid: pa.Table) -> None:
        self.rows.setdefault(table.name, []).append(valid)
        self.keys.setdefault(table.name, []).append(valid.select(list(table.key)).to_pandas())
        self.files.setdefault(table.name, []).append(file_name)
        for col in table.unique:
            self.unique.setdefault((table.name, col), []).append(valid.select([*table.key, col]).to_pandas())

    def batch_keys(self, table: str) -> pd.DataFrame | None:
        parts = self.keys.get(table)
        return pd.concat(parts, ignore_index=True) if parts else None

    def attribute(self, table: str, key: str, column: str) -> pd.Series:
        """key -> column of the parent rows as this import leaves them (the batch over the store)."""
        found = self.store.attribute(table, key, column)
        for part in self.rows.get(table, []):
            found = pd.concat([found, part.select([key, column]).to_pandas()])
        return found.drop_duplicates(key, keep="last").set_index(key)[column]


def check(sheet: Sheet, mapping: Mapping, batch: Batch, file_name: str) -> Checked:
    """Parse and check every row of a file against the table, the store and the batch so far."""
    table = mapping.table
    n = len(sheet.row_numbers)
    rows = sheet.row_numbers.to_numpy()
    header_of = {name: sheet.header[i] for i, name in mapping.columns.items()}
    cells = {name: sheet.columns[i] for i, name in mapping.columns.items()}
    typed: dict[str, pa.ChunkedArray | pa.Array] = {}
    problems: list[tuple[str | None, Problem]] = []
    for name, col in table.column_map.items():
        if name in cells:
            typed[name], found = values.parse(cells[name], col)
            problems += [(name, p) for p in found]
    complete = _fill_absent(table, typed, n, batch)
    problems += _row_checks(table, complete, cells)
    problems += _key_checks(table, complete, rows, batch, file_name)
    problems += _fk_checks(table, complete, batch)
    bad = np.zeros(n, dtype=bool)
    for _, p in problems:
        bad |= p.mask
    valid = pa.table({name: complete[name] for name in table.column_map}).filter(pa.array(~bad))
    rejects = _rejects(problems, rows, cells, header_of, sheet, mapping)
    short = pd.DataFrame(
        {
            "row": [r for r, _, _ in sheet.short_rows],
            "column": "",
            "value": [text[:VALUE_SHOWN] for _, _, text in sheet.short_rows],
            "reason": "field_count",
            "args": [json.dumps({"found": k, "expected": len(sheet.header)}) for _, k, _ in sheet.short_rows],
            "raw": [json.dumps({"text": text}, ensure_ascii=False) for _, _, text in sheet.short_rows],
        },
        columns=REJECT_COLUMNS,
    )
    all_rejects = (
        pd.concat([r for r in (rejects, short) if len(r)], ignore_index=True)
        if (len(rejects) or len(short))
        else pd.DataFrame(columns=REJECT_COLUMNS)
    )
    if len(all_rejects):
        all_rejects = all_rejects.sort_values(["row"], kind="stable").reset_index(drop=True)
    return Checked(
        table.name,
        valid,
        all_rejects,
        n_read=sheet.n_rows,
        n_rejected=int(bad.sum()) + len(sheet.short_rows),
        ignored=mapping.ignored,
    )


def _fill_absent(table: spec.Table, typed: dict, n: int, batch: Batch) -> dict:
    """Every column of the table: a column the file lacks keeps the stored value, or its default."""
    absent = [name for name in table.column_map if name not in typed]
    out = dict(typed)
    if not absent:
        return out
    stored, found = batch.store.rows_for(table, pa.table({k: typed[k] for k in table.key}), absent)
    kinds = batch.store.arrow_types(table.name)
    for name in absent:
        default = pa.scalar(table.column_map[name].default, kinds[name])
        out[name] = pc.if_else(pa.array(found), stored.column(name).cast(kinds[name]), default)
    return out


def _row_checks(table: spec.Table, c: dict, cells: dict) -> list[tuple[str, Problem]]:
    out: list[tuple[str, Problem]] = []
    if "lon" in c and "lat" in c:
        lon = pc.fill_null(c["lon"], np.nan).to_numpy(zero_copy_only=False).astype(float)
        lat = pc.fill_null(c["lat"], np.nan).to_numpy(zero_copy_only=False).astype(float)
        with np.errstate(invalid="ignore"):
            in_lon = (lon >= LON[0]) & (lon <= LON[1])
            in_lat = (lat >= LAT[0]) & (lat <= LAT[1])
            swapped = (lon >= LAT[0]) & (lon <= LAT[1]) & (lat >= LON[0]) & (lat <= LON[1])
        known = ~np.isnan(lon) & ~np.isnan(lat)
        out.append(("lon", Problem(known & swapped, "coords_swapped")))
        out.append(("lon", Problem(known & ~swapped & ~in_lon, "outside_china", {"range": "73–136"})))
        out.append(("lat", Problem(known & ~swapped & ~in_lat, "outside_china", {"range": "3–54"})))
    if table.name == "tickets":
        out += _stage_order(c)
        happened = {stage: bools(pc.is_valid(c[stage])) for stage in spec.TICKET_STAGES}
        for before, stage in zip(spec.TICKET_STAGES[1:-1], spec.TICKET_STAGES[2:], strict=True):
            out.append((stage, Problem(happened[stage] & ~happened[before], "stage_gap", {"before": before})))
        result = bools(pc.is_valid(c["callback_result"]))
        out.append(("callback_result", Problem(result & ~happened["callback_at"], "result_without_callback")))
        out.append(("callback_at", Problem(~result & happened["callback_at"], "callback_without_result")))
    if table.name == "visits":
        started = _ts(c["started_at"])
        ended = _ts(c["ended_at"])
        both = ~np.isnat(ended) & ~np.isnat(started)
        with np.errstate(invalid="ignore"):
            out.append(("ended_at", Problem(both & (ended < started), "end_before_start")))
            long = both & (ended - started > np.timedelta64(24, "h"))
            out.append(("ended_at", Problem(long, "visit_too_long")))
        done = pc.fill_null(c["tasks_done"], 0).to_numpy(zero_copy_only=False)
        required = pc.fill_null(c["tasks_required"], 0).to_numpy(zero_copy_only=False)
        out.append(("tasks_done", Problem(done > required, "tasks_over")))
    return [(col, p) for col, p in out if p.mask.any()]


def _ts(a) -> np.ndarray:
    return pc.cast(a, pa.timestamp("us")).to_numpy(zero_copy_only=False).astype("datetime64[us]")


def _stage_order(c: dict) -> list[tuple[str, Problem]]:
    """Each stage time at or after the latest earlier stage that happened (a null stage is skipped)."""
    out = []
    latest = _ts(c[spec.TICKET_STAGES[0]])
    latest_name = np.full(len(latest), spec.TICKET_STAGES[0], dtype=object)
    for stage in spec.TICKET_STAGES[1:]:
        t = _ts(c[stage])
        with np.errstate(invalid="ignore"):
            early = ~np.isnat(t) & ~np.isnat(latest) & (t < latest)
        for before in spec.TICKET_STAGES[: spec.TICKET_STAGES.index(stage)]:
            m = early & (latest_name == before)
            if m.any():
                out.append((stage, Problem(m, "stage_order", {"before": before})))
        later = ~np.isnat(t) & ~early
        latest = np.where(later, t, latest)
        latest_name = np.where(later, stage, latest_name)
    return out


def _key_checks(table, c, rows, batch: Batch, file_name: str) -> list[tuple[str, Problem]]:
    """Keys unique in the file and in the batch; unique columns also against the store."""
    out: list[tuple[str, Problem]] = []
    key_frame = pa.table({k: c[k] for k in table.key}).to_pandas()
    known = key_frame.notna().all(axis=1).to_numpy()
    first_col = table.key[0]
    dup = key_frame.duplicated(keep=False).to_numpy() & known
    if dup.any():
        whole = pa.table({name: c[name] for name in table.column_map}).filter(pa.array(dup)).to_pandas()
        digest = pd.util.hash_pandas_object(whole.astype(str), index=False).to_numpy()
        frame = key_frame[dup].assign(_h=digest, _row=rows[dup])
        grouped = frame.groupby(list(table.key), dropna=False)
        same = grouped["_h"].transform("nunique").to_numpy() == 1
        first_row = grouped["_row"].transform("min").to_numpy()
        all_rows = grouped["_row"].transform(lambda r: ", ".join(map(str, r.iloc[:10])))
        idx = np.flatnonzero(dup)
        repeat = np.zeros(len(rows), dtype=bool)
        repeat[idx[same & (frame["_row"].to_numpy() != first_row)]] = True
        conflict = np.zeros(len(rows), dtype=bool)
        conflict[idx[~same]] = True
        firsts = np.zeros(len(rows), dtype=np.int64)
        firsts[idx] = first_row
        lists = np.full(len(rows), "", dtype=object)
        lists[idx] = all_rows.to_numpy()
        out.append((first_col, Problem(repeat, "duplicate_row", {"first": firsts})))
        out.append((first_col, Problem(conflict, "duplicate_key", {"rows": lists})))
    earlier = batch.batch_keys(table.name)
    if earlier is not None and known.any():
        seen = pd.MultiIndex.from_frame(earlier.astype(key_frame.dtypes.to_dict()))
        again = pd.MultiIndex.from_frame(key_frame).isin(seen) & known
        files = ", ".join(batch.files.get(table.name, []))
        out.append((first_col, Problem(again, "duplicate_in_batch", {"files": files})))
    for col in table.unique:
        value = pc.cast(c[col], pa.string()).to_pandas()
        present = value.notna().to_numpy() & known
        ids = key_frame[first_col]
        in_file = pd.DataFrame({"v": value, "k": ids})[present]
        multi = in_file.groupby("v")["k"].transform("nunique").to_numpy() > 1
        clash = np.zeros(len(rows), dtype=bool)
        clash[np.flatnonzero(present)[multi]] = True
        out.append((col, Problem(clash, "duplicate_unique")))
        owners = batch.store.unique_owners(table, col)
        for part in batch.unique.get((table.name, col), []):
            owners = pd.concat([owners, part.rename(columns={col: "v", first_col: "k"})[["v", "k"]]])
        # a stored row whose key this file rewrites no longer holds its value
        owners = owners[~owners["k"].isin(ids[known])]
        owner_of = owners.drop_duplicates("v").set_index("v")["k"]
        other = value.map(owner_of)
        taken = other.notna().to_numpy() & present & (other.to_numpy() != ids.to_numpy())
        owner = np.array([_key_text(v) for v in other], dtype=object)
        out.append((col, Problem(taken, "unique_taken", {"owner": owner})))
    return [(col, p) for col, p in out if p.mask.any()]


def _fk_checks(table: spec.Table, c: dict, batch: Batch) -> list[tuple[str, Problem]]:
    out = []
    for fk in table.fks:
        value = c[fk.column]
        present = bools(pc.is_valid(value))
        if not present.any():
            continue
        stored = batch.store.key_values(fk.table, fk.ref)
        ok = bools(pc.is_in(value, value_set=stored))
        earlier = batch.batch_keys(fk.table)
        if earlier is not None:
            ok |= bools(pc.is_in(value, value_set=pa.array(earlier[fk.ref]).cast(stored.type)))
        out.append((fk.column, Problem(present & ~ok, "fk_missing", {"table": fk.table})))
        if fk.where is not None:
            column, wanted = fk.where
            of = batch.attribute(fk.table, fk.ref, column)
            got = pd.Series(value.to_pandas()).map(of)
            wrong = present & ok & (got != wanted).to_numpy()
            reason = "fk_role" if column == "role" else "fk_no_pos"
            out.append((fk.column, Problem(wrong, reason, {"table": fk.table, "role": str(wanted)})))
    return [(col, p) for col, p in out if p.mask.any()]


def _rejects(problems, rows, cells, header_of, sheet: Sheet, mapping: Mapping) -> pd.DataFrame:
    """One line per problem: the row, the file's header, the cell as written, the reason and its args."""
    parts = []
    raw_cache: dict[int, str] = {}
    bad_rows = np.zeros(len(rows), dtype=bool)
    for _, p in problems:
        bad_rows |= p.mask
    idx_bad = np.flatnonzero(bad_rows)
    if len(idx_bad):
        taken = [sheet.columns[i].take(pa.array(idx_bad)).to_pylist() for i in range(len(sheet.header))]
        for j, i in enumerate(idx_bad):
            raw_cache[i] = json.dumps(
                {sheet.header[k] or f"#{k + 1}": _cut(taken[k][j]) for k in range(len(sheet.header))},
                ensure_ascii=False,
            )
    for name, p in problems:
        idx = np.flatnonzero(p.mask)
        shown = cells[name].take(pa.array(idx)).to_pylist() if name in cells else [""] * len(idx)
        args = [json.dumps({k: _arg(v, i) for k, v in p.args.items()}, ensure_ascii=False) for i in idx]
        parts.append(
            pd.DataFrame(
                {
                    "row": rows[idx],
                    "column": header_of.get(name, name or ""),
                    "value": [_cut(v) for v in shown],
                    "reason": p.reason,
                    "args": args,
                    "raw": [raw_cache[i] for i in idx],
                },
                columns=REJECT_COLUMNS,
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=REJECT_COLUMNS)


def _key_text(value) -> str:
    """A key as people write it (1027, not 1027.0)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _arg(value, i: int):
    """A problem's argument for row i: per-row arguments are arrays, the rest the same for all rows."""
    if not isinstance(value, np.ndarray):
        return value
    item = value[i]
    return item.item() if hasattr(item, "item") else item


def _cut(value) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= VALUE_SHOWN else text[:VALUE_SHOWN] + "…"
