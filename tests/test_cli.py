"""python -m dashboard {kpis,demo,bench,refresh} as a user runs them."""

import json
import shutil
import subprocess
import sys
from functools import partial

import duckdb
import pytest

from dashboard import bench, rollups, store


def cli(*args, check=True):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *map(str, args)],
        cwd=store.ROOT, capture_output=True, text=True, check=check, timeout=300,
    )  # fmt: skip


def test_kpis_json_of_the_default_scope(fixture_db):
    # the fixture's data ends on 1 Nov 2026: the default period is October (see tests/test_kpis.py)
    figures = json.loads(cli("kpis", "--json", "--db", fixture_db).stdout)
    assert figures["customers.in_scope"] == 5
    assert figures["satisfaction.overall_mean"] == 76.25
    assert figures["residency.avg_days_per_staff"] == 3.0
    assert list(figures) == sorted(figures)  # one flat object, dotted names


def test_kpis_scope_options(fixture_db):
    out = cli("kpis", "--json", "--db", fixture_db, "--from", "2026-10-01", "--to", "2026-10-31",
              "--station", "S1")  # fmt: skip
    figures = json.loads(out.stdout)
    assert (figures["customers.in_scope"], figures["tickets.received"]) == (3, 2)
    # commas and repeats both work
    both = json.loads(cli("kpis", "--json", "--db", fixture_db, "--btype", "B,Y", "--btype", "S").stdout)
    assert both["customers.in_scope"] == 2  # B: customer 2, S: customer 4, Y: 6 opens in November


def test_kpis_bad_values_warn_and_are_dropped(fixture_db):
    out = cli("kpis", "--json", "--db", fixture_db, "--station", "NOPE", "--from", "2026-02-30")
    assert "There is no station NOPE" in out.stderr
    assert "not a valid date" in out.stderr
    assert json.loads(out.stdout)["customers.in_scope"] == 5  # the whole company, default month


def test_kpis_without_a_database_says_what_to_do(tmp_path):
    out = cli("kpis", "--db", tmp_path / "none.duckdb", check=False)
    assert out.returncode == 2
    assert "make demo" in out.stderr


def test_bench_prints_a_table_and_json(fixture_db):
    out = cli("bench", "--db", fixture_db, "--runs", "2", "--check-scopes", "4").stdout
    table, data = out.rsplit("\n", 2)[0], json.loads(out.strip().splitlines()[-1])
    assert "| overview |" in table and "| scale |" in table
    assert [page["page"] for page in data["pages"]] == [p.name for p in bench.PAGES]  # every page
    for page in data["pages"]:
        assert page["median_ms"] > 0 and page["p95_ms"] >= page["median_ms"] and page["scan_ms"] > 0
        # the naive pandas baseline computed the same figures as the app's queries
        assert page["pandas_same"], (page["page"], page["pandas_differs"])
    # every KPI from the rollups equals the raw tables' on the scopes checked; the served app painted
    assert data["rollups"]["ready"] and data["rollups"]["same"] and data["rollups"]["scopes"] == 4
    assert 0 < data["app"]["healthy_s"] <= data["app"]["first_paint_s"] <= data["app"]["first_page_done_s"]
    assert data["app"]["server_peak_rss_mib"] > 50 and "concurrency" not in data  # not in `make test`
    clicks = data["app"]["clicks"]  # one signed-in session: every page from the menu, twice; a station
    assert set(clicks["first_s"]) == set(clicks["again_s"]) >= {"overview", "complaints", "training"}
    assert min(clicks["first_s"].values()) > 0 and clicks["station_s"] > 0
    assert "clicks of one signed-in session" in table
    # a station head's, a customer manager's and a business type's view of every page, timed
    views = data["filtered"]["views"]
    assert [v.split()[0] for v in views] == ["station", "route", "business"]
    for times in views.values():
        assert list(times) == [p.name for p in bench.PAGES] and min(times.values()) > 0
    assert data["filtered"]["slowest"]["ms"] == max(t for times in views.values() for t in times.values())
    assert "Filtered views" in table and "| station " in table


