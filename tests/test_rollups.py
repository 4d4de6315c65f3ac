"""Rollups change no number: every KPI, and every figure a page reads from a rollup, is the same from the
raw tables, on the fixture and the demo DBs, for scopes the rollups serve and scopes they leave to the raw
tables. Also: when the rollups are stale or missing, pages fall back to the raw tables."""

from __future__ import annotations

import inspect
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

from dashboard import nine_grid, overview, programs, rollups, satisfaction, staff, store, tables, tickets
from dashboard.catalog import load_catalog
from dashboard.kpis import all_kpis
from dashboard.scope import Limit, Scope, month_end


class Recorder:
    """The named-query runner, remembering which queries ran (a kept answer read as "kept:<its query>")."""

    def __init__(self, con):
        self.con, self.names = con, []

    def __call__(self, name, params=None):
        if name.startswith("kept/"):
            self.names += [f"kept:{query}" for query in params.get("queries", [params.get("query")])]
        else:
            self.names.append(name)
        return store.run(self.con, name, params)


def both_ways(run, fn):
    """fn(run) with the rollups and from the raw tables only."""
    with rollups.raw_only():
        raw = fn(run)
    return fn(run), raw


def fixture_scopes() -> list[Scope]:
    october = Scope(date(2026, 10, 1), date(2026, 10, 31))
    return [
        october,
        Scope(date(2026, 9, 1), date(2026, 9, 30)),
        Scope(date(2026, 9, 1), date(2026, 10, 31)),  # two whole months
        Scope(date(2026, 10, 5), date(2026, 10, 20)),  # not whole months: raw both ways
        replace(october, stations=("S1",)),
        replace(october, routes=("R3",)),
        replace(october, btypes=("Z", "S")),
        replace(october, markets=("X",)),
        replace(october, customer=4),
        replace(october, limit=Limit(stations=("S2",))),
        replace(october, limit=Limit(stations=())),  # a role that may see nothing sees nothing
    ]


def demo_scopes(catalog) -> list[Scope]:
    last = Scope(date(2026, 10, 1), date(2026, 10, 31))
    return [
        last,
        Scope(date(2026, 1, 1), date(2026, 3, 31)),  # a quarter
        Scope(date(2024, 11, 1), date(2024, 11, 30)),  # the first month: nothing before it
        Scope(date(2026, 10, 8), date(2026, 10, 21)),
        replace(last, stations=("GD",)),
        replace(last, routes=("GD03", "HT02")),
        replace(last, btypes=("B",), markets=("C",)),
        replace(last, btypes=("B",)),  # one business type alone: kept per slice
        # ... in the first month: last year's month, before the data, from the monthly rollups
        replace(Scope(date(2024, 11, 1), date(2024, 11, 30)), btypes=("B",)),
        replace(last, customer=1027),
        replace(last, limit=Limit(stations=("GD",))),  # a station head: nothing chosen, one station seen
        replace(last, limit=Limit(routes=("GD03", "GD04")), btypes=("Z",)),  # a customer manager
    ]


@pytest.fixture(scope="module")
def demo_con(demo_db):
    con = store.connect(demo_db)
    yield con
    con.close()


def test_fixture_and_demo_have_ready_rollups(fixture_run, demo_run):
    assert rollups.ready(fixture_run) and rollups.ready(demo_run)


def test_every_rollup_has_its_grain(demo_con):
    assert set(rollups.GRAINS) == set(rollups.sections()) | set(rollups.BUILT_IN_PYTHON)
    for table, grain in rollups.GRAINS.items():
        # names from rollups.GRAINS, not from a user: identifiers cannot be bound
        keys = ", ".join(grain) or "1"
        repeats = f"select {keys} from {table} group by all having count(*) > 1 limit 3"
        assert demo_con.execute(repeats).fetchall() == [], table


@pytest.mark.parametrize("index", range(len(fixture_scopes())))
def test_every_kpi_the_same_both_ways_on_the_fixture(fixture_db, index):
    con = store.connect(fixture_db)
    scope = fixture_scopes()[index]
    run = Recorder(con)
    with_rollups, raw = both_ways(run, lambda r: all_kpis(r, scope))
    assert with_rollups == raw
    con.close()


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_every_kpi_the_same_both_ways_on_the_demo(demo_con, index):
    run = Recorder(demo_con)
    scope = demo_scopes(load_catalog(run))[index]
    with_rollups, raw = both_ways(run, lambda r: all_kpis(r, scope))
    assert with_rollups == raw


