"""Rollups: pre-aggregated tables kept in step with the raw tables, and when a page may read them.

`refresh(con)` rebuilds every rollup of dashboard/rollups.sql from the raw tables on the caller's
connection, so inside the caller's transaction (the demo build and the import's apply step call it), and
records what they were built from in `rollup_state`: the definitions' digest, the settings they depend on
and every raw table's row count. A page reads a rollup only when that record still matches the store and
the settings (`ready`), and the period is one the rollup answers (`whole_months`); otherwise it reads
the raw tables. Both ways give the same figures: tests/test_rollups.py, and `bench` at every scale.

Besides the tables of rollups.sql, the refresh keeps the whole company's answers of every calendar month,
the view most people open (a month, no filter): the pages' own queries and KPI functions run once per
month over the rollups just built (COMPANY_QUERIES, KEPT_ANSWERS, the overview's headline figures) and
read back for those periods instead of running again.
"""

from __future__ import annotations

import contextvars
import hashlib
import inspect
import json
import re
import sys
import threading
import time
from collections.abc import Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, timedelta
from functools import cache, partial
from pathlib import Path
from typing import TypeVar

import duckdb

from dashboard import parallel
from dashboard.scope import BUSINESS_TYPES, MARKET_TYPES, Scope, month_end, whole_months

K = TypeVar("K")
ROLLUPS_FILE = Path(__file__).with_name("rollups.sql")
# Company-wide answers of every calendar month: the pages' own queries (over the rollups above) run with
# no filter, each month a period, and stored; read back for the months a page asks for, the same frames.
COMPANY_QUERIES = ("staff/inputs_monthly", "overview/trend_monthly", "overview/units_monthly")
# The company but one business type, or one market (a sidebar filter and nothing else): its staff inputs and
# the overview's trend of every month are kept too, per slice (rollup_*_slice_month) — the two largest
# queries of such a view's overview, 14 periods over a large part of the customers (a province's business
# type: ~0.5 s and ~0.15 s).
SLICES = {"btypes": BUSINESS_TYPES, "markets": MARKET_TYPES}
# Named queries whose answer for the whole company and each calendar month is kept as it is: the frame
# itself, one row of rollup_answers (an Arrow IPC stream; see `answers`). One row to read, not the answer's
# thousands of rows, and a page's kept answers in one statement: a city month's complaint page read its
# eleven kept answers in 55 ms as tables, 17 ms as frames each in a statement (bench medians).
KEPT_ANSWERS = (
    "tickets/kpis",
    "tickets/list",  # its first page, as the page opens (no search, no unit clicked)
    "tickets/ranking",
    "tickets/received_by",
    "tickets/funnel",
    "tickets/volume",
    "tickets/backlog",
    "tickets/resolution_times",
    "programs/kpis",
    "programs/training_by",
    "programs/untrained",
    "programs/residencies",
    "satisfaction/summary_monthly",
    "satisfaction/dimension_means_monthly",
    "satisfaction/follow_up_monthly",
)
# Named queries without parameters that most page views read (the sidebar's stations, routes and the data's
# range; the map's stations and the routes' names), kept whole the same way (`whole`): a country's 137,500
# routes took 32 ms and 66 ms to read and convert, their frames ~1 ms.
KEPT_WHOLE = (
    "filters/stations",
    "filters/routes",
    "filters/data_range",
    "satisfaction/stations",
    "satisfaction/routes",
)
# The named queries a refresh runs (tests/test_rollups.py records them) and the modules whose functions it
# runs: with rollups.sql, what the rollups' version digests. A change to any of them makes the rollups
# stale (pages read the raw tables) until the next refresh.
REFRESH_QUERIES = (
    *KEPT_WHOLE,
    *COMPANY_QUERIES,
    *KEPT_ANSWERS,
    "customer/names",  # the shown rows' names (_kept_derived)
    "overview/kpis_monthly",  # the headline figures (overview.area_figures)
    "overview/profit_monthly",
    "programs/effect_monthly",  # the default period's effect (rollup_effect_kept)
    "nine_grid/sku_totals_monthly",
)
COMPUTED_BY = (
    "rollups.py",
    "overview.py",
    "kpis.py",
    "tickets.py",
    "nine_grid.py",
    "metrics/nine_grid.py",
    "programs.py",
    "satisfaction.py",
    "staff.py",
    "scope.py",
)
# The raw tables the rollups are built from; their row counts at refresh are kept to notice a change.
SOURCES = (
    "customers",
    "routes",
    "staff",
    "customer_monthly",
    "surveys",
    "tickets",
    "visit_plans",
    "visits",
    "training_sessions",
    "training_attendance",
    "residencies",
    "product_sales_monthly",
)
# Each rollup's grain: the columns that identify a row (tests/test_rollups.py checks they do).
GRAINS = {
    "rollup_staff_month": ("staff_id", "customer_id", "month"),
    "rollup_survey_month": ("customer_id", "month"),
    "rollup_satisfaction_month": ("month", "route_id", "business_type", "market_type", "is_open"),
    "rollup_profit_month": ("month", "route_id", "business_type", "market_type"),
    "rollup_gp_window_month": ("customer_id", "month"),
    "rollup_sku_month": (
        "level",
        "station_id",
        "business_type",
        "market_type",
        "sku_id",
        "month",
    ),
    "rollup_sku_stores": ("sku_id", "customer_id", "year"),
    "rollup_visit_month": ("customer_id", "month"),
    "rollup_staff_inputs_month": ("date_from", "staff_id"),
    "rollup_staff_inputs_slice_month": ("slice", "code", "date_from", "staff_id"),
    "rollup_trend_slice_month": ("slice", "code", "month"),
    "rollup_trend_month": ("month",),
    "rollup_units_month": ("month", "unit", "unit_id"),
    "rollup_headlines_month": ("month",),
    "rollup_effect_kept": ("date_from", "date_to"),
    "rollup_company_months": ("month",),
    "rollup_answers": ("query", "answer_month"),
    "rollup_state": (),
}


