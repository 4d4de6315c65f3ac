"""The served app under the benchmark: cold start to first paint in a real browser (Playwright driving
Debian's Chromium), the server process's peak memory, and real browser sessions clicking through pages
while the concurrency run goes on (dashboard/bench/load.py)."""

from __future__ import annotations

import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from dashboard import store, users
from dashboard.i18n import t
from dashboard.navigation import PAGES

BENCH_USER = "admin"  # every page, the whole company: the same scopes as the query benchmark

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# After READY the browser may still be drawing what the run sent (deck.gl compiles and draws a map in
# software WebGL here: ~2.5 s after the run is over); a page is done when the browser is idle, or that
# time would be counted against the page clicked next.
IDLE = """() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(
    () => requestIdleCallback(done, {timeout: 60000}))))"""
RUNNING = "() => document.querySelector('[data-testid=\"stApp\"]')?.dataset.testScriptState === 'running'"
READY = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app && app.dataset.testScriptState === 'notRunning'
        && !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')
        && !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def available() -> str | None:
    """Why the browser part can't run here, or None when it can."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (make system-deps)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed (requirements-dev.txt)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_rss_mib(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), in MiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


@contextmanager
def served(db: Path):
    """`python -m dashboard serve` over `db` on a free port, with a users file and an audit log of its
    own (a temporary folder): yields (process, url, the perf_counter it was started at, the bench user's
    password) once it answers its health check."""
    port = _free_port()
    scratch = tempfile.TemporaryDirectory(prefix="dashboard-bench-")
    password = users.init_demo_users(Path(scratch.name) / "users.toml")[BENCH_USER]
    env = {
        **os.environ,
        "DASHBOARD_DB": str(db),
        "DASHBOARD_USERS": str(Path(scratch.name) / "users.toml"),
        "DASHBOARD_AUDIT": str(Path(scratch.name) / "audit.duckdb"),
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=store.ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("the app did not come up within 120 s")
        yield proc, url, started, password
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        scratch.cleanup()


@contextmanager
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def _open(browser, url: str, password: str, timeout_ms: int = 120_000) -> tuple[float, float, float]:
    """Open a page in a new tab (a new session, so the sign-in form first) and sign in as the bench
    user: the perf_counters when the sign-in form was painted, when the page's first heading was painted
    and when it was done (its run over, the browser idle: IDLE)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    try:
        tab.goto(url)
        form = tab.locator('[data-testid="stForm"]')
        form.wait_for(timeout=timeout_ms)
        form_painted = time.perf_counter()
        form.locator('input[type="text"]').fill(BENCH_USER)
        form.locator('input[type="password"]').fill(password)
        form.locator('input[type="password"]').press("Enter")
        tab.wait_for_function(
            """() => !document.querySelector('[data-testid="stForm"]')
                     && document.querySelector('[data-testid="stMain"] h1')""",
            timeout=timeout_ms,
        )
        painted = time.perf_counter()
        tab.wait_for_function(READY, timeout=timeout_ms)
        tab.evaluate(IDLE)
        return form_painted, painted, time.perf_counter()
    finally:
        context.close()


def cold_start(db: Path, rounds: int = 3) -> dict:
    """Start the server (browser already up), open the overview: how long until the app is healthy, the
    sign-in form is painted, and (signed in at once) the overview's first heading is painted and its run
    is done; then every page once (sign-in form to done); then the clicks of one signed-in session
    (`clicks`); and the server's peak memory."""
    with chromium() as browser, served(db) as (proc, url, started, password):
        healthy = time.perf_counter() - started
        form, painted, done = _open(browser, url, password)
        pages = {}
        for spec in PAGES:
            signed_in, _, finished = _open(browser, f"{url}/{spec.url_path}", password)
            pages[spec.url_path or "overview"] = round(finished - signed_in, 2)
        return {
            "healthy_s": round(healthy, 2),
            "first_paint_s": round(form - started, 2),
            "overview_paint_s": round(painted - started, 2),
            "first_page_done_s": round(done - started, 2),
            "page_done_s": pages,
            "clicks": clicks(browser, url, password, rounds),
            "server_peak_rss_mib": peak_rss_mib(proc.pid),
        }


