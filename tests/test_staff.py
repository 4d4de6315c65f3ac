"""The staff area on hand-checkable data: the inputs query, `staff.*` KPIs, the drill-down, the page.

The base fixture (tests/fixture_db.py) is left as it is; a new customer manager CM9 (新客经) of station S2
with route R8 and one customer (81) is added here: no plan, one unplanned visit 250 m away, profit in
October but zero in September (the zero-previous-profit case), no survey, no ticket. Period: October 2026.

Inputs by hand (October, whole company):
     assigned planned done visited on_plan hours  tasks checked sat  SLA met/breach GP Oct/Sep trained
CM1  2 (a)    4       2    2       2       50 min 6/7   2/2     77.5 1/0 (b)        1800/1400  2
CM2  2 (c)    1       1    1       0       20 min 1/2   0/1     80   0/1 (t5 119 h) 4800/0     1 (r3)
CM9  1        0       1    1       0       30 min 2/2   0/1     -    -              500/0      0
(a) c1, c2 of R1 (c3 of R2 is suspended); (b) t2 is open 1 s at E: left out; (c) c4, c5 (c6 opens 11-05)
"""

from datetime import date
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import kpis, staff, store, tables
from dashboard.catalog import load_catalog
from dashboard.metrics import three_labor
from dashboard.scope import Scope, default_scope
from tests.conftest import signed_in
from tests.fixture_db import build_fixture

OCT = Scope(date(2026, 10, 1), date(2026, 10, 31))

EXTRA = """
insert into staff values ('CM9', '新客经', 'customer_manager', 'S2', '13800000009');
insert into routes values ('R8', 'S2', '西站8线', 'CM9', null, 4);
insert into customers values
    (81, '370703000081', '八号便利', '周八', '13900000081', '西街8号', 'R8', 'B', 'C', 3, 6, 'A', 4, false,
     119.105, 36.825, '2016-01-01', 'active');
insert into customer_monthly values (81, '2026-09-01', 0, 0, 0, 0), (81, '2026-10-01', 4000, 400, 500, 100);
insert into visits values (81, 'CM9', 81, 'routine', '2026-10-08 10:00:00', '2026-10-08 10:30:00', 250, 2, 2);
"""


@pytest.fixture(scope="module")
def staff_db(tmp_path_factory):
    path = build_fixture(tmp_path_factory.mktemp("staff") / "staff.duckdb", EXTRA)
    return path


@pytest.fixture(scope="module")
def run(staff_db):
    con = store.connect(staff_db)
    yield partial(store.run, con)
    con.close()


def test_inputs_by_hand(run):
    data = staff.gather(run, OCT)
    got = data.current.set_index("staff_id")
    assert list(got.index) == ["CM1", "CM2", "CM9"]  # IN1 and SH1 are no customer managers
    columns = ["assigned", "planned", "done", "visited", "on_plan", "tasks_done", "tasks_required",
               "checked_in", "joint", "joint_with_inspector", "sla_met", "sla_breach", "trained"]  # fmt: skip
    assert got.loc["CM1", columns].tolist() == [2, 4, 2, 2, 2, 6, 7, 2, 1, 1, 1, 0, 2]
    assert got.loc["CM2", columns].tolist() == [2, 1, 1, 1, 0, 1, 2, 0, 0, 0, 0, 1, 1]
    assert got.loc["CM9", columns].tolist() == [1, 0, 1, 1, 0, 2, 2, 0, 0, 0, 0, 0, 0]
    assert got.loc["CM1", "visit_hours"] == pytest.approx(50 / 60)  # 20 + 30 minutes
    assert got.loc["CM1", "satisfaction_mean"] == pytest.approx(77.5)  # (90 + 65) / 2
    assert got.loc["CM2", "satisfaction_mean"] == pytest.approx(80.0)  # c4 80; c5 not surveyed
    assert (got.loc["CM1", "gp_yuan"], got.loc["CM1", "gp_previous_yuan"]) == (1800.0, 1400.0)
    assert (got.loc["CM2", "gp_yuan"], got.loc["CM2", "gp_previous_yuan"]) == (4800.0, 0.0)


