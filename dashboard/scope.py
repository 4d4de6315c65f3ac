"""The filter scope: URL query params -> Scope -> SQL params, each step a pure function.

The scope is the one place that turns filters into SQL parameters, so no page can forget one.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

BUSINESS_TYPES = ("Z", "B", "S", "Y", "F", "M", "Q")
MARKET_TYPES = ("C", "X")
LANGUAGES = ("zh", "en")

# URL keys of the scope; a repeated key carries a list (?station=HT&station=KY).
SCOPE_KEYS = ("from", "to", "station", "route", "btype", "market", "customer")
# URL keys read elsewhere (language, page-specific state); kept, never reported as unknown.
OTHER_KEYS = frozenset({"lang", *("slide", "present")})
# Of those, the ones a page keeps in its own URL beside the scope (presentation mode's slide number).
PAGE_KEYS = ("slide", "present")


@dataclass(frozen=True)
class Catalog:
    """What the filters may choose from, read once from the store."""

    stations: Mapping[str, str]  # station_id -> name
    routes: Mapping[str, str]  # route_id -> station_id
    route_names: Mapping[str, str]  # route_id -> name
    first_day: date
    last_day: date

    def routes_of(self, stations: Sequence[str]) -> list[str]:
        """Route ids that belong to the chosen stations (all routes when none is chosen)."""
        return [r for r, s in self.routes.items() if not stations or s in stations]

    def within(self, limit: Limit | None) -> Catalog:
        """Only the stations and routes a role may see: what its filter widgets offer."""
        if limit is None:
            return self
        routes = {r: s for r, s in self.routes.items() if limit.allows(s, r)}
        stations = {s: n for s, n in self.stations.items() if limit.allows_station(s)}
        names = {r: n for r, n in self.route_names.items() if r in routes}
        return replace(self, stations=stations, routes=routes, route_names=names)


# A list that matches no id: a limited role whose allowed set is empty sees nothing, never everything
# (an empty list means "no filter" to the scoped_customers macro).
NO_ROWS = (" <no rows>",)


@dataclass(frozen=True)
class Limit:
    """The rows a role may see, by station and route: None = no limit on that field."""

    stations: tuple[str, ...] | None = None
    routes: tuple[str, ...] | None = None
    one_customer: bool = True  # may narrow to one customer (False: aggregates only)

    def allows_station(self, station: str) -> bool:
        return self.stations is None or station in self.stations

    def allows(self, station: str, route: str | None = None) -> bool:
        """A station (and route) is visible when both limits allow it."""
        return self.allows_station(station) and (route is None or self.routes is None or route in self.routes)

    @staticmethod
    def clamp(chosen: Sequence[str], allowed: tuple[str, ...] | None) -> list[str]:
        """The chosen ids the limit allows; none chosen (or none left) means all allowed ones."""
        if allowed is None:
            return list(chosen)
        kept = [c for c in chosen if c in allowed]
        return kept or list(allowed or NO_ROWS)

    def params(self) -> dict:
        """The limit alone as SQL parameters (empty lists = no limit)."""
        return {"stations": Limit.clamp((), self.stations), "routes": Limit.clamp((), self.routes)}


@dataclass(frozen=True)
class Scope:
    date_from: date
    date_to: date
    stations: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    btypes: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    customer: int | None = None  # one customer (a drill-down, or a store on the nine-grid)
    limit: Limit | None = None  # the signed-in role's rows; applied to every query's parameters

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    def params(self) -> dict:
        """SQL parameters of every scoped query: the period and the four customer filters."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            **self.filter_params(),
        }

    def filter_params(self) -> dict:
        """The customer filters alone, for queries that take no period; cut to the role's limit."""
        limit = self.limit or Limit()
        return {
            "stations": Limit.clamp(self.stations, limit.stations),
            "routes": Limit.clamp(self.routes, limit.routes),
            "btypes": list(self.btypes),
            "markets": list(self.markets),
            "customer": self.customer if limit.one_customer else None,
        }

    def limit_params(self) -> dict:
        """The role's limit alone, without the filters: for finding one customer by id or by text."""
        return (self.limit or Limit()).params()

    def without_customer(self) -> Scope:
        return replace(self, customer=None)

    def previous(self) -> Scope:
        """The period of equal length just before: whole months shift by months, else by days."""
        months = whole_months(self.date_from, self.date_to)
        if months:
            start = add_months(self.date_from, -months)
            return replace(self, date_from=start, date_to=month_end(add_months(start, months - 1)))
        return replace(
            self,
            date_from=self.date_from - timedelta(days=self.days),
            date_to=self.date_from - timedelta(days=1),
        )

    def last_year(self) -> Scope:
        """The same dates one year earlier (29 Feb becomes 28 Feb)."""
        return replace(self, date_from=shift_year(self.date_from, -1), date_to=shift_year(self.date_to, -1))


@dataclass(frozen=True)
class Notice:
    """A URL parameter that was dropped or changed, and why (a locale key under `notices.`)."""

    key: str
    value: str
    reason: str


