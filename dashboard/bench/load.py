"""The concurrency run: threads replaying the pages' query sets against one connection, as the app's one
connection serves every session's reruns (a cursor per query), while a few real browser sessions click
through a served app on the same DB. Reports errors, throughput and latency percentiles."""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from dashboard import store
from dashboard.bench.pages import PAGES
from dashboard.catalog import load_catalog
from dashboard.scope import Catalog, Scope, default_scope, scope_to_query


def scopes(catalog: Catalog) -> list[Scope]:
    """What the users of the run look at: the latest month, the one before, a quarter, single stations,
    a route, a business type, the rural market."""
    last = default_scope(catalog)
    stations = list(catalog.stations)[:3]
    route = next(iter(catalog.routes))
    found = [
        last,
        last.previous(),
        replace(last, date_from=last.previous().previous().date_from),
        *(replace(last, stations=(s,)) for s in stations),
        replace(last, routes=(route,)),
        replace(last, btypes=("B",)),
        replace(last, markets=("X",)),
    ]
    return [s for s in found if s.date_from >= catalog.first_day]


def query_sets(con, catalog: Catalog, chosen: list[Scope]) -> list[tuple[str, list[tuple[str, dict]]]]:
    """Every page's query set for every scope: the named queries (and parameters) the page runs, less
    the rollup-state checks (the app answers them from its cache after its first run)."""
    sets = []
    for page in PAGES:
        for scope in chosen:
            asked: list[tuple[str, dict]] = []

            def record(name, params=None, asked=asked):
                asked.append((name, dict(params or {})))
                return store.run(con, name, params)

            page.ours(record, scope, catalog)
            # the rollup-state checks are answered from the app's cache after its first run
            sets.append((page.name, [q for q in asked if not q[0].startswith("rollups/")]))
    return sets


class SharedCache:
    """Results kept per query and parameters for every thread, as the app's `st.cache_data` keeps them
    for every session (web.run): the first asker of a key runs it, the others wait for its answer."""

    def __init__(self, con):
        self.con, self.results, self.locks = con, {}, {}
        self.lock = threading.Lock()

    def __call__(self, name: str, params: dict) -> None:
        key = (name, repr(sorted(params.items())))
        with self.lock:
            key_lock = self.locks.setdefault(key, threading.Lock())
        with key_lock:
            if key not in self.results:
                self.results[key] = store.run(self.con, name, params)


def _replay(con, sets, threads: int, seconds: float, runner, during=None) -> dict:
    """`threads` threads replay random page query sets through `runner` for `seconds` (while `during`
    runs, when given): errors, throughput, latency."""
    from dashboard.bench import p95

    latencies: list[float] = []
    errors: list[str] = []
    queries = 0
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def worker(k: int) -> None:
        nonlocal queries
        rng = random.Random(k)
        while time.perf_counter() < stop_at:
            page, asked = rng.choice(sets)
            started = time.perf_counter()
            try:
                for name, params in asked:
                    runner(name, params)
            except Exception as error:  # every failure is what this run counts
                with lock:
                    errors.append(f"{page}: {type(error).__name__}: {error}"[:200])
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                queries += len(asked)

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    extra = during() if during else {}
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "threads": threads,
        "seconds": round(elapsed, 1),
        "query_sets": len(latencies),
        "queries": queries,
        "errors": len(errors),
        "error_examples": errors[:5],
        "sets_per_s": round(len(latencies) / elapsed, 1),
        "queries_per_s": round(queries / elapsed, 1),
        "median_ms": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(1000 * p95(latencies), 1) if latencies else None,
        **extra,
    }


def _alone(sets, runner, threads: int) -> dict:
    """Each query set, one after another on one thread: what a set costs with the cores to itself.
    With `threads` threads asking without pause, a set waits on average at least `threads` sets' cost
    shared by the cores (Little's law: in the system = throughput x time, and the cores bound the
    throughput), whatever the order they are served in."""
    from dashboard.bench import p95

    for _pass in range(2):  # the second pass: the store's blocks read in by the first
        times = []
        for _, asked in sets:
            started = time.perf_counter()
            for name, params in asked:
                runner(name, params)
            times.append(time.perf_counter() - started)
    mean, cores = statistics.mean(times), os.cpu_count() or 1
    return {
        "sets": len(times),
        "mean_ms": round(1000 * mean, 1),
        "p95_ms": round(1000 * p95(times), 1),
        "max_ms": round(1000 * max(times), 1),
        "cores": cores,
        "least_mean_wait_ms": round(1000 * threads * mean / cores, 1),
    }


def run(path: Path, threads: int = 30, seconds: float = 60, browsers: int = 3) -> dict:
    """Two replays of random page query sets by `threads` threads on one connection, `seconds` each:
    uncached (every query runs: each click a scope no one asked for before), while `browsers` browser
    sessions open random pages of a served app (when a browser is available); then through a cache
    shared by the threads, as the app serves its sessions."""
    from dashboard.bench import app

    con = store.connect(path, read_only=True)
    catalog = load_catalog(lambda name, params=None: store.run(con, name, params))
    chosen = scopes(catalog)
    sets = query_sets(con, catalog, chosen)
    why_not = app.available() if browsers else "no browser sessions asked for"
    uncached = partial(store.run, con)
    alone = _alone(sets, uncached, threads)
    if why_not is None:
        urls = [urlencode(scope_to_query(s), doseq=True) for s in chosen]
        with app.served(path) as (proc, url, _, password):

            def clicking() -> dict:
                web = app.browser_sessions(url, password, browsers, seconds, urls)
                web["server_peak_rss_mib"] = app.peak_rss_mib(proc.pid)
                return {"browsers": web}

            result = _replay(con, sets, threads, seconds, uncached, clicking)
    else:
        result = _replay(con, sets, threads, seconds, uncached) | {"browsers": {"skipped": why_not}}
    result["alone"] = alone
    result["cached"] = _replay(con, sets, threads, seconds, SharedCache(con))
    result["cached"]["scopes"] = len(chosen)
    con.close()
    return result