def test_staff_kpis_by_hand(run):
    figures = staff.staff_kpis(run, OCT)
    expected = {
        # CM1: diligence 100*(0.5*min(1, 2/4) + 0.3*2/2 + 0.2*2/2) = 25 + 30 + 20 = 75
        "staff.CM1.diligence": 75.0,
        # effort 100*(0.4*(50/60)/(0.5*4) + 0.3*6/7 + 0.3*2/2) = 16.667 + 25.714 + 30 = 72.381
        "staff.CM1.effort": 100 * (0.4 * (50 / 60) / 2 + 0.3 * 6 / 7 + 0.3),
        # merit: g = (1800-1400)/1400 = 28.6 % -> uplift clip(0.5 + 1.43) = 1; SLA 1/1; trained 2/2
        # 100*(0.35*0.775 + 0.25*1 + 0.25*1 + 0.15*1) = 27.125 + 25 + 25 + 15 = 92.125
        "staff.CM1.merit": 92.125,
        # 0.3*75 + 0.3*72.381 + 0.4*92.125 = 22.5 + 21.714 + 36.85 = 81.064
        "staff.CM1.composite": 22.5 + 30 * (0.4 * (50 / 60) / 2 + 0.3 * 6 / 7 + 0.3) + 0.4 * 92.125,
        # 0.4*77.5 + 0.3*100 + 0.2*75 + 0.1*100 = 31 + 30 + 15 + 10 = 86
        "staff.CM1.assessment": 86.0,
        # CM2: 100*(0.5*min(1, 1/1) + 0.3*1/2 + 0.2*0/1) = 50 + 15 + 0 = 65
        "staff.CM2.diligence": 65.0,
        # 100*(0.4*(20/60)/(0.5*1) + 0.3*1/2 + 0.3*0/1) = 26.667 + 15 + 0 = 41.667
        "staff.CM2.effort": 100 * (0.4 * (1 / 3) / 0.5 + 0.15),
        # zero previous profit: uplift left out; (0.35*0.8 + 0.25*0 + 0.15*1/2) / 0.75 = 0.355/0.75
        "staff.CM2.merit": 100 * 0.355 / 0.75,
        # 0.3*65 + 0.3*41.667 + 0.4*47.333 = 19.5 + 12.5 + 18.933 = 50.933
        "staff.CM2.composite": 19.5 + 0.3 * 100 * (0.4 * (1 / 3) / 0.5 + 0.15) + 0.4 * 100 * 0.355 / 0.75,
        # (0.4*80 + 0.2*65 + 0.1*0) / 0.7 = 45 / 0.7 = 64.286
        "staff.CM2.assessment": 45 / 0.7,
        # CM9, new, no plan: (0.3*1/1 + 0.2*0/1) / 0.5 = 0.6 -> 60
        "staff.CM9.diligence": 60.0,
        # hours left out (no plan): (0.3*2/2 + 0.3*0/1) / 0.6 = 0.5 -> 50
        "staff.CM9.effort": 50.0,
        # only the trained share (0 of 1) is computable: 0 (a real zero, not a missing value)
        "staff.CM9.merit": 0.0,
        # 0.3*60 + 0.3*50 + 0.4*0 = 33
        "staff.CM9.composite": 33.0,
        # only diligence is computable: 60
        "staff.CM9.assessment": 60.0,
    }
    composites = [v for k, v in expected.items() if k.endswith(".composite")]
    expected["staff.composite_mean"] = sum(composites) / len(composites)  # the managers, unweighted
    assert figures.keys() == expected.keys()
    for name, value in expected.items():
        assert figures[name] == pytest.approx(value), name


def test_kpis_registered_and_null_when_not_computable(run):
    figures = kpis.all_kpis(run, OCT)
    assert figures["staff.CM1.assessment"] == pytest.approx(86.0)
    assert figures["visits.planned"] == 5 and figures["visits.done"] == 5  # the overview's (incl. CM9's)
    # July: no plan, no visit, no ticket, no profit. Diligence: only coverage 0/2 is computable -> 0
    # (a real zero); effort: nothing computable -> null, never 0; merit: the latest surveys still in the
    # 12-month window (c1 60, c2 65) and trained 0/2: (0.35*0.625 + 0.15*0) / 0.5 = 0.4375 -> 43.75
    quiet = staff.staff_kpis(run, Scope(date(2026, 7, 1), date(2026, 7, 31)))
    assert quiet["staff.CM1.diligence"] == 0.0
    assert quiet["staff.CM1.effort"] is None
    assert quiet["staff.CM1.merit"] == pytest.approx(43.75)
    # a route filter: only that route's manager is ranked
    r3 = staff.staff_kpis(run, Scope(date(2026, 10, 1), date(2026, 10, 31), routes=("R3",)))
    assert r3.keys() == {f"staff.CM2.{k}" for k in three_labor.SCORES} | {"staff.composite_mean"}
    assert r3["staff.composite_mean"] == r3["staff.CM2.composite"]


