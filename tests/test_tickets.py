"""The tickets area on hand-checkable data: KPIs, funnel, backlog, builders and the page.

The base fixture (tests/fixture_db.py) is left as it is; a route R9 of station S1 with one customer (91)
and tickets 101-109 is added here, so a scope on R9 sees only these. Period: October 2026, E = 1 Nov 00:00.

ticket kind         received     responded      routed       resolved       callback       note
101 a consultation  10-02 00:00  10-02 10:00    10-02 11:00  10-03 12:00    10-04 basic    36 h: late (24 h)
102 b complaint     10-05 00:00  10-04 23:00    (missing)    10-06 00:00    10-07 unsat.   answer < receipt
103 c report        10-10 00:00  10-11 06:00    -            -              -              open, 22 days
104 d suggestion    10-30 12:00  -              -            -              -              open 36 h, silent
105 e complaint     10-28 00:00  10-28 01:00    10-28 02:00  11-02 (>= E)   11-03 (>= E)   open as of E, 96 h
106 f consultation  10-31 20:00  10-31 21:00    -            10-31 22:00    -              2 h, no callback
107 g consultation  09-15 00:00  -              -            -              -              Sept.: backlog only
108 h consultation  10-15 00:00  -              -            10-14 00:00    -              resolved < receipt
109 i complaint     10-31 12:00  10-31 13:00    -            -              -              open 12 h, no owner
"""

from datetime import date
from functools import partial

import pandas as pd
import pytest

from dashboard import charts, kpis, store, tickets
from dashboard.scope import Scope
from tests.fixture_db import build_fixture

OCT = (date(2026, 10, 1), date(2026, 10, 31))
R9 = Scope(*OCT, routes=("R9",))

EXTRA = """
insert into routes values ('R9', 'S1', '东站9线', 'CM1', 'IN1', 5);
insert into customers values
    (91, '370703000091', '九号小卖部', '周九', '13900000091', '东街9号', 'R9', 'Z', 'C', 3, 6, 'A', 5, false,
     119.209, 36.809, '2015-01-01', 'active');
insert into tickets values
    (101, 91, 'hotline_12313', 'consultation', 'supply', 'CM1', '2026-10-02 00:00', '2026-10-02 10:00',
     '2026-10-02 11:00', '2026-10-03 12:00', '2026-10-04 09:00', 'basic', 0),
    (102, 91, 'ordering_web', 'complaint', 'price', 'CM1', '2026-10-05 00:00', '2026-10-04 23:00',
     null, '2026-10-06 00:00', '2026-10-07 09:00', 'unsatisfied', 2),
    (103, 91, 'qr_miniprogram', 'report', 'delivery', 'CM1', '2026-10-10 00:00', '2026-10-11 06:00',
     null, null, null, null, 0),
    (104, 91, 'wechat', 'suggestion', 'other', 'CM1', '2026-10-30 12:00', null, null, null, null, null, 0),
    (105, 91, 'ai_service', 'complaint', 'supply', 'CM1', '2026-10-28 00:00', '2026-10-28 01:00',
     '2026-10-28 02:00', '2026-11-02 00:00', '2026-11-03 00:00', 'satisfied', 0),
    (106, 91, 'staff_entry', 'consultation', 'grade', 'CM1', '2026-10-31 20:00', '2026-10-31 21:00',
     null, '2026-10-31 22:00', null, null, 0),
    (107, 91, 'hotline_12313', 'consultation', 'supply', 'CM1', '2026-09-15 00:00', null, null, null, null,
     null, 0),
    (108, 91, 'hotline_12313', 'consultation', 'licensing', 'CM1', '2026-10-15 00:00', null, null,
     '2026-10-14 00:00', null, null, 0),
    (109, 91, 'wechat', 'complaint', 'supply', null, '2026-10-31 12:00', '2026-10-31 13:00', null, null,
     null, null, 0);
"""


@pytest.fixture(scope="module")
def tickets_db(tmp_path_factory):
    path = build_fixture(tmp_path_factory.mktemp("tickets") / "tickets.duckdb", EXTRA)
    return path


