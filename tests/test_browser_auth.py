"""Sign-in and who sees what in a real browser on the demo data: every role walks every page it may open
behind the sign-in form; a station head and a customer manager ask for another station's data by URL
params, by the filter widgets and by the customer-profile URL and see nothing of it; owner names and
phones are masked on screen and in the CSV/XLSX downloads for a manager; sign-out; hostile text in
every text input and URL param leaves the page working and the data untouched."""

import csv
import hashlib
import io
from functools import partial

import openpyxl
import pytest

from dashboard import access, store, users
from dashboard.i18n import t
from dashboard.navigation import PAGES
from tests.conftest import ARTIFACTS, open_page, sign_in, start_server, stop_server, wait_ready
from tests.fixture_db import build_fixture
from tests.test_browser import RAW_CODES

pytestmark = pytest.mark.browser
ROLES = ["admin", "manager", "head_ht", "cm05", "viewer"]
PROFILE = next(p.url_path for p in PAGES if p.script == "pages/customer.py")
PROGRAMS = next(p.url_path for p in PAGES if p.script == "pages/programs.py")
TICKETS = next(p.url_path for p in PAGES if p.script == "pages/tickets.py")
HOSTILE = [
    "' or '1'='1",
    "x'; drop table customers; --",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](http://evil.example)",
    "便利%_\\",
    "١٢٣ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \u202e",
    "A" * 5000,
]


@pytest.fixture(scope="module")
def demo(demo_db):
    con = store.connect(demo_db)
    yield partial(store.run, con), con
    con.close()


def _customers_of(con, station: str, n: int = 5) -> list[tuple]:
    """The first customers of a station: id, shop, owner, phone, licence."""
    return con.execute(
        "select c.customer_id, c.shop_name, c.owner_name, c.phone, c.license_no from customers c "
        "join routes r using (route_id) where r.station_id = ? order by c.customer_id limit ?",
        [station, n],
    ).fetchall()


def _main_text(tab) -> str:
    """The page's text as a person reads it (web.plain's zero-width spaces left out)."""
    return tab.locator('[data-testid="stApp"]').inner_text().replace("\u200b", "")


def _no_trace(tab, rows) -> None:
    text = _main_text(tab)
    found = [value for row in rows for value in row[1:] if value and value in text]
    assert found == []


@pytest.mark.parametrize("user", ROLES)
def test_the_whole_app_works_behind_sign_in_for_every_role(server, page, user):
    open_page(page, server, user)
    record = users.load_users()[user]
    expected = [spec for spec in PAGES if spec.roles is None or record.role in spec.roles]
    links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    assert links.count() == len(expected) + 1  # the role's pages, then presentation mode's link
    assert t(f"auth.role.{record.role}", "zh") in page.locator('[data-testid="stSidebar"]').inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    for i, spec in enumerate(expected):  # one session: a page switch keeps the sign-in
        links.nth(i).click()
        page.wait_for_function(f"() => window.location.pathname === '/{spec.url_path}'", timeout=15_000)
        wait_ready(page)
        assert page.locator('[data-testid="stException"]').count() == 0, spec.script
        heading = page.locator('[data-testid="stMain"] h1').first.inner_text()
        assert heading.startswith(t(spec.title_key, "zh")), heading  # the menu's name opens the page
        assert page.locator('[data-testid="stForm"]').count() == 0  # never the sign-in form again
        text = _main_text(page)
        assert not RAW_CODES.search(text), RAW_CODES.search(text)
        page.screenshot(path=ARTIFACTS / f"role-{user}-{spec.url_path or 'overview'}.png", full_page=True)
    assert page.console_errors == []


def test_a_new_tab_signs_in_again_and_a_wrong_password_is_refused(server, page):
    page.goto(f"{server}/{TICKETS}?lang=en")
    sign_in(page, "head_ht", "not-the-password", accepted=False, enter=True)  # Enter submits the form
    assert "Wrong user name or password." in _main_text(page)
    assert page.locator('[data-testid="stMetricValue"]').count() == 0
    open_page(page, f"{server}/{TICKETS}?lang=en", "head_ht")  # a new tab: the right password this time
    assert page.url.split("?")[0].endswith(f"/{TICKETS}")  # the page asked for, after sign-in