MONTHLY = ["overview/kpis", "staff/inputs", "satisfaction/dimension_means", "nine_grid/sku_totals"]


def test_the_rollups_are_what_the_pages_read(demo_con):
    # a whole month reads the rollup queries, a part of one the raw ones (else the tests above prove little)
    run = Recorder(demo_con)
    all_kpis(run, Scope(date(2026, 10, 1), date(2026, 10, 31)))
    # the company's month: the staff inputs, the dimension means and the overview's own KPIs (among its
    # headlines) stored per month; a station's: built from the monthly rollups
    kept = ("staff/inputs", "satisfaction/dimension_means", "overview/kpis")
    assert {f"{name}_monthly" for name in MONTHLY if name not in kept} <= set(run.names)
    assert {"staff/inputs_by_month", "kept:satisfaction/dimension_means_monthly"} <= set(run.names)
    assert "overview/headlines_by_month" in run.names
    assert not set(MONTHLY) & set(run.names)
    run.names.clear()
    all_kpis(run, Scope(date(2026, 10, 1), date(2026, 10, 31), stations=("GD",)))
    assert {f"{name}_monthly" for name in MONTHLY} <= set(run.names)
    assert "staff/inputs_by_month" not in run.names
    # the satisfaction KPIs and the gross profit add up rollup rows; off the rollups, every customer's
    assert {"satisfaction/summary_monthly", "overview/profit_monthly"} <= set(run.names)
    assert "overview/profit" not in run.names
    assert not {"satisfaction/customers", "satisfaction/customers_monthly"} & set(run.names)
    run.names.clear()
    all_kpis(run, Scope(date(2026, 10, 3), date(2026, 10, 30)))
    assert set(MONTHLY) <= set(run.names) and "satisfaction/customers" in run.names
    assert not {f"{name}_monthly" for name in MONTHLY} & set(run.names)
    assert "overview/profit_monthly" in run.names  # months are whole in customer_monthly whatever the period
    run.names.clear()
    all_kpis(run, Scope(date(2026, 10, 1), date(2026, 10, 31), customer=1027))
    assert {"overview/profit", "satisfaction/customers_monthly"} <= set(run.names)  # no customer in the grain
    assert not {"overview/profit_monthly", "satisfaction/summary_monthly"} & set(run.names)


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_overview_page_identical(demo_con, index):
    # the headline figures of the three periods, the sparklines and the ranked units
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    fast, raw = both_ways(run, lambda r: overview.gather(r, scope, date(2024, 11, 1)))
    assert (fast.current, fast.previous, fast.last_year) == (raw.current, raw.previous, raw.last_year)
    pd.testing.assert_frame_equal(fast.trend, raw.trend, check_exact=True)
    pd.testing.assert_frame_equal(fast.units, raw.units, check_exact=True)


def test_the_overview_reads_the_rollups(demo_con):
    run = Recorder(demo_con)
    october = Scope(date(2026, 10, 1), date(2026, 10, 31))
    overview.gather(run, october, date(2024, 11, 1))
    names = set(run.names)
    # the whole company's month: the answers stored per month
    assert {"overview/trend_by_month", "overview/units_by_month", "staff/inputs_by_month"} <= names
    assert {"nine_grid/sku_months_monthly", "overview/headlines_by_month"} <= names
    assert "kept:tickets/ranking" in names
    assert not {"overview/trend", "overview/units", "nine_grid/sku_months", "staff/inputs"} & names
    assert not {"tickets/kpis", "tickets/ranking", "overview/kpis_monthly", "programs/kpis"} & names
    # a station's: built from the monthly rollups
    run.names.clear()
    overview.gather(run, replace(october, stations=("GD",)), date(2024, 11, 1))
    names = set(run.names)
    assert {"overview/trend_monthly", "overview/units_monthly", "staff/inputs_monthly"} <= names
    assert {"tickets/ranking", "nine_grid/sku_months_monthly"} <= names
    assert not {"overview/trend_by_month", "overview/units_by_month", "staff/inputs_by_month"} & names
    assert not {"overview/headlines_by_month", "kept:tickets/ranking"} & names
    # the month itself, the month before and last year's are trend rows: no area's own queries
    assert (
        not {"tickets/kpis", "overview/kpis_monthly", "programs/kpis", "nine_grid/sku_totals_monthly"} & names
    )
    asked = [name for name in run.names if not name.startswith("rollups/")]
    assert len(asked) == len(set(asked)) == 5, sorted(asked)
    # one business type alone: its staff inputs and its trend kept per slice
    run.names.clear()
    overview.gather(run, replace(october, btypes=("B",)), date(2024, 11, 1))
    assert {"overview/trend_by_slice_month", "staff/inputs_by_slice_month"} <= set(run.names)
    assert not {"overview/trend_monthly", "staff/inputs_monthly"} & set(run.names)
    # ... in the data's first month: last year's month (which the profit's growth reads) was not kept, and
    # is asked of the monthly rollups alone, the kept months read back (a country has only 12 months)
    run.names.clear()
    overview.gather(
        run, replace(Scope(date(2024, 11, 1), date(2024, 11, 30)), btypes=("B",)), date(2024, 11, 1)
    )
    assert {"overview/trend_by_slice_month", "staff/inputs_by_slice_month"} <= set(run.names)
    assert {"overview/trend_monthly", "staff/inputs_monthly"} <= set(run.names)