BUILT_IN_PYTHON = (  # by _company_months
    "rollup_staff_inputs_month",
    "rollup_staff_inputs_slice_month",
    "rollup_trend_slice_month",
    "rollup_trend_month",
    "rollup_units_month",
    "rollup_headlines_month",
    "rollup_effect_kept",
    "rollup_company_months",
    "rollup_answers",
)
_SECTION = re.compile(r"^-- rollup: (\w+)\s*$", re.MULTILINE)
_raw_only = contextvars.ContextVar("raw_only", default=False)
_building = contextvars.ContextVar("building", default=False)  # refresh: the tables just built are ready


def sections() -> dict[str, str]:
    """rollup table -> its `create or replace table` statement, in build order."""
    text = ROLLUPS_FILE.read_text(encoding="utf-8")
    parts = _SECTION.split(text)[1:]
    return {name: sql.strip().rstrip(";") for name, sql in zip(parts[::2], parts[1::2], strict=True)}


@cache
def version() -> str:
    """A digest of what builds the rollups, read once a process: the code running is the code it first
    read (every rollup check asked for it, ~1 ms of file reads each, a dozen a page)."""
    from dashboard import store

    here = Path(__file__).parent
    queries = (store.QUERIES_DIR / f"{q}.sql" for q in REFRESH_QUERIES)
    sources = [ROLLUPS_FILE, *queries, *(here / f for f in COMPUTED_BY)]
    functions = "".join(inspect.getsource(f) for f in _computed_by_functions()).encode()
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources) + functions).hexdigest()[:12]


def _computed_by_functions() -> tuple:
    """The functions of general modules a refresh runs, digested by their source alone: an edit elsewhere
    in store.py left a country's rollups stale (24 minutes of refresh) when the whole file was."""
    from dashboard import store, tables

    return (store.kept_frame, store._kept, tables.with_names)


def settings_used() -> dict:
    """The settings the rollups bake in (a change makes them unusable until the next refresh)."""
    from dashboard.nine_grid import thresholds
    from dashboard.programs import WINDOW_MONTHS
    from dashboard.settings import settings
    from dashboard.staff import conf
    from dashboard.tickets import targets

    return {
        "checkin_m": conf()["checkin_distance_m"],
        "tickets": targets(),
        "low_score": float(settings()["satisfaction"]["low_score"]),
        "drop_points": float(settings()["satisfaction"]["drop_points"]),
        "nine_grid": {k: list(v) if isinstance(v, tuple) else v for k, v in thresholds().items()},
        "window_months": WINDOW_MONTHS,
    }