@pytest.fixture(scope="module")
def run(tickets_db):
    con = store.connect(tickets_db)
    yield partial(store.run, con)
    con.close()


def test_route_r9_kpis_by_hand(run):
    figures = tickets.ticket_kpis(run, R9)
    expected = {
        "tickets.received": 8,  # 101-109 less 107 (September)
        "tickets.received_by_channel": {
            "hotline_12313": 2,
            "ordering_web": 1,
            "qr_miniprogram": 1,
            "wechat": 2,
            "ai_service": 1,
            "staff_entry": 1,
        },  # fmt: skip
        "tickets.received_by_kind": {"consultation": 3, "complaint": 3, "report": 1, "suggestion": 1},
        "tickets.received_by_topic": {
            "supply": 3,
            "price": 1,
            "service_attitude": 0,
            "delivery": 1,
            "ordering_system": 0,
            "settlement": 0,
            "grade": 1,
            "licensing": 1,
            "other": 1,
        },  # fmt: skip
        # met: a 10 h, b -1 h (out of order counts as within 24 h), e, f, i 1 h; breach: c 30 h,
        # d and h not answered after more than 24 h -> 5 / 8
        "tickets.response_sla_rate": 5 / 8,
        # answered before E: -1, 1, 1, 1, 10, 30 -> (1 + 1) / 2
        "tickets.response_hours_median": 1.0,
        # met: b 24 <= 72, f 2 <= 24, h -24 <= 24; breach: a 36 > 24, c open 528 > 72, e open 96 > 72;
        # d (36 < 168) and i (12 < 72) are still inside their targets: left out -> 3 / 6
        "tickets.resolution_sla_rate": 0.5,
        # KM: events h 0 (clipped), f 2, b 24, a 36; censored i 12, d 36, e 96, c 528.
        # S: 7/8, 6/8, (i out), 6/8*4/5 = 0.6, 0.6*3/4 = 0.45 <= 0.5 at 36 h
        "tickets.resolution_hours_median": 36.0,
        # resolved before E: a, b, f, h; called back before E: a, b -> 2/4; satisfied or basic: a -> 1/2
        "tickets.callback_rate": 0.5,
        "tickets.callback_satisfied_rate": 0.5,
        # all four stage times before E: a only (b has no routed time) -> 1/8
        "tickets.closed_loop_rate": 1 / 8,
        # open at E, any month: c (22 d), d (36 h), e (96 h, resolved only after E), g (47 d), i (12 h)
        "tickets.backlog": 5,
        "tickets.backlog_by_age": {"lt_24h": 1, "1_3d": 1, "3_7d": 1, "gt_7d": 2},
    }
    assert figures.keys() == expected.keys()
    for name, value in expected.items():
        assert figures[name] == (value if isinstance(value, dict) else pytest.approx(value)), name


def test_base_fixture_october_by_hand(run):
    # t1 consultation: 2 h answer, 20 h resolution, called back satisfied; t5 complaint: 48 h answer,
    # 119 h resolution, no callback; t2 arrives one second before E: inside every target, censored.
    # R9's tickets are excluded by scoping to the base routes.
    figures = tickets.ticket_kpis(run, Scope(*OCT, routes=("R1", "R2", "R3")))
    assert figures["tickets.received"] == 3
    assert figures["tickets.response_sla_rate"] == 0.5  # t1 met, t5 breach, t2 left out
    assert figures["tickets.response_hours_median"] == 25.0  # (2 + 48) / 2
    assert figures["tickets.resolution_sla_rate"] == 0.5  # t1 met, t5 breach
    assert figures["tickets.resolution_hours_median"] == 20.0  # t2 censored first; S(20) = 1/2
    assert figures["tickets.callback_rate"] == 0.5 and figures["tickets.callback_satisfied_rate"] == 1.0
    assert figures["tickets.closed_loop_rate"] == pytest.approx(1 / 3)
    # backlog: t2 (1 s old) and t4 (received 30 Sep 23:00, 745 h)
    assert figures["tickets.backlog"] == 2
    assert figures["tickets.backlog_by_age"] == {"lt_24h": 1, "1_3d": 0, "3_7d": 0, "gt_7d": 1}