def test_rank_change_against_september(run):
    data = staff.gather(run, OCT)
    assert data.current.set_index("staff_id")["rank"].to_dict() == {"CM1": 1, "CM2": 2, "CM9": 3}
    # September by hand:
    # CM1: no plan, no visit -> diligence 0 (coverage 0/2); effort null; merit: surveys 60, 65 -> 0.625,
    #      trained 1/2 (r4 at c1 on 09-30) -> (0.35*0.625 + 0.15*0.5) / 0.5 = 58.75;
    #      composite (0.3*0 + 0.4*58.75) / 0.7 = 33.57
    # CM2: c4 only (c5 opens 10-15); plan 09-29 kept by v8 -> diligence 100; effort 0.4*(25/60)/0.5
    #      + 0.3 + 0.3 = 93.33; merit (0.35*0.8 + 0.15*1) / 0.5 = 86; composite 30 + 28 + 34.4 = 92.4
    # CM9: diligence 0, merit 0 (trained 0/1) -> composite 0
    previous = data.previous.set_index("staff_id")
    assert previous["composite"].to_dict() == pytest.approx({"CM1": 23.5 / 0.7, "CM2": 92.4, "CM9": 0.0})
    assert previous["rank"].to_dict() == {"CM1": 2, "CM2": 1, "CM9": 3}
    table, _ = tables.staff_ranking(data.current, "en")
    expected = [["王客经", "↑1"], ["李客经", "↓1"], ["新客经", "same"]]
    assert table[["Name", "Change"]].values.tolist() == expected


def test_drill_down_shows_missed_and_unplanned(run):
    cm1 = staff.visits(run, OCT, "CM1")
    # plans 1@10-05 (v1), 2@10-05 (v2), 3@10-07 (missed), 1@10-19 (missed); no unplanned visit
    assert sorted(cm1.status) == ["missed", "missed", "on_plan", "on_plan"]
    assert staff.visit_counts(cm1) == {"planned": 4, "kept": 2, "missed": 2, "unplanned": 0}
    cm2 = staff.visits(run, OCT, "CM2")
    # the plan of 10-06 was missed; the visit of 10-31 had no plan that day
    assert staff.visit_counts(cm2) == {"planned": 1, "kept": 0, "missed": 1, "unplanned": 1}
    table = tables.staff_visits(cm2, "zh")
    assert "漏访" in table["情况"].tolist() and "计划外走访" in table["情况"].tolist()
    assert not table.isna().any().any()


def test_what_if_weights_change_the_ranking_not_the_settings(run):
    data = staff.gather(run, OCT)
    # merit only: CM1 92.1, CM2 47.3, CM9 0 -> same order; diligence only would keep CM1 first too,
    # so put all weight on effort's absence: assessment weights on satisfaction alone leave CM9 None (last)
    merit_only = staff.with_weights(data.conf, composite={"diligence": 0, "effort": 0, "merit": 1})
    what_if = data.rescored(merit_only).current.set_index("staff_id")
    assert what_if.loc["CM2", "composite"] == pytest.approx(100 * 0.355 / 0.75)
    assert staff.conf()["composite"] == {"diligence": 0.3, "effort": 0.3, "merit": 0.4}
    sat_only = staff.with_weights(data.conf, assessment={"satisfaction": 1, "uplift": 0, "diligence": 0,
                                                         "resolution_sla": 0})  # fmt: skip
    rescored = data.rescored(sat_only).current.set_index("staff_id")
    # CM2 80 > CM1 77.5; CM9 not surveyed -> None, ranked last
    assert rescored["assessment_rank"].to_dict() == {"CM1": 2, "CM2": 1, "CM9": 3}


def test_payroll_export_one_row_per_person(run):
    data = staff.gather(run, OCT)
    payroll = tables.staff_payroll(data.current, data.conf["assessment"], "2026年10月", "zh")
    assert payroll["工号"].tolist() == ["CM1", "CM2", "CM9"]
    assert payroll.loc[0, "二次考核"] == 86.0
    assert payroll.columns.tolist()[-1] == "二次考核"
    # CM9's uplift is not computable: an empty cell, not 0
    assert payroll.loc[2, "毛利提升×100（×0.3）"] != payroll.loc[2, "毛利提升×100（×0.3）"]


