"""Benchmark: each page's full query set on a DB of a given scale, against baselines run in the same process.

Per page: the first run on a freshly opened database (cold: DuckDB's caches empty, the OS file cache as it
is), then the median and p95 of warm runs, without the app's result cache, so the figure is what a user
waits for on a cache miss. Baselines: a bare DuckDB scan of the rows the page reads (queries/bench/), and
the naive way (dashboard/bench/naive.py: the tables loaded into pandas, the figures computed there) where
memory allows; the naive figures must equal ours. Timings are medians: this machine is shared.
"""

from __future__ import annotations

import gc
import hashlib
import math
import os
import statistics
import threading
import time
from dataclasses import replace
from functools import partial
from pathlib import Path

from dashboard import rollups, store
from dashboard.bench import naive
from dashboard.bench.pages import PAGES, Page, scan_params
from dashboard.catalog import load_catalog
from dashboard.scope import Limit, default_scope

BENCH_DIR = store.ROOT / "data" / "bench"
GIB = 2**30

__all__ = ["PAGES", "bench", "bench_db"]


def _source_digest() -> str:
    """A short digest of the schema and the generator: a DB built by other code is not reused."""
    sources = [store.SCHEMA_FILE, *sorted((store.ROOT / "dashboard" / "demo").glob("*.py"))]
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:10]


def bench_db(scale: str, seed: int) -> Path:
    """The DB of a scale, built once per schema and generator version and then reused (`bench` rebuilds its
    rollups when their definitions changed since)."""
    path = BENCH_DIR / f"{scale}-{seed}-{_source_digest()}.duckdb"
    if not path.exists():
        from dashboard.demo import build

        path.parent.mkdir(parents=True, exist_ok=True)
        report = build(path, scale=scale, seed=seed, progress=True)
        print(f"built {path.name} in {report['seconds']:.0f} s", flush=True)
    return path