def test_nothing_in_scope_gives_null_rates_and_zero_counts(run):
    figures = tickets.ticket_kpis(run, Scope(*OCT, btypes=("M",)))
    assert figures["tickets.received"] == 0 and figures["tickets.backlog"] == 0
    for name in (
        "response_sla_rate", "response_hours_median", "resolution_sla_rate", "resolution_hours_median",
        "callback_rate", "callback_satisfied_rate", "closed_loop_rate",
    ):  # fmt: skip
        assert figures[f"tickets.{name}"] is None, name


def test_kpis_cli_registry_includes_tickets(run):
    figures = kpis.all_kpis(run, R9)
    assert figures["tickets.received"] == 8 and figures["tickets.backlog"] == 5


def test_funnel_stage_now_and_median_hours(run):
    funnel = run("tickets/funnel", R9.params()).set_index("stage")
    # reached: all 8; answered a b c e f i; routed a e; resolved a b f h; called back a b
    assert funnel["n_reached"].to_dict() == {
        "received": 8, "responded": 6, "routed": 2, "resolved": 4, "callback": 2,
    }  # fmt: skip
    # furthest stage now: d received; c i responded; e routed; f h resolved; a b called back
    assert funnel["n_now"].to_dict() == {
        "received": 1,
        "responded": 2,
        "routed": 1,
        "resolved": 2,
        "callback": 2,
    }
    # hours to answer, negatives as 0: 0, 1, 1, 1, 10, 30 -> 1
    assert funnel.loc["responded", "median_hours"] == 1.0
    # the medians are of the tickets that reached the stage, not the others as 0 hours: routed a 11, e 2
    # -> 6.5 (not 0); resolved a 36, b 24, f 2, h 0 (before its receipt) -> 13; called back a, b 57 -> 57
    assert funnel["median_hours"].to_dict() == {
        "received": 0.0, "responded": 1.0, "routed": 6.5, "resolved": 13.0, "callback": 57.0,
    }  # fmt: skip


def test_work_list_and_overdue(run):
    data = tickets.gather(run, R9)
    backlog = data.backlog.set_index("ticket_id")
    # overdue: c (528 h > 72), d (not answered after 36 h > 24), e (96 h > 72), g (47 d); i (12 h) is not
    assert backlog["is_overdue"].to_dict() == {107: True, 103: True, 105: True, 104: True, 109: False}
    assert backlog.loc[105, "stage"] == "routed"  # its resolution and callback come after E
    work = tickets.work_list(data, "zh")
    assert list(work["工单号"]) == [107, 103, 105, 104]  # oldest first
    assert set(tickets.work_list(data, "en", overdue_only=False)["First owner"]) == {"王客经", "Unassigned"}


def test_closure_table_shows_km_beside_naive(run):
    data = tickets.gather(run, R9)
    row = data.closure.set_index("kind").loc["all"]
    assert row["km_median"] == 36.0
    assert row["naive_median"] == 13.0  # resolved only: 0, 2, 24, 36 -> (2 + 24) / 2
    table = tickets.closure_table(data, "zh")
    assert table.iloc[0].tolist() == ["全部类型", 8, 4, "36.0 小时", "—", "13.0 小时"]