def refresh(con, progress: bool = False) -> dict[str, int]:
    """Rebuild every rollup from the raw tables on `con` (inside its transaction, if one is open) and
    record the state they were built from. Returns the row count of each rollup; with `progress`, each
    one's name and seconds go to stderr as it is built (a country's refresh takes most of an hour)."""
    given = settings_used()
    counts = {t: _count(con, t) for t in SOURCES}
    params = {
        **given,
        "version": version(),
        "settings": json.dumps(given, sort_keys=True),
        "source_counts": json.dumps(counts, sort_keys=True),
    }
    built = {}
    for table, sql in sections().items():
        if table == "rollup_state":  # last: after the tables it vouches for
            with _timed("the company's months", progress):
                built |= _company_months(con)
        names = set(re.findall(r"\$([A-Za-z_]\w*)", sql))
        with _timed(table, progress):
            con.execute(sql, {k: v for k, v in params.items() if k in names})
        built[table] = _count(con, table)
    return built


def file_ready(path: Path) -> bool:
    """`ready` for a store file no one has open for writing (the CLI, the bench)."""
    from dashboard import store

    con = store.connect(path, read_only=True)
    try:
        return ready(partial(store.run, con))
    finally:
        con.close()


def refresh_file(path: Path, memory_limit: str | None = None, progress: bool = False) -> dict[str, int]:
    """Rebuild the rollups on the store file itself, not a copy: for the build, and a store too large to
    copy (a country's: 33 GB). Its `rollup_state` goes first, so should the refresh fail the pages read the
    raw tables (slower, the same figures) until one succeeds. Needs the file to itself: no app open on it.
    Sorts and joins larger than `memory_limit` spill to a folder beside the file."""
    from dashboard import store

    con = store.connect(path, read_only=False)
    try:
        if memory_limit:
            con.execute("set memory_limit = $limit", {"limit": memory_limit})
        con.execute("set temp_directory = $dir", {"dir": str(Path(path).parent / ".duckdb-tmp")})
        con.execute("drop table if exists rollup_state")
        built = refresh(con, progress=progress)
        con.execute("checkpoint")
        return built
    finally:
        con.close()