@pytest.mark.parametrize(("user", "own"), [("head_ht", "寒亭"), ("cm05", "固堤")])
def test_the_filters_offer_only_the_roles_stations_and_routes(server, page, demo, user, own):
    run, _ = demo
    open_page(page, server, user)
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    offered = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert [o for o in offered if o.strip()] in ([own], ["Select all", own], ["全选", own]), offered
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').nth(1).click()
    routes = [o for o in page.get_by_role("option").all_inner_texts() if o not in ("全选", "Select all")]
    page.keyboard.press("Escape")
    limit = access.limit_for(users.load_users()[user], run)
    names = run("filters/routes", {}).set_index("route_id").name
    allowed = [names[r] for r in names.index if limit.allows(r[:2], r)]
    assert sorted(routes) == sorted(allowed) and routes


@pytest.mark.parametrize(("user", "other"), [("head_ht", "GD"), ("cm05", "HT")])
def test_url_params_and_the_profile_url_of_another_station_show_nothing_of_it(
    server, page, demo, user, other
):
    _, con = demo
    foreign = _customers_of(con, other)
    open_page(
        page, f"{server}/{TICKETS}?station={other}&route={other}03&customer={foreign[0][0]}&lang=en", user
    )
    notice = page.locator('[data-testid="stAlert"]').first.inner_text()
    assert f"station={other} is outside what you may see" in notice
    assert f"route={other}03 is outside what you may see" in notice
    assert "customer=" not in page.url and f"station={other}" not in page.url
    page.get_by_role("tab", name=t("tickets.tab.list", "en")).click()
    wait_ready(page)
    _no_trace(page, foreign)
    for row in foreign[:3]:
        open_page(page, f"{server}/{PROFILE}?customer={row[0]}", user)
        assert page.locator('[data-testid="stMain"] h2').count() == 0  # no profile drawn
        _no_trace(page, foreign)
        box = page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input:visible').first
        box.fill(row[4])  # the search by licence does not find it either
        box.press("Enter")
        wait_ready(page)
        assert t("customer.no_match", "zh") in _main_text(page)
        _no_trace(page, foreign)
    assert page.console_errors == []


def _downloaded(page, button_text: str) -> bytes:
    box = page.locator(".st-key-pg_untrained_downloads")
    box.scroll_into_view_if_needed()
    with page.expect_download() as info:
        box.get_by_role("button", name=button_text).click()
    return open(info.value.path(), "rb").read()