def refresh_if_stale(path: Path, scale: str) -> None:
    """Rebuild stale rollups on the file itself, within the memory its scale's build uses (a country's
    refresh under DuckDB's default limit reached 20 GB of 24)."""
    from dashboard.demo.generate import memory_limit

    if not rollups.file_ready(path):
        started = time.perf_counter()
        rollups.refresh_file(path, memory_limit(scale), progress=True)
        print(f"refreshed the rollups of {path.name} in {time.perf_counter() - started:.0f} s", flush=True)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def _timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def p95(values: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def same(a, b, rel: float = 1e-9) -> bool:
    """Figures equal, floats to a relative 1e-9 (pandas and DuckDB sum in different orders); two NaN
    (a curve that never reaches its 90 %) are equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k], rel) for k in a)
    if isinstance(a, bool | str) or isinstance(b, bool | str) or a is None or b is None:
        return a == b
    try:
        x, y = float(a), float(b)
        return math.isclose(x, y, rel_tol=rel, abs_tol=1e-9) or (math.isnan(x) and math.isnan(y))
    except (TypeError, ValueError):
        return a == b


def differences(ours: dict, theirs: dict) -> list[str]:
    return sorted(k for k in set(ours) | set(theirs) if not same(ours.get(k), theirs.get(k)))


class TimedRunner:
    """The named-query runner, timing the page's queries: the wall time during which at least one of them
    ran (a page runs its independent queries at the same time, dashboard/parallel.py; the rest of a page's
    time is Python: frames to figures). Like the app's runner it keeps the answers of the rollup-state
    checks, which the app caches per DB version; every other query runs each time (a cache miss)."""

    def __init__(self, con):
        self.con, self.queries = con, 0
        self.spans: list[tuple[float, float]] = []
        self.kept: dict = {}
        self.lock = threading.Lock()

    def __call__(self, name: str, params: dict | None = None):
        if name.startswith("rollups/") and name in self.kept:
            return self.kept[name].copy()
        started = time.perf_counter()
        try:
            frame = store.run(self.con, name, params)
            if name.startswith("rollups/"):
                self.kept[name] = frame
            return frame
        finally:
            with self.lock:
                self.spans.append((started, time.perf_counter()))
                self.queries += 1

    @property
    def seconds(self) -> float:
        """The length of the union of the queries' spans."""
        total, reached = 0.0, float("-inf")
        for start, end in sorted(self.spans):
            if end > reached:
                total += end - max(start, reached)
                reached = end
        return total

    def once(self, page: Page, scope, catalog) -> tuple[float, float]:
        """(seconds in queries, seconds in all) of one run of the page."""
        self.spans, self.queries = [], 0
        total = _timed(lambda: page.ours(self, scope, catalog))
        return self.seconds, total


def _page_times(path: Path, page: Page, scope, catalog, runs: int) -> dict:
    """Cold (a freshly opened database), then warm runs of the page's set and of its bare scan."""
    gc.collect()
    con = store.connect(path, read_only=True)
    run = TimedRunner(con)
    cold, _ = run.once(page, scope, catalog)
    warm = [run.once(page, scope, catalog) for _ in range(runs)]
    params = scan_params(page, scope, catalog)
    scan = [_timed(lambda: store.run(con, page.scan, params)) for _ in range(runs)]
    con.close()
    queries = [q for q, _ in warm]
    return {
        "queries": run.queries,
        "cold_ms": _ms(cold),
        "median_ms": _ms(statistics.median(queries)),
        "p95_ms": _ms(p95(queries)),
        "page_ms": _ms(statistics.median(t for _, t in warm)),
        "scan_ms": _ms(statistics.median(scan)),
        "runs": runs,
    }


def _naive_times(con, page: Page, scope, catalog, runs: int, budget: int) -> dict:
    """Load the page's tables into pandas (timed once) and compute its figures (median of runs); the
    figures are compared with the app's. Skipped, with the estimate, when the frames would not fit."""
    need = naive.estimate_bytes(con, list(page.tables))
    if need > budget:
        return {"pandas": "out of memory", "pandas_need_gib": round(need / GIB, 1)}
    started = time.perf_counter()
    frames = naive.load(con, list(page.tables))
    load = time.perf_counter() - started
    result = {}
    times = []
    for _ in range(max(1, runs)):
        started = time.perf_counter()
        result = page.naive(frames, scope, catalog)
        times.append(time.perf_counter() - started)
    del frames
    gc.collect()
    ours = page.check(partial(store.run, con), scope, catalog)
    diff = differences({k: ours.get(k) for k in result}, result)
    return {
        "pandas_load_ms": _ms(load),
        "pandas_compute_ms": _ms(statistics.median(times)),
        "pandas_ms": _ms(load + statistics.median(times)),
        "pandas_need_gib": round(need / GIB, 2),
        "pandas_same": not diff,
        "pandas_differs": diff,
    }


def _ratio(a, b) -> float | None:
    return round(a / b, 2) if isinstance(a, int | float) and isinstance(b, int | float) and b else None


def _fmt(value, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return f"{value:,.{digits}f}"


def _table(rows: list[dict]) -> list[str]:
    head = (
        "| page | queries | cold ms | median ms | p95 ms | with builders ms | bare scan ms | ours/bare "
        "| pandas load+compute ms | pandas compute ms | pandas/ours | naive figures |"
    )
    lines = [head, "|" + " --- |" * 12]
    for r in rows:
        naive_ms = r.get("pandas_ms", r.get("pandas"))
        figures = {True: "same", False: "DIFFER " + ",".join(r.get("pandas_differs", []))}.get(
            r.get("pandas_same"), "–"
        )
        cells = [
            r["page"], r["queries"], _fmt(r["cold_ms"]), _fmt(r["median_ms"]), _fmt(r["p95_ms"]),
            _fmt(r["page_ms"]), _fmt(r["scan_ms"]), _fmt(r["ours_per_scan"], 2), _fmt(naive_ms),
            _fmt(r.get("pandas_compute_ms")), _fmt(r.get("pandas_per_ours"), 0), figures,
        ]  # fmt: skip
        lines.append("| " + " | ".join(map(str, cells)) + " |")
    return lines


def summary(scale: str, rows: list[dict]) -> dict:
    """The issue's targets row: the slowest page's median, the smallest speed-up over pandas, the largest
    ratio over the bare scan."""
    speedups = [r["pandas_per_ours"] for r in rows if r.get("pandas_per_ours") is not None]
    oom = [r["page"] for r in rows if r.get("pandas") == "out of memory"]
    return {
        "scale": scale,
        "slowest_page": max(rows, key=lambda r: r["median_ms"])["page"],
        "max_median_ms": max(r["median_ms"] for r in rows),
        "min_pandas_speedup": min(speedups) if speedups else None,
        "pandas_out_of_memory": oom,
        "max_ours_per_scan": max(r["ours_per_scan"] for r in rows if r["ours_per_scan"] is not None),
    }


def rollup_check(path: Path, catalog, how_many: int) -> dict:
    """Every KPI from the rollups against the same KPI from the raw tables, on the first scopes of the
    concurrency run's list (the latest month, the one before, a quarter, stations, a route, ...)."""
    from dashboard.bench.load import scopes
    from dashboard.kpis import all_kpis

    con = store.connect(path, read_only=True)
    run = partial(store.run, con)
    ready = rollups.ready(run)
    checked, differ, n_kpis = 0, [], 0
    for scope in scopes(catalog)[:how_many]:
        fast = all_kpis(run, scope)
        with rollups.raw_only():
            raw = all_kpis(run, scope)
        checked, n_kpis = checked + 1, len(fast)
        differ += [f"{scope.date_from}..{scope.date_to} {k}" for k in fast if fast[k] != raw.get(k)]
    con.close()
    return {"ready": ready, "scopes": checked, "kpis": n_kpis, "differ": differ[:10], "same": not differ}


def bench(
    scale: str,
    runs: int = 7,
    db: Path | None = None,
    seed: int = 20261031,
    pandas: bool = True,
    pandas_budget_gib: float = 6.0,
    check_scopes: int = 9,
    filtered: bool = True,
    app: bool = True,
    concurrency: float = 0,
    threads: int = 30,
    browsers: int = 3,
) -> dict:
    path = db or bench_db(scale, seed)
    refresh_if_stale(path, scale)  # a store given by --db too: stale rollups would time the raw tables
    load_before = os.getloadavg()[0]
    con = store.connect(path, read_only=True)
    catalog = load_catalog(partial(store.run, con))
    scope = default_scope(catalog)
    con.close()
    rows = []
    for page in PAGES:
        row = {"page": page.name, **_page_times(path, page, scope, catalog, runs)}
        if pandas:
            con = store.connect(path, read_only=True)
            row |= _naive_times(con, page, scope, catalog, max(1, runs // 2), int(pandas_budget_gib * GIB))
            con.close()
        row["ours_per_scan"] = _ratio(row["median_ms"], row["scan_ms"])
        row["pandas_per_ours"] = _ratio(row.get("pandas_ms"), row["median_ms"])
        rows.append(row)
        print(f"  {page.name}: {row['median_ms']} ms", flush=True)
    extra = {}
    if filtered:
        extra["filtered"] = filtered_times(path, catalog, max(3, runs // 2))
    if check_scopes:
        extra["rollups"] = rollup_check(path, catalog, check_scopes)
    if app:
        from dashboard.bench import app as served_app

        why_not = served_app.available()
        try:
            extra["app"] = {"skipped": why_not} if why_not else served_app.cold_start(path)
        except Exception as error:  # a timeout is a result: the page figures above still print
            extra["app"] = {"failed": f"{type(error).__name__}: {(str(error).splitlines() or [''])[0]}"}
    if concurrency:
        from dashboard.bench import load

        extra["concurrency"] = load.run(path, threads, concurrency, browsers)
    size_mib = path.stat().st_size / 2**20
    target = summary(scale, rows)
    oom = target["pandas_out_of_memory"]
    oom = f" (pandas out of memory: {', '.join(oom)})" if oom else ""
    lines = [
        f"scale={scale}  db={path.name} ({size_mib:,.0f} MiB)  period={scope.date_from}..{scope.date_to}  "
        f"runs={runs}  load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
        "",
        *_table(rows),
        "",
        "| scale | every page's full query set (slowest median) | vs naive pandas (smallest speed-up) "
        "| vs bare scan (largest ratio) |",
        "| --- | --- | --- | --- |",
        f"| {scale} | {_fmt(target['max_median_ms'])} ms ({target['slowest_page']}) "
        f"| {_fmt(target['min_pandas_speedup'], 0)}×{oom} | {_fmt(target['max_ours_per_scan'], 2)} |",
        "",
        *_extra_lines(extra),
    ]
    out = {"scale": scale, "db": str(path), "size_mib": round(size_mib), "pages": rows, "target": target}
    return {"table": "\n".join(lines), "json": out | extra}


def filtered_views(catalog) -> dict[str, object]:
    """The narrowed views people open most after the company's: a station head's own station, a customer
    manager's own route (both as their role's limit), a business type across the company; the period is
    the default one."""
    scope = default_scope(catalog)
    station = next(iter(catalog.stations))
    route = catalog.routes_of([station])[0]
    return {
        f"station {station}": replace(scope, limit=Limit(stations=(station,))),
        f"route {route}": replace(scope, limit=Limit(stations=(station,), routes=(route,))),
        "business type B": replace(scope, btypes=("B",)),
    }


def filtered_times(path: Path, catalog, runs: int) -> dict:
    """Each page's query-set median (warm, no result cache) for each filtered view, and the slowest."""
    views = {name: {} for name in filtered_views(catalog)}
    for name, scope in filtered_views(catalog).items():
        for page in PAGES:
            views[name][page.name] = _page_times(path, page, scope, catalog, runs)["median_ms"]
    cells = [(v, p, ms) for v, pages in views.items() for p, ms in pages.items()]
    view, page, ms = max(cells, key=lambda cell: cell[2])
    return {"runs": runs, "views": views, "slowest": {"view": view, "page": page, "ms": ms}}


def _filtered_table(filtered: dict) -> list[str]:
    views = filtered["views"]
    pages = list(next(iter(views.values())))
    lines = ["| view | " + " | ".join(pages) + " |", "|" + " --- |" * (len(pages) + 1)]
    lines += [f"| {v} | " + " | ".join(_fmt(t[p]) for p in pages) + " |" for v, t in views.items()]
    s = filtered["slowest"]
    return [
        f"Filtered views: each page's query-set median, ms ({filtered['runs']} warm runs, no result cache):",
        "",
        *lines,
        "",
        f"- slowest filtered: {s['page']} at {s['view']}, {_fmt(s['ms'])} ms",
    ]


def _extra_lines(extra: dict) -> list[str]:
    lines = []
    if "filtered" in extra:
        lines += [*_filtered_table(extra["filtered"]), ""]
    if "rollups" in extra:
        r = extra["rollups"]
        verdict = "the same" if r["same"] else "DIFFERENT: " + "; ".join(r["differ"])
        ready = "rollups ready" if r["ready"] else "NO usable rollups: every page read the raw tables"
        lines.append(f"- {ready}; all {r['kpis']} KPIs from the rollups vs the raw tables on {r['scopes']} "
                     f"scopes: {verdict}")  # fmt: skip
    if "app" in extra:
        a = extra["app"]
        if "skipped" in a:
            lines.append(f"- app: skipped ({a['skipped']})")
        elif "failed" in a:
            lines.append(f"- app: **failed**: {a['failed']}")
        else:
            lines.append(
                f"- app cold start: healthy {a['healthy_s']} s, first paint (the sign-in form) "
                f"{a['first_paint_s']} s, signed in: overview painted {a['overview_paint_s']} s, done "
                f"{a['first_page_done_s']} s; then each page from its sign-in form to done in "
                + ", ".join(f"{k} {v} s" for k, v in a["page_done_s"].items())
                + f"; server peak RSS {a['server_peak_rss_mib']} MiB"
            )
            c = a["clicks"]
            lines.append(
                f"- clicks of one signed-in session, click to page done (median of {c['rounds']}), a page "
                "from the menu the first time (its queries run) / again (the app's cache): "
                + ", ".join(f"{k} {v} / {c['again_s'][k]} s" for k, v in c["first_s"].items())
                + f"; a station chosen in the sidebar (its overview): {c['station_s']} s"
            )
    if "concurrency" in extra:
        c = extra["concurrency"]
        lines.append(
            f"- concurrency, every query run (no cache): {c['threads']} threads on one connection for "
            f"{c['seconds']} s: "
            f"{c['query_sets']} page query sets ({c['sets_per_s']}/s, {c['queries_per_s']} queries/s), "
            f"errors {c['errors']}, median {c['median_ms']} ms, p95 {c['p95_ms']} ms"
            + (f" (e.g. {c['error_examples'][0]})" if c["errors"] else "")
        )
        a = c["alone"]
        lines.append(
            f"- the same {a['sets']} query sets one at a time on one thread: mean {a['mean_ms']} ms, p95 "
            f"{a['p95_ms']} ms, max {a['max_ms']} ms; so {c['threads']} threads asking without pause on "
            f"{a['cores']} cores wait at least {a['least_mean_wait_ms']} ms a set on average (Little's law)"
        )
        b = c["browsers"]
        if "skipped" in b:
            lines.append(f"- browser sessions: skipped ({b['skipped']})")
        else:
            lines.append(
                f"- meanwhile {b['sessions']} browser sessions: {b['pages']} pages, errors {b['errors']}, "
                f"page done median {b['median_s']} s, p95 {b['p95_s']} s; "
                f"server peak RSS {b['server_peak_rss_mib']} MiB"
                + (f" (e.g. {b['error_examples'][0]})" if b["errors"] else "")
            )
        k = c["cached"]
        lines.append(
            f"- concurrency through a cache shared by the threads (as the app's cache serves its sessions; "
            f"{k['scopes']} scopes × {len(PAGES)} pages): {k['threads']} threads for {k['seconds']} s: "
            f"{k['query_sets']} page query sets ({k['sets_per_s']}/s), errors {k['errors']}, "
            f"median {k['median_ms']} ms, p95 {k['p95_ms']} ms"
            + (f" (e.g. {k['error_examples'][0]})" if k["errors"] else "")
        )
    return lines
