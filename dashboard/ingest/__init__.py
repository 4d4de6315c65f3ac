"""Import of the company's own exports (数据导入): one entry, `run_import`, for the command line
(`python -m dashboard import`) and the admin page (pages/data.py).

    read      bytes -> rows of text (read.py: format, encoding, delimiter, header row)
    recognise header (and file name) -> the table and which column is which (validate.py)
    check     every row: types, codes, ranges, keys, foreign keys, stage order, coordinates
    stage     the valid rows, typed, beside a copy of the store; count new / updated / unchanged
    apply     upsert on the natural key, log the run, quarantine the rejects, swap the copy in (apply.py)

An import applies whole or not at all; the dashboard reads the last good file meanwhile.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa

from dashboard import audit, store
from dashboard.ingest import apply, read, spec, validate
from dashboard.ingest.read import Refused

Progress = Callable[[float, str], None]  # (share done 0..1, what is going on)


@dataclass
class FileResult:
    no: int
    name: str
    sha256: str
    size: int
    table: str | None = None
    fmt: str | None = None
    encoding: str | None = None
    refusal: tuple[str, dict] | None = None
    n_read: int = 0
    n_new: int = 0
    n_updated: int = 0
    n_unchanged: int = 0
    n_rejected: int = 0
    seconds: float = 0.0
    ignored: list[str] = field(default_factory=list)
    rejects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=validate.REJECT_COLUMNS))
    preview: pd.DataFrame | None = None
    status: str = "applied"

    @property
    def n_valid(self) -> int:
        return self.n_read - self.n_rejected


@dataclass
class Outcome:
    files: list[FileResult]
    dry_run: bool
    strict: bool
    applied: bool  # the valid rows are in the store (or would be, on a dry run)
    import_id: int | None = None
    seconds: float = 0.0
    error: str | None = None  # busy, or an internal error: nothing was changed

    @property
    def exit_code(self) -> int:
        """0 all applied, 1 applied with rows or files rejected, 2 nothing applied."""
        if self.error or not self.applied:
            return 2
        return 1 if any(f.refusal or f.n_rejected for f in self.files) else 0

    def rejects(self) -> pd.DataFrame:
        """Every rejected row of the run with its file and table (see report.rejects_frame)."""
        parts = [f.rejects.assign(file=f.name, table=f.table) for f in self.files if len(f.rejects)]
        if not parts:
            return pd.DataFrame(columns=["file", "table", *validate.REJECT_COLUMNS])
        return pd.concat(parts, ignore_index=True)


def run_import(
    sources: list[tuple[str, bytes]],
    db: Path | str | None = None,
    *,
    strict: bool = False,
    dry_run: bool = False,
    user: str = "",
    table: str | None = None,
    sheet: str | None = None,
    progress: Progress | None = None,
    preview_rows: int = 0,
) -> Outcome:
    """Import files (name, bytes) into the store at `db`; never raises for bad input."""
    started = time.perf_counter()
    db = Path(db) if db else store.db_path()
    tell = progress or (lambda share, what: None)
    files = [
        FileResult(i + 1, name, hashlib.sha256(data).hexdigest(), len(data))
        for i, (name, data) in enumerate(sources)
    ]
    parsed: dict[int, tuple[read.Sheet, validate.Mapping]] = {}
    total = sum(f.size for f in files) or 1
    done = 0
    for f, (name, data) in zip(files, sources, strict=True):
        t0 = time.perf_counter()
        tell(0.4 * done / total, name)
        lines = max(1, data.count(b"\n"))
        share = f.size / total

        def rows_read(row_no: int, before=done / total, share=share, lines=lines, name=name) -> None:
            tell(0.4 * (before + share * min(1.0, row_no / lines)), name)

        try:
            sheet_rows = read.read(name, data, validate.find_header, sheet=sheet, progress=rows_read)
            mapping = validate.recognise(sheet_rows.header, name, table)
            parsed[f.no] = (sheet_rows, mapping)
            f.table, f.fmt, f.encoding = mapping.table.name, sheet_rows.fmt, sheet_rows.encoding
            f.n_read, f.ignored = sheet_rows.n_rows, mapping.ignored
        except Refused as refused:
            f.refusal, f.status = (refused.reason, refused.args_), "refused"
        f.seconds += time.perf_counter() - t0
        done += f.size
    outcome = Outcome(files, dry_run, strict, applied=False)
    try:
        with apply.open_work(db, dry_run) as work:
            _check_and_apply(work, files, parsed, outcome, user, tell, preview_rows)
    except apply.Busy:
        outcome.error = "busy"
    except Exception as error:  # whatever broke, the live store is untouched: say so
        outcome.error = f"{type(error).__name__}: {error}"
        outcome.applied = False
    outcome.seconds = time.perf_counter() - started
    if not dry_run:  # who imported what, beside the store's own import_log (which a failed swap loses)
        audit.record(audit.audit_path(db), user or "?", "import", None, _audit_detail(outcome))
    return outcome


def _audit_detail(outcome: Outcome) -> dict:
    return {
        "applied": outcome.applied,
        "strict": outcome.strict,
        "error": outcome.error,
        "files": [
            {"name": f.name, "sha256": f.sha256, "table": f.table, "status": f.status, "read": f.n_read,
             "new": f.n_new, "updated": f.n_updated, "rejected": f.n_rejected}
            for f in outcome.files
        ],
    }  # fmt: skip


def _check_and_apply(work, files, parsed, outcome: Outcome, user: str, tell: Progress, preview_rows: int):
    order = spec.load_order()
    by_no = {f.no: f for f in files}
    ordered = sorted(parsed, key=lambda no: (order.index(parsed[no][1].table.name), no))
    batch = validate.Batch(work.view)
    staged: dict[int, str] = {}
    for k, no in enumerate(ordered):
        f = by_no[no]
        sheet_rows, mapping = parsed[no]
        tell(0.4 + 0.3 * k / max(1, len(ordered)), f.name)
        t0 = time.perf_counter()
        checked = validate.check(sheet_rows, mapping, batch, f.name)
        batch.add(mapping.table, f.name, checked.valid)
        f.n_rejected, f.rejects = checked.n_rejected, checked.rejects
        if preview_rows:
            f.preview = checked.valid.slice(0, preview_rows).to_pandas()
        staged[no] = apply.stage(work, mapping.table, checked.valid)
        f.n_new, f.n_updated, f.n_unchanged = apply.counts(work, mapping.table, staged[no])
        f.seconds += time.perf_counter() - t0
    failed = any(f.refusal or f.n_rejected for f in files)
    outcome.applied = any(f.n_valid > 0 for f in files if not f.refusal) and not (outcome.strict and failed)
    for f in files:
        if not f.refusal:
            f.status = (
                "rejected"
                if not outcome.applied or f.n_valid == 0
                else "partial"
                if f.n_rejected
                else "applied"
            )
            if f.status == "rejected":
                f.n_new = f.n_updated = f.n_unchanged = 0
    if outcome.dry_run:
        return
    tell(0.75, "apply")
    if outcome.applied:
        for no in ordered:
            t0 = time.perf_counter()
            apply.apply(work, parsed[no][1].table, staged[no])
            by_no[no].seconds += time.perf_counter() - t0
        apply.refresh_rollups(work.con)
    outcome.import_id = int(store.run(work.con, "ingest/next_import_id").import_id[0])
    _log(work, outcome, user)
    tell(0.95, "swap")
    work.commit()
    tell(1.0, "done")


def _log(work, outcome: Outcome, user: str) -> None:
    """One import_log row per file, and every rejected row in import_rejects."""
    now = datetime.now().replace(microsecond=0)
    log = pd.DataFrame(
        [
            {
                "import_id": outcome.import_id,
                "file_no": f.no,
                "imported_at": now,
                "user_name": user or "?",
                "file_name": f.name,
                "sha256": f.sha256,
                "table_name": f.table,
                "file_format": f.fmt,
                "encoding": f.encoding,
                "status": f.status,
                "strict": outcome.strict,
                "rows_read": f.n_read,
                "rows_new": f.n_new,
                "rows_updated": f.n_updated,
                "rows_unchanged": f.n_unchanged,
                "rows_rejected": f.n_rejected,
                "seconds": round(f.seconds, 3),
                "reason": f.refusal[0] if f.refusal else None,
                "reason_args": json.dumps(f.refusal[1], ensure_ascii=False) if f.refusal else None,
            }
            for f in outcome.files
        ]
    )
    work.con.from_df(log[list(work.con.table("import_log").columns)]).insert_into("import_log")
    for f in outcome.files:
        if len(f.rejects) == 0:
            continue
        r = f.rejects
        rows = pa.table(
            {
                "import_id": pa.array([outcome.import_id] * len(r), pa.int32()),
                "file_no": pa.array([f.no] * len(r), pa.int32()),
                "reject_no": pa.array(range(1, len(r) + 1), pa.int32()),
                "row_number": pa.array(r["row"].astype("int64"), pa.int32()),
                "column_name": pa.array(r["column"].astype(str), pa.string()),
                "value": pa.array(r["value"].astype(str), pa.string()),
                "reason": pa.array(r["reason"].astype(str), pa.string()),
                "reason_args": pa.array(r["args"].astype(str), pa.string()),
                "raw_row": pa.array(r["raw"].astype(str), pa.string()),
            }
        )
        work.con.from_arrow(rows).insert_into("import_rejects")