@pytest.mark.parametrize("user", ["admin", "head_ht", "manager"])
def test_owner_names_and_phones_are_masked_on_screen_and_in_csv_and_xlsx(server, page, demo, user):
    _, con = demo
    owners = {row[0] for row in con.execute("select owner_name from customers").fetchall()}
    masked = user == "manager"
    # on screen: a profile's owner and phone
    shop_id, shop, owner, phone, _ = _customers_of(con, "HT", 1)[0]
    open_page(page, f"{server}/{PROFILE}?customer={shop_id}", user)
    text = _main_text(page)
    assert shop in text
    assert (owner in text, phone in text) == (not masked, not masked)
    if masked:
        assert access.mask_name(owner) in text and access.mask_phone(phone) in text
    # downloads: the untrained customers with their owners, as CSV and XLSX
    open_page(page, f"{server}/{PROGRAMS}", user)
    column = t("programs.col.owner", "zh")
    raw = _downloaded(page, "CSV").decode("utf-8-sig")  # the untrained list: the page's first table
    shown = [row[column] for row in csv.DictReader(io.StringIO(raw))]
    sheet = openpyxl.load_workbook(io.BytesIO(_downloaded(page, "XLSX"))).active
    header = [c.value for c in sheet[1]]
    assert shown and shown == [
        row[header.index(column)] for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    if masked:
        assert not set(shown) & owners and all("*" in v for v in shown)
    else:
        assert set(shown) <= owners
    assert page.console_errors == []


def test_sign_out_returns_to_the_form_and_the_back_button_shows_nothing(server, page):
    open_page(page, server, "manager")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_selector('[data-testid="stForm"]')
    wait_ready(page)  # the form draws before the run ends; the overview's elements go when it does
    assert page.locator('[data-testid="stMetricValue"]').count() == 0
    page.go_back()
    page.wait_for_timeout(1500)
    assert page.locator('[data-testid="stMetricValue"]').count() == 0


def _db_digest(con) -> str:
    rows = con.execute(
        "select table_name, estimated_size from duckdb_tables() order by table_name"
    ).fetchall()
    counts = [con.table(name).aggregate("count(*)").fetchall()[0][0] for name, _ in rows]
    return hashlib.sha256(repr((rows, counts)).encode()).hexdigest()


def test_hostile_text_in_every_input_and_url_param_leaves_the_page_working(server, page, demo, demo_db):
    _, con = demo
    before = _db_digest(con), demo_db.stat().st_mtime
    # the sign-in form
    page.goto(server)
    for text in HOSTILE[:4]:
        sign_in(page, text, text, accepted=False)
        assert page.locator('[data-testid="stException"]').count() == 0
    # the text inputs of the pages
    for path in (PROFILE, TICKETS):
        open_page(page, f"{server}/{path}", "admin")
        if path == TICKETS:
            page.get_by_role("tab", name=t("tickets.tab.list", "zh")).click()
        box = page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input:visible').first
        for text in HOSTILE:
            box.fill(text)
            box.press("Enter")
            wait_ready(page)
            assert page.locator('[data-testid="stException"]').count() == 0, (path, text[:40])
            assert page.locator("img[src='x']").count() == 0 and page.locator("a[href*='evil']").count() == 0
    # every URL param
    for text in HOSTILE[:6] + [HOSTILE[7][:1500]]:
        query = "&".join(f"{key}={text}" for key in ("from", "to", "station", "route", "btype", "market",
                                                       "customer", "lang", "x"))  # fmt: skip
        open_page(page, f"{server}/{TICKETS}?{query}", "admin")
        assert page.locator('[data-testid="stException"]').count() == 0, text[:40]
        assert page.locator('[data-testid="stMetricValue"]').count() > 0  # the page still works
        assert page.locator("img[src='x']").count() == 0 and page.locator("a[href*='evil']").count() == 0
    assert page.console_errors == []
    assert (_db_digest(con), demo_db.stat().st_mtime) == before


HOSTILE_DATA = """
insert into customers values
    (901, '370703000901', '<script>alert(1)</script>超市', '[张三](http://evil.example)',
     '<img src=x onerror=alert(1)>', '**粗体** _斜_ :red[红] $x$ `code`', 'R1', 'Z', 'C', 2, 12, 'AA', 2,
     false, 119.201, 36.801, '2020-01-01', 'active');
"""


def test_hostile_text_in_the_data_is_shown_as_text(tmp_path, page):
    db = build_fixture(tmp_path / "hostile.duckdb", HOSTILE_DATA)
    proc, url = start_server(db)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        open_page(page, f"{url}/{PROFILE}?customer=901&from=2026-10-01&to=2026-10-31", "admin")
        text = _main_text(page)
        shown = [
            "<script>alert(1)</script>超市",
            "[张三](http://evil.example)",
            "<img src=x onerror=alert(1)>",
        ]
        for value in [*shown, "**粗体** _斜_ :red[红] $x$ `code`"]:
            assert value in text, value
        assert page.locator("img[src='x']").count() == 0 and page.locator("a[href*='evil']").count() == 0
        assert page.locator('[data-testid="stMain"] strong:text("粗体")').count() == 0
        page.locator('[data-testid="stMain"] [data-testid="stTextInput"] input:visible').first.fill(
            "<script>"
        )
        page.keyboard.press("Enter")
        wait_ready(page)
        assert dialogs == [] and page.locator('[data-testid="stException"]').count() == 0
        page.screenshot(path=ARTIFACTS / "hostile-data-profile.png", full_page=True)
    finally:
        stop_server(proc)
