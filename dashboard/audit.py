"""The audit log: who signed in, imported or exported what, when, over which scope.

    from dashboard import audit
    audit.record(None, "admin", "import", None, {"file": "2026-10.xlsx", "rows": 1834})
    audit.record(None, user, "export", scope, {"format": "pptx", "file": "pack.pptx"})

`where` is None (the default audit file), a path, or an open DuckDB connection to an audit file. The log
is a file of its own beside the data (the app reads the data read-only and an import swaps that file
whole); every write opens it for a moment, so the app and the command line can both write.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pandas as pd

from dashboard import store

SCHEMA = Path(__file__).with_name("audit.sql")
LOCAL = ZoneInfo("Asia/Shanghai")
TEXT_LIMIT = 2000  # user text (a mistyped user name, a file name) is stored cut to this length
# One write at a time in this process: the app's sessions sign in on threads of one process, whose
# connections to the file share one database, and two writers creating the log at once were a catalog
# write-write conflict (one sign-in refused). Other processes wait for the file (`_open`).
_WRITING = threading.Lock()


def audit_path(db: Path | str | None = None) -> Path:
    """`DASHBOARD_AUDIT` if set, else audit.duckdb beside the data file (`db`, or the app's)."""
    beside = Path(db) if db else store.db_path()
    return Path(os.environ.get("DASHBOARD_AUDIT") or beside.with_name("audit.duckdb"))


def _json(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value[:TEXT_LIMIT]
    if is_dataclass(value) and not isinstance(value, type):
        value = asdict(value)
    return json.dumps(value, ensure_ascii=False, default=_plain)[:TEXT_LIMIT]


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    return str(value)


def _write(con: duckdb.DuckDBPyConnection, row: dict) -> None:
    con.execute(SCHEMA.read_text(encoding="utf-8"))
    store.run(con, "audit/record", row)


def _open(path: Path, read_only: bool = False, tries: int = 50) -> duckdb.DuckDBPyConnection:
    """Open the audit file, waiting up to ~5 s while another process has it open for a write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(tries):
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException:
            if attempt == tries - 1:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")


def record(where, user, action: str, scope=None, detail=None) -> None:
    """Append one line: `user` is a user name or a User, `scope` a Scope (or dict/str), `detail` any JSON."""
    row = {
        "logged_at": datetime.now(LOCAL).replace(tzinfo=None),
        "username": str(getattr(user, "username", user))[:TEXT_LIMIT],
        "role": getattr(user, "role", None),
        "action": action,
        "scope": _json(scope),
        "detail": _json(detail),
    }
    with _WRITING:
        if isinstance(where, duckdb.DuckDBPyConnection):
            _write(where, row)
            return
        con = _open(Path(where) if where else audit_path())
        try:
            _write(con, row)
        finally:
            con.close()


def recent(where=None, limit: int = 100) -> pd.DataFrame:
    """The latest `limit` lines, newest first (an empty frame when nothing was logged yet)."""
    path = Path(where) if where else audit_path()
    if not path.exists():
        return pd.DataFrame(
            columns=["audit_id", "logged_at", "username", "role", "action", "scope", "detail"]
        )
    con = _open(path, read_only=True)
    try:
        return store.run(con, "audit/recent", {"limit": limit})
    finally:
        con.close()