# ---- the demo data -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(demo_run):
    catalog = load_catalog(demo_run)
    scope = default_scope(catalog)
    return scope, staff.gather(demo_run, scope, catalog.first_day)


def test_demo_weak_route_manager_ranks_last_and_the_drill_down_shows_why(demo_run, demo):
    scope, data = demo
    got = data.current.set_index("staff_id")
    assert got["rank"].idxmax() == "CM05"  # last on composite
    assert got["diligence"].idxmin() == "CM05"  # and last on diligence
    assert staff.default_person(data.current) == "CM05"  # the person tab opens on them
    counts = staff.visit_counts(staff.visits(demo_run, scope, "CM05"))
    others = [staff.visit_counts(staff.visits(demo_run, scope, s)) for s in ("CM04", "CM06")]
    assert counts["missed"] / counts["planned"] > 1.5 * max(o["missed"] / o["planned"] for o in others)
    assert counts["planned"] == got.loc["CM05", "planned"]
    # the route view of the drill-down points at the weak route: most plans missed, check-ins far away
    routes = staff.route_summary(staff.visits(demo_run, scope, "CM05")).set_index("route_name")
    assert routes["missed_share"].idxmax() == "固堤03线" == routes["median_distance_m"].idxmax()
    assert routes.loc["固堤03线", "median_distance_m"] > 100


def test_demo_page_figures_equal_the_kpis(demo_run, demo):
    scope, data = demo
    figures = kpis.all_kpis(demo_run, scope)
    for row in data.current.to_dict("records"):
        for name in ("diligence", "effort", "merit", "composite", "assessment"):
            assert figures[f"staff.{row['staff_id']}.{name}"] == pytest.approx(row[name])


def test_page_apptest_opens_on_the_lowest_and_its_what_if_works(staff_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(staff_db))
    at = signed_in(AppTest.from_file(str(store.ROOT / "app.py"), default_timeout=60))
    at.query_params["from"] = "2026-10-01"
    at.query_params["to"] = "2026-10-31"
    at.run()
    at.switch_page("pages/staff.py").run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox(key="sf_person").value == "CM9"  # lowest composite
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["综合指数最低"] == "新客经"
    at.number_input(key="sf_w_composite_diligence").set_value(1.0).run()
    assert not at.exception
    # diligence alone: CM1 75, CM2 65, CM9 60 -> the same order, so no rank moves
    assert any("0 人" in i.value for i in at.info)


def test_builders_name_people_and_leave_no_missing_labels(run):
    from dashboard import charts

    data = staff.gather(run, OCT)
    figures = staff.page_figures(data, run, "en", "CM9")
    radar = figures["radar"].to_dict()
    assert [tr["name"] for tr in radar["data"]] == ["西站 mean", "新客经"]
    # every score of CM9 is computable (merit is a real 0), so the radar closes on its five axes
    assert len(radar["data"][1]["r"]) == 6 and None not in radar["data"][1]["r"]
    terms = figures["terms"].to_dict()["data"][1]
    assert terms["text"][0] == "—"  # done/planned: no plan, left out, shown as a dash
    assert len(figures["trend"].to_dict()["data"]) == 3
    ranking = charts.staff_ranking(data.current, "en").to_dict()["data"][0]
    assert list(ranking["y"]) == ["新客经", "李客经", "王客经"]  # best at the top (plotly draws bottom-up)
    table, _ = figures["ranking_table"]
    assert "CM9" not in table.to_string() and not table.isna().any().any()
    diligence_only = {"diligence": 1, "effort": 0, "merit": 0}
    what_if = data.rescored(staff.with_weights(data.conf, composite=diligence_only))
    table, _ = tables.staff_ranking(data.current, "en", what_if.current)
    assert table["Composite *"].tolist() == [75.0, 65.0, 60.0]
    inputs, shares = figures["inputs"]
    assert "Plan done" in shares and {"GPS check-in", "Tasks done"} <= set(inputs.columns)
    stations = figures["stations"]
    assert {"Satisfaction", "Profit uplift", "Resolved on time"} <= set(stations.columns)