@pytest.mark.parametrize("seed", [7])
def test_demo_builds_a_store_the_kpis_can_read(tmp_path, seed):
    out = tmp_path / "demo.duckdb"
    result = cli("demo", "--out", out, "--seed", seed, "--quiet")
    assert out.exists() and "built" in result.stderr
    figures = json.loads(cli("kpis", "--json", "--db", out).stdout)
    assert figures["customers.in_scope"] > 1_500
    assert figures["satisfaction.overall_mean"] is not None


def test_kpis_for_one_customer(fixture_db):
    figures = json.loads(cli("kpis", "--json", "--db", fixture_db, "--customer", "1").stdout)
    assert (figures["customers.in_scope"], figures["tickets.received"]) == (1, 1)


def test_refresh_rebuilds_stale_rollups_in_a_copy_and_swaps_it_in(fixture_db, tmp_path):
    # after an upgrade changed what the rollups are built by, `refresh` makes them readable again
    path = tmp_path / "upgraded.duckdb"
    shutil.copy(fixture_db, path)
    con = duckdb.connect(str(path))
    con.execute("update rollup_state set version = 'before-the-upgrade'")
    con.close()
    reader = store.snapshot(path)  # the app's open snapshot keeps reading the file it opened
    assert not rollups.ready(partial(store.run, reader))
    first = cli("refresh", "--db", str(path))
    assert first.stdout.startswith("refreshed ") and str(path) in first.stdout
    assert rollups.ready(partial(store.run, store.snapshot(path)))
    assert not rollups.ready(partial(store.run, reader))
    again = cli("refresh", "--db", str(path))
    assert "up to date" in again.stdout
    assert not list(tmp_path.glob(".upgraded.duckdb.import-*"))  # no work copy left behind
    kpis = json.loads(cli("kpis", "--json", "--db", path).stdout)
    assert kpis == json.loads(cli("kpis", "--json", "--db", fixture_db).stdout)


def test_refresh_in_place_needs_the_store_to_itself_and_rebuilds_it(fixture_db, tmp_path):
    # a store too large to copy (a country's) is refreshed on the file itself, with the app stopped
    path = tmp_path / "large.duckdb"
    shutil.copy(fixture_db, path)
    con = duckdb.connect(str(path))
    con.execute("update rollup_state set version = 'before-the-upgrade'")
    con.close()
    reader = store.snapshot(path)  # the app, still serving the store
    refused = cli("refresh", "--in-place", "--db", path, check=False)
    assert refused.returncode == 1 and "open in another process" in refused.stderr
    assert not rollups.ready(partial(store.run, reader))  # untouched: still the stale state
    reader.close()
    done = cli("refresh", "--in-place", "--memory-limit", "1GB", "--db", path)
    assert done.stdout.startswith("refreshed ") and "rollup_state" in done.stderr
    con = store.connect(path)
    assert rollups.ready(partial(store.run, con))
    con.close()
    assert not path.with_name("large.duckdb.wal").exists()  # checkpointed: the file is the whole store
    assert "up to date" in cli("refresh", "--in-place", "--db", path).stdout
    kpis = json.loads(cli("kpis", "--json", "--db", path).stdout)
    assert kpis == json.loads(cli("kpis", "--json", "--db", fixture_db).stdout)


def test_refresh_without_a_database_says_so(tmp_path):
    done = cli("refresh", "--db", str(tmp_path / "none.duckdb"), check=False)
    assert done.returncode == 2 and "no database at" in done.stderr


def test_bench_reports_an_app_that_timed_out_and_keeps_the_page_figures(fixture_db, monkeypatch):
    """A served app that never painted (a national store whose rollups went stale under the run) is a
    result of the run, not the end of it."""
    from dashboard.bench import app

    def timed_out(db, rounds=3):
        raise TimeoutError("Timeout 120000ms exceeded.\nwaiting for the overview")

    monkeypatch.setattr(app, "available", lambda: None)
    monkeypatch.setattr(app, "cold_start", timed_out)
    out = bench.bench("demo", runs=1, db=fixture_db, pandas=False, check_scopes=0, filtered=False)
    assert out["json"]["app"] == {"failed": "TimeoutError: Timeout 120000ms exceeded."}
    assert "- app: **failed**: TimeoutError" in out["table"] and "| overview |" in out["table"]
