"""Benchmark: the median time of each page's full query set on a DB of a given scale.

Every page's set is the function the page itself calls, run without the result cache, so the
figure is what a user waits for on a cache miss. Timings are medians: this machine is shared.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from dashboard import customer, nine_grid, overview, programs, satisfaction, staff, store, tickets
from dashboard.catalog import load_catalog
from dashboard.scope import default_scope

BENCH_DIR = store.ROOT / "data" / "bench"
PROFILED = 1027  # DEMO_FACTS["nine_grid_customer_id"]: a store with POS data

# Page -> what that page queries for all of its figures, (run, scope, catalog) -> anything.
# The entry script's catalog is cached per DB version in the app, so pages get it ready-made.
PAGES = {
    "entry (filters)": lambda run, scope, catalog: load_catalog(run),
    "overview": lambda run, scope, catalog: overview.gather(run, scope, catalog.first_day),
    "nine-grid": lambda run, scope, catalog: nine_grid.page_figures(
        run, scope, (scope.previous().date_from, scope.previous().date_to), (scope.date_from, scope.date_to)
    ),
    "complaints": lambda run, scope, catalog: tickets.figures(
        tickets.gather(run, scope, catalog.first_day), "zh"
    ),
    "satisfaction-map": lambda run, scope, catalog: satisfaction.page_figures(run, scope, "zh"),
    "three-labor": lambda run, scope, catalog: staff.page_figures(
        staff.gather(run, scope, catalog.first_day), run, "zh"
    ),
    "training": lambda run, scope, catalog: programs.gather(
        run, scope, programs.effect_period(catalog.last_day)
    ),
    # the profile of the demo's POS store (the busiest kind of profile: it has a nine-grid too)
    "customer-profile": lambda run, scope, catalog: customer.gather(run, replace(scope, customer=PROFILED)),
}


def _source_digest() -> str:
    """A short digest of the schema and the generator: a DB built by other code is not reused."""
    sources = [store.SCHEMA_FILE, *sorted((store.ROOT / "dashboard" / "demo").glob("*.py"))]
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]


def bench_db(scale: str, seed: int) -> Path:
    """The DB of a scale, built once per schema and generator version and then reused."""
    path = BENCH_DIR / f"{scale}-{seed}-{_source_digest()}.duckdb"
    if not path.exists():
        from dashboard.demo import build

        path.parent.mkdir(parents=True, exist_ok=True)
        build(path, scale=scale, seed=seed, progress=True)
    return path


def bench(scale: str, runs: int = 7, db: Path | None = None, seed: int = 20261031) -> dict:
    path = db or bench_db(scale, seed)
    con = store.connect(path, read_only=True)
    run = partial(store.run, con)
    catalog = load_catalog(run)
    scope = default_scope(catalog)
    rows = []
    for page, figures in PAGES.items():
        started = time.perf_counter()
        figures(run, scope, catalog)
        cold_ms = (time.perf_counter() - started) * 1000
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            figures(run, scope, catalog)
            times.append((time.perf_counter() - started) * 1000)
        rows.append(
            {
                "page": page,
                "median_ms": round(statistics.median(times), 1),
                "min_ms": round(min(times), 1),
                "max_ms": round(max(times), 1),
                "first_ms": round(cold_ms, 1),
                "runs": runs,
            }
        )
    con.close()
    size_mib = path.stat().st_size / 2**20
    lines = [
        f"scale={scale}  db={path.name} ({size_mib:.0f} MiB)  period={scope.date_from}..{scope.date_to}",
        f"{'page':18} {'median ms':>10} {'min':>8} {'max':>8} {'first':>8}",
    ]
    for r in rows:
        timings = f"{r['median_ms']:>10.1f} {r['min_ms']:>8.1f} {r['max_ms']:>8.1f} {r['first_ms']:>8.1f}"
        lines.append(f"{r['page']:18} {timings}")
    return {"table": "\n".join(lines), "json": {"scale": scale, "db": str(path), "pages": rows}}
