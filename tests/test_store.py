"""The named-query runner: parameters must match the `$names` of the file, no more, no less."""

import re
from datetime import date

import pytest

from dashboard import store
from dashboard.scope import Scope

SCOPE_PARAMS = set(Scope(date(2026, 10, 1), date(2026, 10, 31)).params())


def test_params_are_read_from_the_sql_not_comments_or_strings():
    query = store.load_query("overview/kpis")
    assert query.params == SCOPE_PARAMS | {"low_score"}


def test_refuses_missing_params(fixture_db):
    con = store.connect(fixture_db)
    params = Scope(date(2026, 10, 1), date(2026, 10, 31)).params()
    del params["routes"]
    with pytest.raises(store.QueryParamsError, match=r"missing \['routes'\]"):
        store.run(con, "overview/kpis", {**params, "low_score": 70})


def test_refuses_unexpected_params(fixture_db):
    con = store.connect(fixture_db)
    with pytest.raises(store.QueryParamsError, match=r"unexpected \['station'\]"):
        store.run(con, "filters/stations", {"station": "S1"})


def test_refuses_unknown_and_escaping_names():
    with pytest.raises(KeyError):
        store.load_query("overview/nope")
    with pytest.raises(KeyError):
        store.load_query("../dashboard/schema")


def test_values_are_bound_not_formatted(fixture_db):
    # a hostile value is data: it matches no station and the store is unchanged
    con = store.connect(fixture_db)
    scope = Scope(date(2026, 10, 1), date(2026, 10, 31), stations=("S1'); drop table customers; --",))
    assert store.run(con, "overview/kpis", {**scope.params(), "low_score": 70}).customers_in_scope[0] == 0
    assert store.run(con, "filters/stations").shape[0] == 2


# Parameters a page passes beside the scope (targets from settings.toml, a chart's time bucket).
PAGE_PARAMS = {
    "response_target_hours": 24.0,
    "resolution_kinds": ["consultation", "complaint", "report", "suggestion"],
    "resolution_hours": [24.0, 72.0, 72.0, 168.0],
    "grain": "week",
    "customer_id": 1,
    "low_score": 70.0,
    "drop_points": 10.0,
    # the satisfaction map's grid: a cell's side in degrees
    "cell_size": 0.01,
    "text": "便利",
    "window_months": 3,
    # the staff page: its periods as parallel lists, each with the period before it; the check-in radius
    "period_starts": [date(2026, 10, 1), date(2026, 9, 1)],
    "period_ends": [date(2026, 10, 31), date(2026, 9, 30)],
    "previous_starts": [date(2026, 9, 1), date(2026, 8, 1)],
    "previous_ends": [date(2026, 9, 30), date(2026, 8, 31)],
    "checkin_m": 100.0,
    "staff_id": "CM1",
    # the overview: last year's period beside this one, and the sparkline months
    "ly_from": date(2025, 10, 1),
    "ly_to": date(2025, 10, 31),
    "months": [date(2026, 9, 1), date(2026, 10, 1)],
    # a company-wide monthly rollup's month; a kept answer's query, kept answers' (of "months" above)
    "month": date(2026, 10, 1),
    "query": "tickets/kpis",
    "queries": ["tickets/kpis", "tickets/list"],
    # the level of a rollup kept per company and station; a slice of the company kept per month
    "level": "all",
    "slice": "btypes",
    "code": "B",
    # the customers whose shop names a page shows
    "ids": [1, 2, 3],
    # the ticket list: a search, the fields a role may search, the clicked units, one page of it
    "search": "便利",
    "search_owners": True,
    "search_shops": True,
    "unit": "route",
    "unit_ids": ["R1"],
    "first_rows": 1000,
    "skip_rows": 0,
    # the benchmark's bare scans: the span of days a page reads
    "first_day": date(2026, 9, 1),
    "last_day": date(2026, 10, 31),
    # the data import page: its history's length, the import whose rejected rows to download
    "limit": 50,
    "import_id": 1,
}


# a query's own value of a parameter others share: kept/whole keeps the parameterless queries (kept/answer
# the monthly ones named by "query" above)
OWN_PARAMS = {"kept/whole": {"query": "filters/routes"}}


# audit/ queries run on the audit log's own file (tests/test_access.py), not on the data; ingest/write/
# statements only on an import's work copy (tests/test_ingest.py)
@pytest.mark.parametrize(
    "name", [n for n in store.query_names() if not n.startswith(("audit/", "ingest/write/"))]
)
def test_every_named_query_runs_on_the_fixture(fixture_run, name):
    query = store.load_query(name)
    assert query.params <= SCOPE_PARAMS | set(PAGE_PARAMS), f"{name} uses parameters no caller gives"
    given = Scope(date(2026, 10, 1), date(2026, 10, 31)).params() | PAGE_PARAMS | OWN_PARAMS.get(name, {})
    fixture_run(name, {k: v for k, v in given.items() if k in query.params})


def test_no_formatted_sql_in_code():
    # every SQL value is bound: no f-string or .format() builds SQL in the package or the pages
    pattern = re.compile(r"(execute|sql)\(\s*f[\"']|(execute|sql)\([^)]*\.format\(|(execute|sql)\([^)]*%\s")
    offenders = []
    for path in [*store.ROOT.joinpath("dashboard").rglob("*.py"), *store.ROOT.joinpath("pages").glob("*.py")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_db_path_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_DB", str(tmp_path / "x.duckdb"))
    assert store.db_path() == tmp_path / "x.duckdb"
    monkeypatch.delenv("DASHBOARD_DB")
    assert store.db_path() == store.DEFAULT_DB
    with pytest.raises(FileNotFoundError, match="make demo"):
        store.connect(tmp_path / "missing.duckdb")
