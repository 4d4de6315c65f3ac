"""Shared fixtures: the hand-checkable fixture DB, the demo DB (built once when missing), and for browser
tests one `streamlit run` server on the demo DB with Playwright driving Debian's Chromium."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from functools import partial
from pathlib import Path

import pytest

from dashboard import store
from tests.fixture_db import build_fixture

ARTIFACTS = Path(__file__).parent / "artifacts"


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("fixture") / "fixture.duckdb")


@pytest.fixture(scope="session")
def demo_db() -> Path:
    """The demo DB the app serves (`make test` builds it first); built here if it is missing."""
    path = store.db_path()
    if not path.exists():
        from dashboard.demo import build

        path.parent.mkdir(parents=True, exist_ok=True)
        build(path, progress=False)
    return path


@pytest.fixture(scope="session")
def fixture_run(fixture_db):
    con = store.connect(fixture_db)
    yield partial(store.run, con)
    con.close()


@pytest.fixture(scope="session")
def demo_run(demo_db):
    con = store.connect(demo_db)
    yield partial(store.run, con)
    con.close()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(demo_db):
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(demo_db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=store.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not come up: " + proc.stdout.read().decode(errors="replace")[-2000:])
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


# Opened directly at /<page>, Streamlit's frontend first probes /<page>/_stcore/{health,host-config}, gets
# 404 and falls back to /_stcore/: console noise of Streamlit's own, not an error of the app.
_PAGE_PATH_PROBE = re.compile(r"^https?://[^/]+/[^_][^/]*/_stcore/(health|host-config)$")


def _is_error(message) -> bool:
    if message.type != "error":
        return False
    return not (
        message.text.startswith("Failed to load resource")
        and _PAGE_PATH_PROBE.match(message.location.get("url", ""))
    )


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda m: tab.console_errors.append(m.text) if _is_error(m) else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    yield tab
    context.close()


def wait_ready(tab) -> None:
    """Wait for the app to be drawn and every script run to finish."""
    tab.wait_for_selector('[data-testid="stApp"]', timeout=30_000)
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=30_000)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " && document.querySelector('[data-testid=\"stApp\"]').dataset.teststate !== 'running'",
        timeout=30_000,
    )
    tab.wait_for_timeout(500)  # let the last delta paint before a screenshot
