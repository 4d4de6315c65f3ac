"""Shared fixtures: the hand-checkable fixture DB, the demo DB (built once when missing), the test users
(one password for all, see TEST_USERS) and a test audit log, and for browser tests one `streamlit run`
server on the demo DB with Playwright driving Debian's Chromium.

Every page is behind sign-in: a browser test opens a URL with `open_page(tab, url, user)` (a new session
signs in through the real form), an AppTest with `signed_in(at, user)` before its first run."""

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

from dashboard import store, users
from tests.fixture_db import build_fixture

ARTIFACTS = Path(__file__).parent / "artifacts"

# Users for the demo DB (stations HT, GD; customer manager CM05) and the fixture DB (S1; CM1).
TEST_PASSWORD = "test-password-0"
TEST_USERS = (
    users.User("admin", "admin", "测试管理员"),
    users.User("manager", "manager", "测试经理"),
    users.User("viewer", "viewer", "测试访客"),
    users.User("head_ht", "station_head", "寒亭站长", station="HT"),
    users.User("head_gd", "station_head", "固堤站长", station="GD"),
    users.User("cm05", "customer_manager", "冯华兰", staff_id="CM05"),
    users.User("head_s1", "station_head", "东站站长", station="S1", email="head.s1@example.cn"),
    users.User("cm1", "customer_manager", "王客经", staff_id="CM1"),
    users.User("cm2", "customer_manager", "李客经", staff_id="CM2"),
)


@pytest.fixture(scope="session", autouse=True)
def test_users(tmp_path_factory) -> Path:
    """The users file and audit log of every test (and of the servers they start), not data/'s."""
    from argon2 import PasswordHasher

    folder = tmp_path_factory.mktemp("auth")
    quick = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)  # the hash names its own cost
    hashed = quick.hash(TEST_PASSWORD)
    path = folder / "users.toml"
    users.write_users(path, [users.User(**{**u.__dict__, "password_hash": hashed}) for u in TEST_USERS])
    os.environ["DASHBOARD_USERS"] = str(path)
    os.environ["DASHBOARD_AUDIT"] = str(folder / "audit.duckdb")
    return path


def signed_in(at, user: str = "admin"):
    """An AppTest whose session starts signed in as `user` (the form itself: tests/test_auth.py)."""
    from dashboard.login import SESSION, Session

    now = time.time()
    at.session_state[SESSION] = Session(user, now, now)
    return at


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


def start_server(db: Path) -> tuple[subprocess.Popen, str]:
    """`python -m dashboard serve` on a free port over `db`; returns the process and its URL when healthy."""
    port = _free_port()
    env = {**os.environ, "DASHBOARD_DB": str(db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dashboard", "serve", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=store.ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    pytest.fail("streamlit did not come up: " + proc.stdout.read().decode(errors="replace")[-2000:])


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def server(demo_db):
    proc, url = start_server(demo_db)
    yield url
    stop_server(proc)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


def _is_error(message) -> bool:
    """A console error, less Streamlit's base-path probe: opened at /<page>, its frontend first asks
    /<page>/_stcore/health and /host-config, gets a 404 and falls back to the root."""
    if message.type != "error":
        return False
    url = (message.location or {}).get("url", "")
    probe = re.search(r"/[^/]+/_stcore/(health|host-config)$", url.split("?")[0])
    return not (probe and "404" in message.text)


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.console_errors = []

    tab.on("console", lambda m: tab.console_errors.append(m.text) if _is_error(m) else None)
    tab.on("pageerror", lambda e: tab.console_errors.append(str(e)))
    yield tab
    context.close()


def sign_in(
    tab, user: str = "admin", password: str = TEST_PASSWORD, accepted: bool = True, enter: bool = False
) -> None:
    """Fill the sign-in form of a new session and submit it with its button (or the Enter key), then
    wait for the form to go (`accepted`) or for the run that says why not."""
    form = tab.locator('[data-testid="stForm"]')
    form.wait_for(timeout=30_000)
    # A key pressed while a session's first runs still redraw the form can be lost (seen in CI: the
    # form kept both values, the script idle, nothing sent), so fill the form once the app is idle.
    wait_ready(tab)
    form.locator('input[type="text"]').fill(user)
    form.locator('input[type="password"]').fill(password)
    if enter:
        form.locator('input[type="password"]').press("Enter")
    else:
        form.locator('[data-testid="stFormSubmitButton"] button').click()
    alert = tab.locator('[data-testid="stMain"] [data-testid="stAlert"]')
    if not accepted:
        wait_ready(tab)  # not just an alert: the one of an earlier attempt may still be on screen
        alert.first.wait_for(timeout=30_000)
        return
    # the form goes when the first page run draws (a while on a loaded machine), or an alert says why not
    tab.wait_for_function(
        """() => !document.querySelector('[data-testid="stForm"]')
                 || document.querySelector('[data-testid="stMain"] [data-testid="stAlert"]')""",
        timeout=120_000,
    )
    if form.count():
        pytest.fail(f"sign-in as {user!r} refused: {alert.first.inner_text() if alert.count() else '?'}")


def open_page(tab, url: str, user: str | None = "admin") -> None:
    """Open `url` (a new Streamlit session), sign in as `user` and wait until the page is drawn."""
    tab.goto(url)
    if user is not None:
        sign_in(tab, user)
    wait_ready(tab)


def wait_ready(tab) -> None:
    """Wait until the script run is over and every element has replaced its loading skeleton
    (checked twice: a session's first load runs the script twice)."""
    tab.wait_for_selector('[data-testid="stMain"] h1', timeout=90_000)
    done = """() => {
        const app = document.querySelector('[data-testid="stApp"]');
        return app && app.dataset.testScriptState === 'notRunning'
            && !document.querySelector('[data-testid="stSkeleton"], [data-stale="true"]')
            && !document.querySelector('[data-testid="stStatusWidget"]');
    }"""
    for _ in range(2):
        tab.wait_for_function(done, timeout=90_000)  # a limit, not a timing: the machine may be busy
        tab.wait_for_timeout(400)
    tab.wait_for_function(done, timeout=90_000)