def test_every_months_kept_answers_equal_the_raw_tables(demo_con):
    # what the overview's cards and the tickets page read for the company's months, month by month
    run = Recorder(demo_con)
    months = set(store.run(demo_con, "rollups/company_months")["month"].map(rollups._day))
    assert len(months) == 24
    for month in sorted(months):
        scope, span = Scope(month, month_end(month)), (month, month_end(month))
        stored = overview.headline_kpis(run, scope, {span: None})
        with rollups.raw_only():
            assert stored == overview.headline_kpis(run, scope, {span: None}), month
        for query, params_of in rollups._kept_params().items():
            kept = rollups.answer(run, scope, query, params_of(scope))
            raw = store.run(demo_con, query, params_of(scope))
            pd.testing.assert_frame_equal(kept, raw, check_exact=True, obj=f"{query} {month}")
        for name, (query, make) in rollups._kept_derived().items():  # made in Python from an answer
            kept = rollups.answer(run, scope, name, rollups._kept_params()[query](scope))
            made = make(partial(store.run, demo_con), store.run(demo_con, query, scope.params()))
            assert len(made) and made.columns[-1] == "market_type"
            pd.testing.assert_frame_equal(kept, made, check_exact=True, obj=f"{name} {month}")
    assert run.names.count("overview/headlines_by_month") == 24
    kept_names = [*rollups.KEPT_ANSWERS, *rollups._kept_derived()]
    assert {run.names.count(f"kept:{q}") for q in kept_names} == {24}


def test_a_derived_frame_not_kept_is_made_from_the_answer_asked_beside_it(demo_con):
    # a station's view: the untrained list runs once, and the shown rows' names are fetched for it
    run = Recorder(demo_con)
    station = replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), stations=("GD",))
    data = programs.gather(run, station, programs.effect_period(date(2026, 10, 31)))
    assert run.names.count("programs/untrained") == 1 and run.names.count("customer/names") == 1
    assert not [n for n in run.names if n.startswith("kept:")]
    expected = programs.with_owners(partial(store.run, demo_con), data.untrained.head(tables.MAX_TABLE_ROWS))
    assert len(expected) and expected.owner_name.notna().all()
    pd.testing.assert_frame_equal(data.untrained_shown, expected, check_exact=True)
    alone = rollups.answer(run, station, "programs/untrained_shown", station.params())  # its answer run
    pd.testing.assert_frame_equal(alone, expected, check_exact=True)


def test_the_answers_kept_whole_equal_their_queries(demo_con):
    # the sidebar's catalog, the map's stations and the routes' names: the frames the refresh kept
    run = Recorder(demo_con)
    for query in rollups.KEPT_WHOLE:
        kept = rollups.whole(run, query)
        pd.testing.assert_frame_equal(kept, store.run(demo_con, query), check_exact=True, obj=query)
        with rollups.raw_only():
            rollups.whole(run, query)
    asked = [n for n in run.names if not n.startswith("rollups/")]
    assert asked == [name for q in rollups.KEPT_WHOLE for name in (f"kept:{q}", q)]


