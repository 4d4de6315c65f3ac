"""Import speed: rows per second of a generated visits CSV into a copy of a store (not a test).

The file refers to the store's own staff and customers, so every row is valid and new; each run
imports it into a fresh copy. Reported: the median of the runs, and beside it, measured in the same
process, how long DuckDB alone takes to read the file (this machine is shared: the ratio travels).
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np

from dashboard import store
from dashboard.ingest import run_import


def visits_csv(con, rows: int, seed: int = 7) -> bytes:
    """`rows` routine visits by the store's customer managers to its customers, new visit ids."""
    rng = np.random.default_rng(seed)
    staff = (
        con.table("staff").filter("role = 'customer_manager'").project("staff_id").df().staff_id.to_numpy()
    )
    customers = con.table("customers").project("customer_id").df().customer_id.to_numpy()
    first = int(con.table("visits").aggregate("coalesce(max(visit_id), 0) + 1").fetchall()[0][0])
    start = np.datetime64("2026-01-01T08:00:00") + rng.integers(0, 300 * 86400, rows).astype("timedelta64[s]")
    minutes = rng.integers(5, 60, rows)
    end = start + (minutes * 60).astype("timedelta64[s]")
    required = rng.integers(1, 6, rows)
    lines = [
        "走访编号,人员编码,客户编码,走访类型,开始时间,结束时间,签到距离（米）,应完成任务数,已完成任务数",
    ]
    ids = np.arange(first, first + rows)
    who = staff[rng.integers(0, len(staff), rows)]
    whom = customers[rng.integers(0, len(customers), rows)]
    distance = np.round(rng.lognormal(3, 0.8, rows), 1)
    done = np.minimum(required, rng.integers(0, 6, rows))
    s_text = np.char.replace(np.datetime_as_string(start, unit="s"), "T", " ")
    e_text = np.char.replace(np.datetime_as_string(end, unit="s"), "T", " ")
    for i in range(rows):
        lines.append(
            f"{ids[i]},{who[i]},{whom[i]},日常走访,{s_text[i]},{e_text[i]},{distance[i]},{required[i]},{done[i]}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _baseline(path: Path) -> float:
    """Seconds DuckDB alone takes to read the same CSV into a table (no checks, no keys): the floor."""
    con = duckdb.connect()
    started = time.perf_counter()
    con.read_csv(str(path), header=True).create("visits")
    seconds = time.perf_counter() - started
    con.close()
    return seconds


def bench(rows: int = 1_000_000, runs: int = 3, db: Path | None = None) -> dict:
    source = Path(db) if db else store.db_path()
    con = store.connect(source)
    data = visits_csv(con, rows)
    con.close()
    results, floors = [], []
    with tempfile.TemporaryDirectory(dir=source.parent) as tmp:
        csv_path = Path(tmp) / "visits.csv"
        csv_path.write_bytes(data)
        for _ in range(runs):
            floors.append(_baseline(csv_path))
            target = Path(tmp) / "bench.duckdb"
            shutil.copyfile(source, target)
            started = time.perf_counter()
            outcome = run_import([("visits.csv", data)], target, user="bench")
            seconds = time.perf_counter() - started
            f = outcome.files[0]
            if outcome.exit_code != 0 or f.n_new != rows:
                raise RuntimeError(f"bench import failed: exit {outcome.exit_code}, {f.n_new} new")
            results.append(seconds)
            target.unlink()
    median = statistics.median(results)
    floor = statistics.median(floors)
    size_mb = len(data) / 2**20
    table = "\n".join(
        [
            f"import of a {rows:,}-row visits CSV ({size_mb:.0f} MiB) into a copy of {source.name}",
            f"runs: {', '.join(f'{s:.1f} s' for s in results)}",
            f"median: {median:.1f} s = {rows / median:,.0f} rows/s",
            f"baseline, DuckDB's read_csv of the same file with no checks: median {floor:.2f} s "
            f"({rows / floor:,.0f} rows/s); the import takes {median / floor:.1f}x that",
        ]
    )
    return {
        "table": table,
        "json": {
            "rows": rows,
            "runs": [round(s, 2) for s in results],
            "median_s": round(median, 2),
            "rows_per_s": round(rows / median),
            "baseline_s": round(floor, 2),
            "ratio": round(median / floor, 1),
        },
    }
