"""URL query params -> Scope -> SQL params, and back: each step a pure function, tested by tables."""

from datetime import date

import pytest

from dashboard.scope import (
    Catalog,
    Scope,
    default_period,
    narrow_routes,
    scope_from_query,
    scope_to_query,
    whole_months,
)

CAT = Catalog(
    stations={"HT": "寒亭", "KY": "开元"},
    routes={"HT01": "HT", "HT02": "HT", "KY01": "KY"},
    route_names={"HT01": "寒亭01线", "HT02": "寒亭02线", "KY01": "开元01线"},
    first_day=date(2024, 11, 1),
    last_day=date(2026, 10, 31),
)
OCT = (date(2026, 10, 1), date(2026, 10, 31))


def q(**kw):
    """A query-param dict as Streamlit gives it: every value a list of strings."""
    return {k: v if isinstance(v, list) else [v] for k, v in kw.items()}


@pytest.mark.parametrize(
    ("query", "expected", "notices"),
    [
        # no params: the latest full month, everything
        ({}, Scope(*OCT), []),
        # the example URL
        (
            q(**{"from": "2026-09-01", "to": "2026-09-30", "station": "HT", "route": "HT02"}),
            Scope(date(2026, 9, 1), date(2026, 9, 30), ("HT",), ("HT02",)),
            [],
        ),
        # repeated keys are lists; duplicates kept once, in order
        (
            q(station=["KY", "HT", "KY"], btype=["B", "Z"], market=["X"]),
            Scope(*OCT, ("KY", "HT"), (), ("B", "Z"), ("X",)),
            [],
        ),
        # a lone `from` means its whole month; a lone `to` starts at its month's first day
        (q(**{"from": "2026-03-01"}), Scope(date(2026, 3, 1), date(2026, 3, 31)), []),
        (q(to="2026-03-15"), Scope(date(2026, 3, 1), date(2026, 3, 15)), []),
        # malformed date: dropped, default used
        (q(**{"from": "2026-13-01"}), Scope(*OCT), [("from", "bad_date")]),
        (q(to="yesterday"), Scope(*OCT), [("to", "bad_date")]),
        # from after to: both dropped
        (q(**{"from": "2026-10-10", "to": "2026-10-01"}), Scope(*OCT), [("from", "from_after_to")]),
        # wholly outside the data: default; partly outside: cut to the data
        (q(**{"from": "2030-01-01", "to": "2030-01-31"}), Scope(*OCT), [("from", "outside_data")]),
        (
            q(**{"from": "2026-10-01", "to": "2027-01-31"}),
            Scope(*OCT),
            [("from", "clipped_to_data")],
        ),
        # unknown station, route and codes are dropped one by one, the rest kept
        (q(station=["HT", "XX"]), Scope(*OCT, ("HT",)), [("station", "unknown_station")]),
        (q(route="NOPE"), Scope(*OCT), [("route", "unknown_route")]),
        (q(btype=["Z", "hotline"]), Scope(*OCT, btypes=("Z",)), [("btype", "unknown_code")]),
        (q(market="城镇"), Scope(*OCT), [("market", "unknown_code")]),
        # a route outside the chosen stations is dropped
        (
            q(station="KY", route=["KY01", "HT01"]),
            Scope(*OCT, ("KY",), ("KY01",)),
            [("route", "route_outside_station")],
        ),
        # a route without a station filter is fine
        (q(route="HT01"), Scope(*OCT, routes=("HT01",)), []),
        # unknown keys are reported and ignored; SQL-looking values are just unknown values
        (q(foo="1"), Scope(*OCT), [("foo", "unknown_param")]),
        (q(station="HT' or 1=1 --"), Scope(*OCT), [("station", "unknown_station")]),
        # empty values clear nothing and report nothing
        (q(station=""), Scope(*OCT), []),
        # one customer by id; anything but digits is dropped
        (q(customer="1027"), Scope(*OCT, customer=1027), []),
        (q(customer="1027 or 1=1"), Scope(*OCT), [("customer", "unknown_customer")]),
        (q(customer=["12", "13"]), Scope(*OCT, customer=12), []),
    ],
)
def test_scope_from_query(query, expected, notices):
    parsed = scope_from_query(query, CAT)
    assert parsed.scope == expected
    assert [(n.key, n.reason) for n in parsed.notices] == notices