def test_a_kept_answer_is_read_only_for_the_parameters_it_was_kept_for(demo_con):
    run = Recorder(demo_con)
    october = Scope(date(2026, 10, 1), date(2026, 10, 31))
    rollups.answer(run, october, "tickets/volume", {**tickets.volume_params(october), "grain": "week"})
    rollups.answer(run, replace(october, stations=("GD",)), "tickets/kpis", tickets.target_params(october))
    assert [n for n in run.names if not n.startswith("rollups/")] == ["tickets/volume", "tickets/kpis"]
    # the list's first page as it opens is kept; a search or a clicked unit is asked of the tickets
    run.names.clear()
    tickets.ticket_list(run, october)
    tickets.ticket_list(run, october, "固堤")
    tickets.ticket_list(run, october, unit="station", unit_ids=["GD"])
    assert [n for n in run.names if not n.startswith("rollups/")][:2] == [
        "kept:tickets/list",
        "tickets/list",
    ]
    assert run.names.count("kept:tickets/list") == 1


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_tickets_page_identical(demo_con, index):
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    fast, raw = both_ways(run, lambda r: tickets.gather(r, scope, date(2024, 11, 1)))
    assert (fast.kpis, fast.previous_kpis, fast.extra) == (raw.kpis, raw.previous_kpis, raw.extra)
    for name in ("received_by", "previous_received_by", "volume", "funnel", "closure", "ranking", "backlog"):
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(raw, name), check_exact=True, obj=name)
    pd.testing.assert_frame_equal(fast.tickets, raw.tickets, check_exact=True, obj="list")
    assert fast.n_tickets == raw.n_tickets
    assert fast.curves.keys() == raw.curves.keys()
    for kind, curve in fast.curves.items():
        pd.testing.assert_frame_equal(curve, raw.curves[kind], check_exact=True)


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_programs_effect_identical(demo_con, index):
    # the customers compared, their gross profit windows read off rollup_gp_window_month or averaged
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    for period in [(date(2026, 4, 1), date(2026, 6, 30)), (date(2026, 8, 1), date(2026, 8, 31))]:
        fast, raw = both_ways(run, lambda r, period=period: programs.effect_customers(r, scope, period))
        pd.testing.assert_frame_equal(fast, raw, check_exact=True)
        fast, raw = both_ways(run, lambda r, period=period: programs.effect(r, scope, period))
        assert fast == raw
    assert run.names.count("programs/effect_monthly") == run.names.count("programs/effect") == 4
    # the whole company looks for a kept effect (none: neither period is the default one)
    assert run.names.count("programs/effect_kept") == (2 if rollups.whole_company(scope) else 0)


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_the_kept_effect_of_the_default_period_equals_the_raw_tables(demo_con, index):
    # the training page's first view: the whole company's default period is read off rollup_effect_kept
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    period = programs.effect_period(load_catalog(run).last_day)
    fast, raw = both_ways(run, lambda r: programs.effect(r, scope, period))
    assert fast == raw
    kept = "programs/effect_kept" in run.names and "programs/effect_monthly" not in run.names
    assert kept == rollups.whole_company(scope)
    if kept:
        assert fast["gross_profit"]["n_treated"] > 20 and fast["satisfaction"]["n_control"] > 200


def test_an_effect_of_another_window_reads_the_raw_tables(demo_con):
    run = Recorder(demo_con)
    programs.effect(run, Scope(date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 4, 1), date(2026, 6, 30)), 2)
    assert "programs/effect" in run.names and "programs/effect_monthly" not in run.names


def test_the_version_covers_every_query_a_refresh_runs(fixture_db, tmp_path, monkeypatch):
    path = tmp_path / "refresh.duckdb"
    shutil.copy(fixture_db, path)
    ran, load = set(), store.load_query
    monkeypatch.setattr(store, "load_query", lambda name: ran.add(name) or load(name))
    con = store.connect(path, read_only=False)
    rollups.refresh(con)
    con.close()
    assert ran and ran <= set(rollups.REFRESH_QUERIES)


def test_make_rebuilds_the_demo_db_when_a_file_the_version_digests_changes(tmp_path):
    """A file the rollups' version digests but the Makefile missed would leave `make run` serving a demo DB
    whose rollups are stale (read as missing, so every page falls back to the raw tables)."""
    db = tmp_path / "demo.duckdb"
    db.touch()  # newer than every source: nothing to rebuild unless a digested file is taken as changed
    here = Path(rollups.__file__).parent
    digested = [rollups.ROLLUPS_FILE, *(here / f for f in rollups.COMPUTED_BY)]
    digested += [store.QUERIES_DIR / f"{name}.sql" for name in rollups.REFRESH_QUERIES]
    digested += [Path(inspect.getsourcefile(f)) for f in rollups._computed_by_functions()]
    root = here.parent

    def rebuilds(*what_if: str) -> bool:
        plan = subprocess.run(
            ["make", "-n", f"DB={db}", *(f"--what-if={f}" for f in what_if), str(db)],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            stdin=subprocess.DEVNULL,
        )
        return "dashboard demo" in plan.stdout

    assert not rebuilds()
    for path in digested:
        assert rebuilds(str(path.relative_to(root))), path