@dataclass(frozen=True)
class Parsed:
    scope: Scope
    lang: str
    notices: list[Notice] = field(default_factory=list)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, months: int) -> date:
    """The first of the month `months` away from `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 Feb in a year without it
        return day.replace(year=day.year + years, day=28)


def whole_months(date_from: date, date_to: date) -> int:
    """How many whole calendar months the period is, or 0 when it is not whole months."""
    if date_from.day != 1 or date_to != month_end(date_to) or date_to < date_from:
        return 0
    return (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1


def default_period(last_day: date) -> tuple[date, date]:
    """The latest full month in the data: the month of `last_day` if it ends there, else the one before."""
    if last_day == month_end(last_day):
        return last_day.replace(day=1), last_day
    start = add_months(last_day, -1)
    return start, month_end(start)


def default_scope(catalog: Catalog) -> Scope:
    return Scope(*default_period(catalog.last_day))


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _pick(values: Sequence[str], allowed, key: str, notices: list[Notice], reason: str) -> tuple[str, ...]:
    """Keep the known values once each, in the given order; note the rest."""
    kept: list[str] = []
    for value in values:
        value = value.strip()
        if value in allowed:
            if value not in kept:
                kept.append(value)
        elif value:
            notices.append(Notice(key, value, reason))
    return tuple(kept)


def scope_from_query(
    query: Mapping[str, Sequence[str]],
    catalog: Catalog,
    extra_keys: frozenset[str] = frozenset(),
    limit: Limit | None = None,
) -> Parsed:
    """Read the scope from URL query params; what is unknown or malformed is dropped with a notice,
    and so is a station or route outside the role's `limit` (the scope carries the limit)."""
    notices: list[Notice] = []
    default = default_scope(catalog)

    for key, values in query.items():
        if key not in SCOPE_KEYS and key not in OTHER_KEYS and key not in extra_keys:
            notices.append(Notice(key, ",".join(values), "unknown_param"))

    dates = {}
    for key in ("from", "to"):
        values = [v for v in query.get(key, ()) if v.strip()]
        if not values:
            continue
        parsed = _parse_date(values[0])
        if parsed is None:
            notices.append(Notice(key, values[0], "bad_date"))
        else:
            dates[key] = parsed
    date_from, date_to = dates.get("from"), dates.get("to")
    if date_from and date_to and date_from > date_to:
        notices.append(Notice("from", f"{date_from}..{date_to}", "from_after_to"))
        date_from = date_to = None
    if date_from and not date_to:
        date_to = month_end(date_from)  # a lone `from` means its month
    elif date_to and not date_from:
        date_from = date_to.replace(day=1)
    if date_from and (date_to < catalog.first_day or date_from > catalog.last_day):
        notices.append(Notice("from", f"{date_from}..{date_to}", "outside_data"))
        date_from = date_to = None
    elif date_from and (date_from < catalog.first_day or date_to > catalog.last_day):
        notices.append(Notice("from", f"{date_from}..{date_to}", "clipped_to_data"))
        date_from, date_to = max(date_from, catalog.first_day), min(date_to, catalog.last_day)
    if not date_from:
        date_from, date_to = default.date_from, default.date_to

    allowed = limit or Limit()
    stations = _pick(query.get("station", ()), catalog.stations, "station", notices, "unknown_station")
    for station in stations:
        if not allowed.allows_station(station):
            notices.append(Notice("station", station, "not_permitted"))
    stations = tuple(s for s in stations if allowed.allows_station(s))
    known_routes = _pick(query.get("route", ()), catalog.routes, "route", notices, "unknown_route")
    routes = []
    for route in known_routes:
        if not allowed.allows(catalog.routes[route], route):
            notices.append(Notice("route", route, "not_permitted"))
        elif stations and catalog.routes[route] not in stations:
            notices.append(Notice("route", route, "route_outside_station"))
        else:
            routes.append(route)
    btypes = _pick(query.get("btype", ()), BUSINESS_TYPES, "btype", notices, "unknown_code")
    markets = _pick(query.get("market", ()), MARKET_TYPES, "market", notices, "unknown_code")
    customer = None
    for value in query.get("customer", ())[:1]:
        value = value.strip()
        if value and not allowed.one_customer:
            notices.append(Notice("customer", value, "not_permitted"))
        elif value.isascii() and value.isdigit() and len(value) <= 18:
            customer = int(value)
        elif value:
            notices.append(Notice("customer", value, "unknown_customer"))

    lang_values = query.get("lang", ())
    lang = lang_values[0] if lang_values and lang_values[0] in LANGUAGES else "zh"
    if lang_values and lang_values[0] not in LANGUAGES:
        notices.append(Notice("lang", lang_values[0], "unknown_code"))

    return Parsed(
        Scope(date_from, date_to, stations, tuple(routes), btypes, markets, customer, limit),
        lang,
        notices,
    )


def scope_to_query(scope: Scope, lang: str = "zh") -> dict[str, list[str]]:
    """The URL query params of a scope; dates always, so a copied URL keeps its period."""
    query = {"from": [scope.date_from.isoformat()], "to": [scope.date_to.isoformat()]}
    for key, values in (
        ("station", scope.stations),
        ("route", scope.routes),
        ("btype", scope.btypes),
        ("market", scope.markets),
    ):
        if values:
            query[key] = list(values)
    if scope.customer is not None:
        query["customer"] = [str(scope.customer)]
    if lang != "zh":
        query["lang"] = [lang]
    return query


def narrow_routes(routes: Sequence[str], stations: Sequence[str], catalog: Catalog) -> tuple[str, ...]:
    """Drop chosen routes that fall outside the chosen stations (the route options narrow with them)."""
    allowed = set(catalog.routes_of(stations))
    return tuple(r for r in routes if r in allowed)