@contextmanager
def _timed(what: str, progress: bool):
    started = time.perf_counter()
    yield
    if progress:
        print(f"  rollups: {what} in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def _company_months(con) -> dict[str, int]:
    """The company-wide answers of every calendar month of the data (see COMPANY_QUERIES): the staff
    inputs and the overview's trend with every month as a period in one run each, the overview's units
    one month at a time; and the months they hold."""
    from dashboard import store
    from dashboard.overview import trend_params

    first, last = con.execute(store.load_query("filters/data_range").sql).fetchone()
    months = []
    if first is not None:
        month = first.replace(day=1)
        while month <= last:
            months.append((month, month_end(month)))
            month = month_end(month) + timedelta(days=1)
    company = Scope(first or date(2000, 1, 1), last or date(2000, 1, 1))  # an empty store: no months
    _store(con, "rollup_staff_inputs_month", "staff/inputs_monthly", _inputs_params(company, months))
    _store(con, "rollup_trend_month", "overview/trend_monthly", trend_params(company, [m for m, _ in months]))
    _store_slices(con, company, months)
    low_score = settings_used()["low_score"]

    def units(one: Scope) -> dict:
        before = one.last_year()
        return {**one.params(), "ly_from": before.date_from, "ly_to": before.date_to, "low_score": low_score}

    whole, keep = months or [(company.date_from, company.date_to)], bool(months)  # empty store: no rows
    _store_each(con, "rollup_units_month", "overview/units_monthly", whole, units, keep)
    _store_answers(con, months)
    _store_headlines(con, months)
    _store_effect(con, last if months else None)
    con.execute(
        "create or replace table rollup_company_months as select unnest($months::date[]) as month",
        {"months": [m for m, _ in months]},
    )
    return {t: _count(con, t) for t in BUILT_IN_PYTHON}


def _kept_params() -> dict:
    """KEPT_ANSWERS -> how the query's parameters come from a scope (the pages' own functions)."""
    from dashboard import satisfaction, tickets

    params = {
        "tickets/kpis": tickets.target_params,
        "tickets/list": tickets.list_params,
        "tickets/ranking": tickets.target_params,
        "tickets/received_by": Scope.params,
        "tickets/funnel": Scope.params,
        "tickets/volume": tickets.volume_params,
        "tickets/backlog": tickets.backlog_params,
        "tickets/resolution_times": Scope.params,
        "programs/kpis": Scope.params,
        "programs/training_by": Scope.params,
        "programs/untrained": Scope.params,
        "programs/residencies": Scope.params,
        "satisfaction/summary_monthly": satisfaction.scope_params,
        "satisfaction/dimension_means_monthly": satisfaction.scope_params,
        "satisfaction/follow_up_monthly": satisfaction.follow_up_params,
    }
    assert set(params) == set(KEPT_ANSWERS)
    return params


def _kept_derived() -> dict:
    """Frames a page makes in Python from a KEPT_ANSWERS answer, kept at refresh beside it (its month, its
    parameters): name -> (the answer, how). The training page's shown rows of its untrained list with their
    names: customer/names for those 2,000 ids was 11 ms of the page's 17 at city."""
    from dashboard import programs

    return {"programs/untrained_shown": ("programs/untrained", programs.shown_untrained)}


def answer(run, scope: Scope, query: str, params: dict):
    """A named query's frame: the one the refresh kept, or the query run (see `answers`)."""
    return answers(run, {query: (scope, query, params)})[query]


def answers(run, asked: Mapping[K, tuple[Scope, str, dict]]) -> dict[K, object]:
    """Each asked (scope, named query, parameters)'s frame. A KEPT_ANSWERS query for the whole company and
    one calendar month (and the parameters the refresh gave it) answers with the frame kept at refresh;
    those are read in one statement (kept/answers.sql; kept/answer.sql for one), the others run at the
    same time (`parallel`). A frame derived from an answer (`_kept_derived`) is read the same way, or made
    from its answer (the one asked beside it, else the answer read or run)."""
    derived = _kept_derived()
    params_of = {**_kept_params(), **{name: _kept_params()[base] for name, (base, _) in derived.items()}}
    kept = {
        key: (query, scope.date_from)
        for key, (scope, query, params) in asked.items()
        if query in params_of and kept_month(run, scope) and params == params_of[query](scope)
    }
    got = {}
    if len(kept) == 1:
        [(key, (query, month))] = kept.items()
        got = {key: run("kept/answer", {"query": query, "month": month})}
    elif kept:
        queries, months = (list(column) for column in zip(*kept.values(), strict=True))
        frames = run("kept/answers", {"queries": queries, "months": months})
        found = {(query, month): frame for query, month, frame in frames.itertuples(index=False)}
        missing = set(kept.values()) - set(found)
        if missing:  # kept_month asks only for the months the refresh kept
            raise LookupError(f"no kept answer of {sorted(missing)}: run `python -m dashboard refresh`")
        got = {key: found[asked_for] for key, asked_for in kept.items()}
    rest = {
        key: partial(run, query, params)
        for key, (_, query, params) in asked.items()
        if key not in kept and query not in derived
    }
    got |= parallel.named(rest)
    for key, (scope, query, params) in asked.items():
        if key not in got:  # a derived frame not kept
            base, make = derived[query]
            beside = [got[k] for k, (s, q, p) in asked.items() if (s, q, p) == (scope, base, params)]
            got[key] = make(run, beside[0] if beside else answer(run, scope, base, params))
    return {key: got[key] for key in asked}


def kept_month(run, scope: Scope) -> bool:
    """Whether the refresh kept the scope's answers (KEPT_ANSWERS, the overview's): the whole company, one
    calendar month of the data, the rollups ready; not while a refresh makes them (they would read
    themselves)."""
    return (
        not building() and ready(run) and company_months_cover(run, scope, [(scope.date_from, scope.date_to)])
    )


def kept_headlines(run, scope: Scope) -> dict | None:
    """The overview's headline figures of a company month as the refresh kept them (every area's own,
    `overview.area_figures`), or None when it did not keep the scope's (`kept_month`)."""
    if not kept_month(run, scope):
        return None
    return json.loads(run("overview/headlines_by_month", {"month": scope.date_from})["figures"].iloc[0])


def whole(run, query: str):
    """A KEPT_WHOLE query's frame: the one the refresh kept when the rollups are ready, else the query run."""
    if query in KEPT_WHOLE and not building() and ready(run):
        return run("kept/whole", {"query": query})
    return run(query, {})


def _store_answers(con, months) -> None:
    """Each KEPT_WHOLE query's answer, and each KEPT_ANSWERS query's answer for the whole company and each
    calendar month, as its frame (an Arrow IPC stream that store.frame reads back as the query's own)."""
    from dashboard import store

    # stored as they are: DuckDB would compress the column as one ZSTD segment, which a read of any one
    # frame then inflates whole (a city's 60 MB: 53 ms a read, against 0.5 ms)
    con.execute(
        "create or replace table rollup_answers "
        "(query varchar, answer_month date, arrow_ipc blob using compression uncompressed)"
    )
    asked = [(query, None, {}) for query in KEPT_WHOLE]
    asked += [(q, start, of(Scope(start, end))) for q, of in _kept_params().items() for start, end in months]
    made_from = {base: (name, make) for name, (base, make) in _kept_derived().items()}
    for query, month, params in asked:
        answer = store.frame(con.execute(store.load_query(query).sql, params))
        kept = [(query, answer)]
        if query in made_from:
            name, make = made_from[query]
            with _computing():
                kept.append((name, make(_runner(con), answer)))
        for name, frame in kept:
            con.execute(
                "insert into rollup_answers values ($query, $month, $frame)",
                {"query": name, "month": month, "frame": store.kept_frame(frame)},
            )


def _store_each(con, table: str, query: str, months, params_of, keep: bool) -> None:
    """A named query's answer for each calendar month as a period of its own, kept with its month."""
    from dashboard import store

    con.execute("drop table if exists " + table)  # sql: identifiers only (a rollup's name)
    for n, (start, end) in enumerate(months):
        rows = con.sql(store.load_query(query).sql, params=params_of(Scope(start, end)))
        rows = rows.select(duckdb.ConstantExpression(start).alias("month"), duckdb.StarExpression())
        if not keep:  # the table, empty
            rows.limit(0).to_table(table)
        elif n:
            rows.insert_into(table)
        else:
            rows.to_table(table)


def _inputs_params(scope: Scope, months) -> dict:
    """staff/inputs_monthly's parameters for the months as periods (the check-in radius is
    rollup_staff_month's, so not one of them)."""
    from dashboard.staff import conf, query_params

    params = query_params(scope, months, conf())
    del params["checkin_m"]
    return params


def _store_slices(con, company: Scope, months) -> None:
    """For each business type and each market alone (SLICES): the staff inputs and the overview's trend of
    every calendar month, each query run once per slice with every month as a period, kept with the slice."""
    from dashboard import store
    from dashboard.overview import trend_params

    firsts = [m for m, _ in months]
    pieces = [(kind, code) for kind, codes in SLICES.items() for code in codes]
    for table, query, params_of in (
        ("rollup_staff_inputs_slice_month", "staff/inputs_monthly", lambda one: _inputs_params(one, months)),
        ("rollup_trend_slice_month", "overview/trend_monthly", lambda one: trend_params(one, firsts)),
    ):
        con.execute("drop table if exists " + table)  # sql: identifiers only (a rollup's name)
        sql = store.load_query(query).sql
        for n, (kind, code) in enumerate(pieces):
            rows = con.sql(sql, params=params_of(replace(company, **{kind: (code,)}))).select(
                duckdb.ConstantExpression(kind).alias("slice"),
                duckdb.ConstantExpression(code).alias("code"),
                duckdb.StarExpression(),
            )
            if n:
                rows.insert_into(table)
            else:
                rows.to_table(table)


def _store_headlines(con, months) -> None:
    """The overview's headline figures of each calendar month for the whole company (every area's own
    function, as JSON: nested counts and all), computed from the rollups just built."""
    from dashboard import overview

    run = _runner(con)
    with _computing():
        figures = [json.dumps(overview.area_figures(run, Scope(a, b))) for a, b in months]
    con.execute(
        "create or replace table rollup_headlines_month as "
        "select unnest($months::date[]) as month, unnest($figures::varchar[]) as figures",
        {"months": [m for m, _ in months], "figures": figures},
    )


def _store_effect(con, last_day: date | None) -> None:
    """The whole company's programs effect for the data's default period (the training page's first
    view), computed from the rollups just built; none for an empty store."""
    from dashboard import programs

    kept = []
    if last_day is not None:
        period = programs.effect_period(last_day)
        with _computing():
            result = programs.effect(_runner(con), Scope(*period), period)
        kept.append((*period, json.dumps({k: result[k] for k in ("gross_profit", "satisfaction")})))
    con.execute("create or replace table rollup_effect_kept (date_from date, date_to date, measures varchar)")
    if kept:
        con.executemany("insert into rollup_effect_kept values (?, ?, ?)", kept)


def _runner(con):
    """The named-query runner on `con` itself, so inside its open transaction (a cursor would not see it);
    one query at a time, since a connection refuses a second call while busy and the pages' functions ask
    for some of theirs from two threads at once (dashboard/parallel.py)."""
    from dashboard import store

    busy = threading.Lock()

    def run(name: str, params: dict | None = None):
        query, params = store.load_query(name), dict(params or {})
        store.check_params(query, params)
        with busy:
            return con.execute(query.sql, params).df()

    return run


def _store(con, table: str, query: str, params: dict) -> None:
    """A named query's answer kept as a table (the query's text, its values bound)."""
    from dashboard import store

    con.execute("drop table if exists " + table)  # sql: identifiers only (a rollup's name)
    con.sql(store.load_query(query).sql, params=params).to_table(table)


def _count(con, table: str) -> int:
    return con.table(table).aggregate("count(*)").fetchall()[0][0]


@contextmanager
def _computing():
    """Within this block the refresh computes kept answers: the rollups just built count as ready, and no
    kept answer is read (see `building`)."""
    token = _building.set(True)
    try:
        yield
    finally:
        _building.reset(token)


@contextmanager
def raw_only():
    """Within this block every page reads the raw tables (the consistency test's other side)."""
    token = _raw_only.set(True)
    try:
        yield
    finally:
        _raw_only.reset(token)


def ready(run) -> bool:
    """Whether the store's rollups were built by these definitions, with these settings, from the raw
    tables as they are now. The app's runner caches each check per DB version."""
    if _raw_only.get():
        return False
    if _building.get():
        return True
    if run("rollups/exists", {}).empty:
        return False
    state = run("rollups/state", {}).to_dict("records")[0]
    if state["version"] != version() or json.loads(state["settings"]) != settings_used():
        return False
    return json.loads(state["source_counts"]) == json.loads(state["counts_now"])


def usable(run, scope: Scope, periods: list[tuple[date, date]] | None = None) -> bool:
    """Whether a page may read the rollups for this scope: they are ready and every period is whole
    months (a single customer is fine: the rollups keep the customer)."""
    return whole_months_only(scope, periods) and ready(run)


def whole_company(scope: Scope) -> bool:
    """Whether no filter (nor a role's limit) narrows the company."""
    given = scope.filter_params()
    narrowed = any(given[k] for k in ("stations", "routes", "btypes", "markets"))
    return not narrowed and given["customer"] is None


def building() -> bool:
    """Whether a refresh is computing the kept answers (which must not read themselves)."""
    return _building.get()


def company_months_cover(run, scope: Scope, periods: list[tuple[date, date]]) -> bool:
    """Whether the company-wide monthly rollups answer these periods: no filter (nor limit) narrows the
    company, each period is one calendar month, and every one of them was built (call after `ready`)."""
    return whole_company(scope) and len(kept_periods(run, scope, periods)) == len(periods)


def kept_periods(run, scope: Scope, periods: list[tuple[date, date]]) -> list[int]:
    """The positions of the periods whose staff inputs and trend the refresh kept for the scope: the whole
    company or one slice (`one_slice`), a calendar month of the data (call after `ready`). The others (a
    year ago's month before a country's 12, say) are asked of the monthly rollups alone, not all of them."""
    if not periods or (not whole_company(scope) and one_slice(scope) is None):
        return []
    built = set(run("rollups/company_months", {})["month"].map(_day))
    return [i for i, (a, b) in enumerate(periods) if whole_months(a, b) == 1 and a in built]


def one_slice(scope: Scope) -> tuple[str, str] | None:
    """(filter, code) when the scope is the whole company but for one business type or one market (SLICES,
    no station, route or customer, nor a role's limit naming them); None otherwise."""
    given = scope.filter_params()
    if given["customer"] is not None or given["stations"] or given["routes"]:
        return None
    picked = [(kind, given[kind]) for kind in SLICES if given[kind]]
    if len(picked) != 1 or len(picked[0][1]) != 1:
        return None
    kind, (code,) = picked[0]
    return kind, code


def _day(value) -> date:
    return value.date() if hasattr(value, "date") else value


def level(scope: Scope) -> str | None:
    """The coarsest level of a rollup kept per 'all' and 'station' that serves the filters as the SQL gets
    them (cut to a role's limit, which may name stations or routes nobody chose); None with routes."""
    given = scope.filter_params()
    return None if given["routes"] else "station" if given["stations"] else "all"


def whole_months_only(scope: Scope, periods: list[tuple[date, date]] | None = None) -> bool:
    """Whether the scope's period (or every one of `periods`) is made of whole calendar months."""
    spans = periods or [(scope.date_from, scope.date_to)]
    return all(whole_months(a, b) for a, b in spans)