def _python_search(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """The list's search as the page did it in pandas before it moved into the query: the oracle."""
    text = (text or "").strip().lower()
    if not text:
        return frame
    columns = ["ticket_id", "customer_id", "shop_name", "owner_name", "route_name", "station_name"]
    first, *rest = (frame[c].astype("string").fillna("") for c in columns)
    return frame[first.str.cat(rest, sep=" ").str.lower().str.contains(text, regex=False)]


TEXTS = ("", "九号", "108", " 108 ", "东站9线", "cm", "9 九号", "'; --", "%", "_", "不存在", "S1")


def _every(run, scope, text="", **options) -> pd.DataFrame:
    return tickets.ticket_list(run, scope, text, first_rows=None, **options)[0].drop(columns="n_found")


@pytest.mark.parametrize("text", TEXTS)
def test_the_list_searched_in_sql_finds_what_the_pandas_search_found(run, text):
    scope = Scope(date(2026, 9, 1), date(2026, 10, 31))
    every = _every(run, scope)
    rows, found = tickets.ticket_list(run, scope, text, first_rows=None)
    expected = _python_search(every, text)
    assert found == len(expected) == len(rows)
    assert rows["ticket_id"].tolist() == expected["ticket_id"].tolist()  # same order: newest first


def test_search_and_table_labels(run):
    data = tickets.gather(run, R9)
    assert data.n_tickets == 8 == len(data.tickets)
    assert tickets.ticket_list(run, R9, "九号")[1] == 8
    assert tickets.ticket_list(run, R9, "108")[0]["ticket_id"].tolist() == [108]
    table = tickets.ticket_table(data.tickets, "en")
    assert "hotline_12313" not in table.to_string() and "Unassigned" in table.to_string()
    assert not table.isna().any().any()


def test_a_role_that_sees_names_masked_cannot_search_them(run):
    assert tickets.ticket_list(run, R9, "九号小卖部")[1] == 8
    assert tickets.ticket_list(run, R9, "九号小卖部", shops=False)[1] == 0
    owner = _every(run, R9)["owner_name"].dropna().iloc[0]
    assert tickets.ticket_list(run, R9, owner)[1] > 0
    assert tickets.ticket_list(run, R9, owner, owners=False)[1] == 0
    assert tickets.ticket_list(run, R9, "东站9线", owners=False, shops=False)[1] == 8  # the rest still is
    assert tickets.ticket_list(run, R9, "", owners=False, shops=False)[1] == 8


def test_pages_of_the_list_glue_to_the_whole_list(run, monkeypatch):
    monkeypatch.setattr(tickets, "LIST_PAGE_ROWS", 3)
    scope = Scope(date(2026, 9, 1), date(2026, 10, 31))
    every = _every(run, scope)
    pages = [tickets.list_page(run, scope, "", page) for page in (1, 2, 3, 4, 5, 6)]
    n_pages = -(-len(every) // 3)
    glued = pd.concat([rows for rows, _, page in pages[:n_pages]])
    assert glued["ticket_id"].tolist() == every["ticket_id"].tolist()
    assert all(found == len(every) for _, found, _ in pages)
    assert [page for _, _, page in pages] == [min(p, n_pages) for p in (1, 2, 3, 4, 5, 6)]
    last, _, _ = pages[n_pages - 1]
    assert pages[-1][0]["ticket_id"].tolist() == last["ticket_id"].tolist()  # past the end: the last page
    rows, found, page = tickets.list_page(run, scope, "不存在", 4)
    assert rows.empty and found == 0 and page == 1


@pytest.mark.parametrize(
    ("unit", "column", "ids"),
    [("station", "station_id", ["S1"]), ("route", "route_id", ["R9", "R1"]),
     ("owner", "first_owner_id", ["CM1"]), ("owner", "first_owner_id", [""])],
)  # fmt: skip
def test_the_tickets_of_clicked_units_are_those_units_tickets(run, unit, column, ids):
    scope = Scope(date(2026, 9, 1), date(2026, 10, 31))
    every = _every(run, scope)
    expected = every[every[column].fillna("").isin(ids)]
    rows, found = tickets.ticket_list(run, scope, unit=unit, unit_ids=ids, first_rows=None)
    assert found == len(expected) > 0
    assert rows["ticket_id"].tolist() == expected["ticket_id"].tolist()


def test_the_list_searched_in_sql_on_the_demo(demo_run):
    scope = Scope(date(2024, 11, 1), date(2026, 10, 31))  # two years: 3,700 tickets
    every = _every(demo_run, scope)
    assert len(every) > tickets.LIST_PAGE_ROWS  # the first page is not the whole list
    first, found = tickets.ticket_list(demo_run, scope)
    assert found == len(every) and first["ticket_id"].tolist() == every["ticket_id"].head(1000).tolist()
    shop, owner = every["shop_name"].iloc[5], every["owner_name"].dropna().iloc[5]
    for text in (shop, owner, str(every["ticket_id"].iloc[7]), every["route_name"].iloc[9], "线", "12 "):
        rows, n = tickets.ticket_list(demo_run, scope, text, first_rows=None)
        expected = _python_search(every, text)
        assert n == len(expected) > 0, text
        assert rows["ticket_id"].tolist() == expected["ticket_id"].tolist(), text


def test_ranking_names_people_and_routes(run):
    data = tickets.gather(run, Scope(*OCT))
    table = tickets.ranking_table(data, "route", "resolution_sla_rate", "zh")
    assert "东站9线 · 王客经" in table["对象"].tolist()
    owners = tickets.ranking_table(data, "owner", "resolution_sla_rate", "en")["Unit"].tolist()
    assert "Unassigned" in owners and "CM1" not in owners


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_builders_are_localized_with_traces_and_target_lines(run, lang):
    data = tickets.gather(run, Scope(*OCT))
    figs = {name: fig.to_dict() for name, fig in tickets.figures(data, lang).items()}
    for name, fig in figs.items():
        assert fig["data"], name  # every chart draws something
        assert fig["layout"]["title"]["text"], name
    target = "目标 90%" if lang == "zh" else "Target 90%"
    for name in ("sla", "ranking"):
        texts = [a.get("text") for a in figs[name]["layout"]["annotations"]]
        assert target in texts, name
        assert figs[name]["layout"]["shapes"], name  # the target line itself
    assert figs["closure"]["layout"]["title"]["text"].startswith("办结时长" if lang == "zh" else "Time to")
    names = {trace["name"] for trace in figs["volume"]["data"]}
    assert ("12313 热线" if lang == "zh" else "12313 hotline") in names
    funnel = figs["funnel"]["data"][0]
    assert len(funnel["y"]) == 5 and "hotline_12313" not in str(figs)


def test_empty_scope_charts_say_so(run):
    data = tickets.gather(run, Scope(*OCT, btypes=("M",)))
    for name, fig in tickets.figures(data, "zh").items():
        texts = [a.get("text") for a in fig.to_dict()["layout"].get("annotations", [])]
        assert "本范围内没有工单" in texts or name == "backlog", name


def test_timeline_names_missing_stages(run):
    data = tickets.gather(run, R9)
    row = data.tickets.set_index("ticket_id").loc[102].to_dict() | {"ticket_id": 102}
    fig = charts.ticket_timeline(row, "en").to_dict()
    assert "not yet: Routed" in fig["layout"]["title"]["text"]
    assert list(fig["data"][0]["y"]) == ["Received", "Answered", "Resolved", "Called back"]


def test_a_ranking_of_many_units_draws_the_worst_ones_and_says_so():
    # a province has 12,500 routes: the chart shows the MAX_RANKED worst, the title tells how many there are
    n = charts.MAX_RANKED + 40
    ranking = pd.DataFrame(
        {
            "unit": "route",
            "unit_id": [f"R{i:03d}" for i in range(n)],
            "unit_name": [f"线路{i}" for i in range(n)],
            "manager_name": None,
            "received": 10,
            "resolution_sla_rate": [i / n for i in range(n)],
        }
    )
    worst = charts.MAX_RANKED
    for lang, words in (("zh", f"最差的 {worst} 个（共 {n} 个"), ("en", f"worst {worst} of {n}")):
        fig = charts.ticket_ranking(ranking, "route", 0.9, lang)
        (bars,) = fig.data
        assert len(bars.y) == worst
        assert set(bars.customdata[:, 0]) == {f"R{i:03d}" for i in range(worst)}  # the lowest rates
        assert bars.y[0] == "线路0" and words in fig.layout.title.text  # the worst at the bottom
    few = charts.ticket_ranking(ranking.head(5), "route", 0.9, "zh")
    assert len(few.data[0].y) == 5 and "共" not in few.layout.title.text
    # of many routes at 0 %, the ones with the most tickets; every bar says its rate and count
    ranking["resolution_sla_rate"] = 0.0
    ranking["received"] = range(n)
    (bars,) = charts.ticket_ranking(ranking, "route", 0.9, "zh").data
    assert list(bars.customdata[:3, 1]) == [n - 1, n - 2, n - 3]  # the most at the bottom
    assert bars.text[0] == f"0% · {n - 1}"
