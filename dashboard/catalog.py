"""The filter catalog (stations, routes, data range) read from the store through named queries."""

from __future__ import annotations

import pandas as pd

from dashboard.kpis import Runner
from dashboard.scope import Catalog


def load_catalog(run: Runner) -> Catalog:
    stations = run("filters/stations", {})
    routes = run("filters/routes", {})
    bounds = run("filters/data_range", {}).iloc[0]
    return Catalog(
        stations=dict(zip(stations.station_id, stations.name, strict=True)),
        routes=dict(zip(routes.route_id, routes.station_id, strict=True)),
        route_names=dict(zip(routes.route_id, routes.name, strict=True)),
        first_day=pd.Timestamp(bounds.first_day).date(),
        last_day=pd.Timestamp(bounds.last_day).date(),
    )