def test_the_version_covers_how_kept_frames_are_written_and_read(monkeypatch):
    """store.py is digested by its two kept-frame functions only: a new way to read a kept frame must not
    read frames written the old way, and an edit elsewhere in store.py leaves a country's rollups alone."""

    def other_reader(stream: bytes):
        return None

    before = rollups.version()
    monkeypatch.setattr(store, "_kept", other_reader)
    rollups.version.cache_clear()
    try:
        assert rollups.version() != before
    finally:
        monkeypatch.undo()
        rollups.version.cache_clear()
    assert rollups.version() == before


def test_a_changed_nine_grid_setting_makes_the_rollups_stale(fixture_db, tmp_path, monkeypatch):
    # the stored headlines count slow sellers by the cut-offs: new cut-offs, the raw tables until a refresh
    path = tmp_path / "cutoffs.duckdb"
    shutil.copy(fixture_db, path)
    con = store.connect(path, read_only=False)
    run = partial(store.run, con)
    assert rollups.ready(run)
    original = nine_grid.thresholds()
    monkeypatch.setattr(nine_grid, "thresholds", lambda: {**original, "cutoffs": (0.6, 0.8)})
    assert not rollups.ready(run)
    rollups.refresh(con)
    assert rollups.ready(run)
    con.close()


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_satisfaction_frames_identical(demo_con, index):
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    for name in ("satisfaction/customers", "satisfaction/dimension_means"):
        fast, raw = both_ways(run, lambda r, n=name: satisfaction._query(r, n, scope))
        pd.testing.assert_frame_equal(fast, raw, check_exact=True)


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_satisfaction_page_identical(demo_con, index):
    # what a large scope's page reads instead of every customer: the summary behind its cards, charts and
    # map dots, the follow-up list and the map's grid; each against the same from the customers' rows
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    limits = satisfaction.thresholds()

    def page(r):
        surveyed = satisfaction.gather(r, scope, limits, points=False)
        listed = satisfaction.follow_up_of(r, scope, surveyed, limits)
        return surveyed.summary, listed, satisfaction.grid_of(r, scope, surveyed, 0.01)

    fast, raw = both_ways(run, page)
    for mine, plain in zip(fast, raw, strict=True):
        # sums of floats, added up in another order: equal to 12 digits; every count exactly
        pd.testing.assert_frame_equal(mine, plain, check_exact=False, rtol=1e-12)
        counts = [c for c in mine.columns if c.startswith("n_")]
        pd.testing.assert_frame_equal(mine[counts], plain[counts], check_exact=True)
    assert len(fast[0]) and len(fast[2])
    if rollups.whole_company(scope) and index == 0:  # the company's month: the list the refresh kept
        assert "kept:satisfaction/follow_up_monthly" in run.names and len(fast[1])


@pytest.mark.parametrize("index", range(len(demo_scopes(None))))
def test_nine_grid_identical(demo_con, index):
    run = Recorder(demo_con)
    scope = demo_scopes(None)[index]
    fast, raw = both_ways(run, lambda r: nine_grid.grid(r, scope, scope.date_from, scope.date_to).skus)
    # stock is a sum of floats, added up in another order: equal to 12 digits (the KPIs exactly, above)
    pd.testing.assert_frame_equal(fast, raw, check_exact=False, rtol=1e-12)


SEVERAL_MONTHS = {
    "twelve months across a year's end": Scope(date(2025, 11, 1), date(2026, 10, 31)),
    "from a month's middle": Scope(date(2025, 12, 15), date(2026, 2, 28)),  # January and February
    "two stations": Scope(date(2026, 8, 1), date(2026, 10, 31), stations=("GD", "HT")),
    "a slice": Scope(date(2026, 8, 1), date(2026, 10, 31), btypes=("B",), markets=("C",)),
    "a station head": Scope(date(2026, 8, 1), date(2026, 10, 31), limit=Limit(stations=("GD",))),
}


