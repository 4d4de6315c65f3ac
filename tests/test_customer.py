"""The customer profile on hand-checkable data: search, the profile's rows, the next-visit rules, the
profile URL of other pages' lists, and the page opened by URL (AppTest).

The base fixture (tests/fixture_db.py) is left as it is; on a copy, customer 1 (张记便利, S1, route R1)
gets an open ticket, a survey whose weakest dimension is delivery, and a classroom session on policy at
S1 it did not attend. Period: October 2026, E = 1 Nov 00:00.
"""

from datetime import date
from functools import partial
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import customer, store, tables
from dashboard.demo import DEMO_FACTS
from dashboard.scope import Scope
from tests.conftest import signed_in
from tests.fixture_db import build_fixture

OCT = (date(2026, 10, 1), date(2026, 10, 31))

EXTRA = """
insert into tickets values
    (201, 1, 'wechat', 'complaint', 'delivery', 'CM1', '2026-10-21 08:00', '2026-10-21 09:00', null,
     '2026-11-02 00:00', null, null, 0);
insert into surveys values
    (201, 1, '2026-10-20', '2026Q4', 88, 86, 61, 90, 92, 75, 80, 83);
insert into training_sessions values
    (201, '2026-06-01', 'classroom', 'policy', 'S1', false, 'SH1', 2.0, null),
    (202, '2025-10-31', 'classroom', 'law', 'S1', false, 'SH1', 2.0, null);
"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    path = build_fixture(tmp_path_factory.mktemp("customer") / "customer.duckdb", EXTRA)
    con = store.connect(path)
    yield partial(store.run, con)
    con.close()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("便利", [1, 2]),  # Chinese substring of two shop names (张记便利, 好邻居便利店)
        ("王芳", [2]),  # owner name
        ("370703000004", [4]),  # a whole licence number: the exact match
        ("  000005 ", [5]),  # part of a licence number, spaces trimmed
        ("火星超市xyz", []),  # no match
        ("' or 1=1 --", []),  # a hostile string is just text
        ("%", []),  # so are LIKE wildcards
        ("", []),  # nothing typed: nothing searched
    ],
)
def test_search(run, text, expected):
    assert (
        customer.search(run, text, Scope(*OCT))["customer_id"].tolist()[: len(expected) or None] == expected
    )


def test_profile_rows_and_next_visit_rules(run):
    profile = customer.gather(run, Scope(*OCT, customer=1))
    assert profile.identity["shop_name"] == "张记便利"
    who = profile.identity
    assert (who["customer_manager_name"], who["inspector_name"]) == ("王客经", "赵专管")
    # months: September and October of customer 1
    assert profile.monthly["tobacco_gross_profit_yuan"].astype(float).tolist() == [1000, 1300]
    # surveys up to 31 Oct: 1 Apr, 10 Oct, 20 Oct (the added one)
    assert profile.surveys["survey_id"].tolist() == [1, 2, 201]
    # tickets received before E: t1 (resolved 1 Oct) and t201 (resolved 2 Nov, after E: open as of E)
    assert profile.tickets.set_index("ticket_id")["is_open"].to_dict() == {201: True, 1: False}
    assert profile.grid is None  # no POS data
    rules = [(a.rule, a.subject) for a in profile.actions]
    assert rules == [
        ("open_ticket", "201"),  # open as of E, 10 days 16 hours old
        ("weak_dimension", "delivery"),  # 61 is the lowest of the 20 Oct survey
        # classroom sessions at S1 in (31 Oct 2025, 31 Oct 2026]: display (attended 10 Oct) and policy
        # (1 Jun, missed); law on 31 Oct 2025 is just outside the 12 months
        ("missed_training", "policy"),
    ]
    assert profile.actions[0].detail["days"] == pytest.approx((10 * 24 + 16) / 24)
    lines = customer.action_lines(profile.actions, "zh")
    assert "201" in lines[0] and "配送服务" in lines[1] and "61.0" in lines[1] and "政策解读" in lines[2]
    assert len(customer.action_lines(profile.actions, "en")) == 3


def test_a_survey_older_than_12_months_is_not_a_weak_dimension(run):
    # as of 31 Oct 2027 every survey of customer 1 is over a year old and the ticket resolved; what is
    # left is ts3, the classroom session on policy at S1 on 1 Nov 2026 it did not attend
    profile = customer.gather(run, Scope(date(2027, 10, 1), date(2027, 10, 31), customer=1))
    assert [(a.rule, a.subject) for a in profile.actions] == [("missed_training", "policy")]


def test_no_customer_or_unknown_customer_gives_no_profile(run):
    assert customer.gather(run, Scope(*OCT)) is None
    assert customer.gather(run, Scope(*OCT, customer=999)) is None


def test_demo_store_suggests_its_slow_sellers(demo_run):
    store_id = DEMO_FACTS["nine_grid_customer_id"]
    profile = customer.gather(demo_run, Scope(*OCT, customer=store_id))
    drops = [a for a in profile.actions if a.rule == "drop_sku"]
    expected = profile.grid.skus[profile.grid.skus.action == "drop"]
    assert 0 < len(drops) == min(5, len(expected))
    assert {a.subject for a in drops} <= set(expected.sku_name)
    assert all(a.detail["days"] > 90 for a in drops)


def test_profile_url_keeps_the_scope():
    scope = Scope(*OCT, stations=("S1",), btypes=("Z", "B"), customer=7)
    url = tables.profile_url(scope, 42, "en")
    parts = urlsplit(url)
    assert parts.path == "/customer-profile"
    assert parse_qs(parts.query) == {
        "from": ["2026-10-01"],
        "to": ["2026-10-31"],
        "station": ["S1"],
        "btype": ["Z", "B"],
        "customer": ["42"],
        "lang": ["en"],
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "scope",
    [
        Scope(*OCT),
        Scope(*OCT, stations=("S1",), btypes=("Z", "B"), customer=7),  # the list's own customer is replaced
        Scope(*OCT, routes=("R1", "R 2&x"), markets=("X",)),  # text that needs quoting
    ],
)
def test_a_list_links_each_row_as_profile_url_does(scope, lang):
    ids = [42, 7, 1027]
    assert tables.profile_links(scope, ids, lang) == [tables.profile_url(scope, c, lang) for c in ids]


def _app(db, **query) -> AppTest:
    at = signed_in(AppTest.from_file(str(store.ROOT / "app.py"), default_timeout=60))
    for key, value in query.items():
        at.query_params[key] = value
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_profile_opened_by_url_shows_the_customer(fixture_db, monkeypatch, lang):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = _app(fixture_db, customer="2", lang=lang, **{"from": "2026-10-01", "to": "2026-10-31"})
    at.run()
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    assert at.header[0].value == "好邻居便利店"
    text = " ".join(m.value for m in at.markdown)
    assert "370703000002" in text and "王客经" in text


def test_profile_search_sets_the_customer(fixture_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))
    at = _app(fixture_db)
    at.run()
    at.switch_page("pages/customer.py").run()
    assert not at.exception and len(at.header) == 0  # no customer yet: the search and a hint
    at.text_input(key="cp_search").input("西村").run()
    at.selectbox(key="cp_pick").select(4).run()
    assert not at.exception
    assert at.header[0].value == "西村超市"