def clicks(browser, url: str, password: str, rounds: int) -> dict:
    """What a signed-in user waits for: seconds from a click to the page done (its run over, nothing
    stale), in one session of a served app. Each page from the menu the first time (its queries run),
    then again (the app's cache answers them); a station chosen in the sidebar filter (the overview of a
    station no one asked for before, the first `rounds` stations). Medians of `rounds`."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    try:
        tab.goto(url)
        form = tab.locator('[data-testid="stForm"]')
        form.wait_for(timeout=120_000)
        form.locator('input[type="text"]').fill(BENCH_USER)
        form.locator('input[type="password"]').fill(password)
        form.locator('[data-testid="stBaseButton-primaryFormSubmit"]').click()
        tab.wait_for_selector('[data-testid="stMain"] h1', timeout=120_000)
        tab.wait_for_function(READY, timeout=120_000)
        menu = [spec for spec in PAGES if spec.url_path != "data-import"]  # the pages of figures
        first, again, station = {}, {}, []
        for n in range(rounds + 1):
            for spec in menu[1:] + menu[:1]:  # the overview last: the session opened on it
                link = tab.locator(f'[data-testid="stSidebar"] a[href^="{spec.url_path}?"]').first
                if not spec.url_path:
                    link = tab.locator('[data-testid="stSidebar"] a[href^="?"]').first
                waited = _click(tab, link.click)
                (first if n == 0 else again).setdefault(spec.url_path or "overview", []).append(waited)
        for n in range(rounds):
            stations = tab.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
            stations.click()
            options = tab.locator('[role="option"]')
            options.first.wait_for(timeout=30_000)
            station.append(_click(tab, options.nth(n % options.count()).click))
            tab.keyboard.press("Escape")
            reset = tab.locator('[data-testid="stSidebar"] button', has_text=t("filters.reset", "zh"))
            _click(tab, reset.click)
        return {
            "rounds": rounds,
            "first_s": {k: round(statistics.median(v), 2) for k, v in first.items()},
            "again_s": {k: round(statistics.median(v), 2) for k, v in again.items()},
            "station_s": round(statistics.median(station), 2),
        }
    finally:
        context.close()


def _click(tab, click) -> float:
    """Seconds from `click` to the page done: its run started (or already over) and ended, and the browser
    idle (IDLE)."""
    from playwright.sync_api import TimeoutError as Timeout

    started = time.perf_counter()
    click()
    with contextlib.suppress(Timeout):  # a run over before the first poll
        tab.wait_for_function(RUNNING, timeout=3_000)
    tab.wait_for_function(READY, timeout=180_000)
    tab.evaluate(IDLE)
    return time.perf_counter() - started


def browser_sessions(url: str, password: str, sessions: int, seconds: float, scopes: list[str]) -> dict:
    """`sessions` browsers (one thread each, a browser of its own) opening random pages with random scopes
    for `seconds`: page-done times and the failures (timeouts, page errors)."""
    done, errors = [], []
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def session(k: int) -> None:
        rng = random.Random(k)
        try:
            with chromium() as browser:
                while time.perf_counter() < stop_at:
                    spec = rng.choice(PAGES)
                    try:
                        signed_in, _, finished = _open(
                            browser, f"{url}/{spec.url_path}?{rng.choice(scopes)}", password, 60_000
                        )
                        with lock:
                            done.append(finished - signed_in)
                    except Exception as error:  # a timeout or a crash is what this run counts
                        with lock:
                            errors.append(f"{spec.url_path or 'overview'}: {type(error).__name__}")
        except Exception as error:
            with lock:
                errors.append(f"session {k}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=session, args=(k,)) for k in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    from dashboard.bench import p95

    return {
        "sessions": sessions,
        "pages": len(done),
        "errors": len(errors),
        "error_examples": errors[:5],
        "median_s": round(statistics.median(done), 2) if done else None,
        "p95_s": round(p95(done), 2) if done else None,
    }
