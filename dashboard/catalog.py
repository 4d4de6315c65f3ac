"""The filter catalog (stations, routes, data range) read from the store through named queries."""

from __future__ import annotations

import pandas as pd

from dashboard import rollups
from dashboard.kpis import Runner
from dashboard.scope import Catalog


def load_catalog(run: Runner) -> Catalog:
    """The stations, routes and days of the data (as the refresh kept them, when the rollups are ready)."""
    stations = rollups.whole(run, "filters/stations")
    routes = rollups.whole(run, "filters/routes")
    bounds = rollups.whole(run, "filters/data_range").iloc[0]
    return Catalog(
        stations=dict(zip(stations.station_id, stations.name, strict=True)),
        routes=dict(zip(routes.route_id, routes.station_id, strict=True)),
        route_names=dict(zip(routes.route_id, routes.name, strict=True)),
        first_day=pd.Timestamp(bounds.first_day).date(),
        last_day=pd.Timestamp(bounds.last_day).date(),
    )