@pytest.mark.parametrize(
    ("query", "lang", "notices"),
    [
        ({}, "zh", []),
        (q(lang="en"), "en", []),
        (q(lang="fr"), "zh", [("lang", "unknown_code")]),
    ],
)
def test_language_from_query(query, lang, notices):
    parsed = scope_from_query(query, CAT)
    assert parsed.lang == lang
    assert [(n.key, n.reason) for n in parsed.notices] == notices


def test_extra_keys_are_not_reported():
    # a page's own URL state (e.g. ?customer=...) is not an unknown parameter
    assert scope_from_query(q(customer="12"), CAT, frozenset({"customer"})).notices == []


@pytest.mark.parametrize(
    ("scope", "lang", "query"),
    [
        # dates always written, so a copied URL keeps its period
        (Scope(*OCT), "zh", {"from": ["2026-10-01"], "to": ["2026-10-31"]}),
        (
            Scope(*OCT, ("HT",), ("HT01", "HT02"), ("Z",), ("C",), 7),
            "en",
            {
                "from": ["2026-10-01"],
                "to": ["2026-10-31"],
                "station": ["HT"],
                "route": ["HT01", "HT02"],
                "btype": ["Z"],
                "market": ["C"],
                "customer": ["7"],
                "lang": ["en"],
            },
        ),
    ],
)
def test_scope_to_query_and_back(scope, lang, query):
    assert scope_to_query(scope, lang) == query
    parsed = scope_from_query(query, CAT)
    assert (parsed.scope, parsed.lang, parsed.notices) == (scope, lang, [])


@pytest.mark.parametrize(
    ("scope", "params"),
    [
        (
            Scope(*OCT),
            {
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 10, 31),
                "stations": [],
                "routes": [],
                "btypes": [],
                "markets": [],
                "customer": None,
            },
        ),
        (
            Scope(*OCT, ("HT", "KY"), ("HT01",), ("B",), ("X",), 1027),
            {
                "date_from": date(2026, 10, 1),
                "date_to": date(2026, 10, 31),
                "stations": ["HT", "KY"],
                "routes": ["HT01"],
                "btypes": ["B"],
                "markets": ["X"],
                "customer": 1027,
            },
        ),
    ],
)
def test_sql_params(scope, params):
    assert scope.params() == params


@pytest.mark.parametrize(
    ("period", "previous", "last_year"),
    [
        # one whole month -> the month before, however long
        (OCT, (date(2026, 9, 1), date(2026, 9, 30)), (date(2025, 10, 1), date(2025, 10, 31))),
        ((date(2026, 3, 1), date(2026, 3, 31)), (date(2026, 2, 1), date(2026, 2, 28)), None),
        # a quarter -> the quarter before
        ((date(2026, 7, 1), date(2026, 9, 30)), (date(2026, 4, 1), date(2026, 6, 30)), None),
        # across a year end
        ((date(2026, 1, 1), date(2026, 2, 28)), (date(2025, 11, 1), date(2025, 12, 31)), None),
        # not whole months -> the same number of days just before
        ((date(2026, 10, 10), date(2026, 10, 16)), (date(2026, 10, 3), date(2026, 10, 9)), None),
        # a leap day shifts to 28 Feb a year earlier
        (
            (date(2028, 2, 29), date(2028, 2, 29)),
            (date(2028, 2, 28), date(2028, 2, 28)),
            (date(2027, 2, 28), date(2027, 2, 28)),
        ),
    ],
)
def test_previous_and_last_year(period, previous, last_year):
    scope = Scope(*period)
    assert (scope.previous().date_from, scope.previous().date_to) == previous
    assert scope.previous().days == scope.days or whole_months(*period)
    if last_year:
        assert (scope.last_year().date_from, scope.last_year().date_to) == last_year


@pytest.mark.parametrize(
    ("last_day", "period"),
    [
        (date(2026, 10, 31), OCT),  # data ends on a month end: that month
        (date(2026, 11, 1), OCT),  # one day into November: October is the latest full month
        (date(2026, 3, 15), (date(2026, 2, 1), date(2026, 2, 28))),
        (date(2026, 1, 10), (date(2025, 12, 1), date(2025, 12, 31))),  # across a year end
    ],
)
def test_default_period(last_day, period):
    assert default_period(last_day) == period


@pytest.mark.parametrize(
    ("routes", "stations", "kept"),
    [
        (["HT01", "KY01"], ["HT"], ("HT01",)),
        (["HT01", "KY01"], [], ("HT01", "KY01")),  # no station chosen: every route allowed
        (["HT02"], ["KY"], ()),
    ],
)
def test_route_options_narrow_to_stations(routes, stations, kept):
    assert narrow_routes(routes, stations, CAT) == kept