@pytest.mark.parametrize("scope", SEVERAL_MONTHS.values(), ids=SEVERAL_MONTHS.keys())
def test_a_grid_of_several_months_counts_each_store_once(demo_con, scope):
    # the monthly rollup's store counts add up within a month; over several, rollup_sku_stores counts them
    run = Recorder(demo_con)
    fast, raw = both_ways(run, lambda r: nine_grid.grid(r, scope, scope.date_from, scope.date_to).skus)
    pd.testing.assert_frame_equal(fast, raw, check_exact=False, rtol=1e-12)
    assert {"nine_grid/sku_stores_monthly", "nine_grid/sku_totals"} <= set(run.names)
    assert len(fast) and fast["n_stores"].min() > 0


def test_staff_page_inputs_identical(demo_con):
    run = Recorder(demo_con)
    catalog = load_catalog(run)
    scope = Scope(date(2026, 10, 1), date(2026, 10, 31))
    fast, raw = both_ways(run, lambda r: staff.gather(r, scope, catalog.first_day).inputs)
    pd.testing.assert_frame_equal(fast, raw, check_exact=True)


@pytest.mark.parametrize("stations", [(), ("GD",)], ids=["company", "station"])
def test_staff_inputs_of_a_custom_period_mix_the_rollups_and_the_raw_tables(demo_con, stations):
    # a custom range and the one before it come from the raw tables, the trend months from the rollups:
    # one frame, numbered in the periods' order, equal to the raw query of them all
    run = Recorder(demo_con)
    catalog = load_catalog(run)
    scope = replace(Scope(date(2026, 10, 3), date(2026, 10, 28)), stations=stations)
    fast, raw = both_ways(run, lambda r: staff.gather(r, scope, catalog.first_day).inputs)
    pd.testing.assert_frame_equal(fast, raw, check_exact=True)
    assert set(fast.period_no) == set(range(1, 2 + staff.TREND_MONTHS + 1)) and len(fast)
    run.names.clear()
    staff.gather(run, scope, catalog.first_day)
    monthly = "staff/inputs_by_month" if not stations else "staff/inputs_monthly"
    assert {"staff/inputs", monthly} <= set(run.names)


def test_stale_or_missing_rollups_are_not_read(fixture_db, tmp_path):
    path = tmp_path / "stale.duckdb"
    shutil.copy(fixture_db, path)
    con = store.connect(path, read_only=False)
    run = partial(store.run, con)
    assert rollups.ready(run)
    con.execute("delete from visits where visit_id = 8")  # the raw tables changed, no refresh
    assert not rollups.ready(run)
    rollups.refresh(con)
    assert rollups.ready(run)
    con.execute("drop table rollup_state")
    assert not rollups.ready(run)
    con.close()


@pytest.mark.parametrize(
    "scope",
    [
        Scope(date(2026, 10, 1), date(2026, 10, 31)),
        replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), stations=("GD",)),
        replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), limit=Limit(stations=("HT",))),
        replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), btypes=("B",)),
        replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), markets=("X",)),
        replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), btypes=("B",), markets=("X",)),
        replace(Scope(date(2026, 10, 1), date(2026, 10, 31)), btypes=("B", "Z")),
        Scope(date(2024, 11, 1), date(2024, 11, 30)),  # the first month: no month before it
    ],
    ids=[
        "company",
        "station",
        "station-head",
        "type",
        "market",
        "type-and-market",
        "two-types",
        "first-month",
    ],
)
def test_the_staff_inputs_of_every_month_are_the_same_three_ways(demo_con, scope):
    # the three-labor inputs of the overview's periods: stored per month (company-wide), built from the
    # monthly rollups, and from the raw tables: the same frame to the last bit
    catalog = load_catalog(partial(store.run, demo_con))
    months = staff.trend_months(scope, catalog.first_day)
    periods = list(dict.fromkeys([(scope.date_from, scope.date_to), *months]))
    params = staff.query_params(scope, periods, staff.conf())
    raw = store.run(demo_con, "staff/inputs", params)
    rolled = {k: v for k, v in params.items() if k != "checkin_m"}
    monthly = store.run(demo_con, "staff/inputs_monthly", rolled)
    pd.testing.assert_frame_equal(monthly, raw, check_exact=True)
    run = Recorder(demo_con)
    used = staff._inputs(run, scope, periods, staff.conf())
    pd.testing.assert_frame_equal(used, raw, check_exact=True)
    stored = "staff/inputs_by_month" in run.names
    assert stored == rollups.whole_company(scope)
    # one business type or one market alone: kept per slice too
    assert ("staff/inputs_by_slice_month" in run.names) == (rollups.one_slice(scope) is not None)
