"""pydeck map builders: DataFrame/GeoJSON in, `pydeck.Deck` out; no Streamlit calls, no tiles, no token.

The deck has no map style and `map_provider=None` (DESIGN.md section 7): nothing is fetched from outside,
the service areas drawn from GeoJSON are the base map. Every layer has an id, for selections.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pydeck as pdk
from pydeck.bindings.json_tools import default_serialize

from dashboard.charts import PALETTE, note, style
from dashboard.i18n import fmt_count, fmt_number, label, t
from dashboard.scope import BUSINESS_TYPES
from dashboard.store import ROOT

AREAS_FILE = ROOT / "data" / "stations.geojson"
AREAS_LAYER, LABELS_LAYER, CUSTOMERS_LAYER, ROUTES_LAYER, GRID_LAYER, STATIONS_LAYER = (
    "areas",
    "labels",
    "customers",
    "routes",
    "grid",
    "stations",
)
LAYERS = ("band", "grid", "btype")  # what the user can switch between
MAX_POINTS = 4000  # above this many customers the points become one dot per route (or per station)
MAX_LABELS = 24  # above this many station areas only the largest stations are named (more overlap)
GRID_CELLS = 40  # cells across the district's longer side

BAND_COLORS = {
    "top": [26, 150, 65],
    "high": [145, 207, 96],
    "mid": [253, 174, 97],
    "low": [215, 25, 28],
    "none": [160, 160, 160],
}
DRAW_ORDER = {"none": 0, "top": 1, "high": 2, "mid": 3, "low": 4}  # later is drawn on top
AREA_FILL = [31, 111, 92, 18]
AREA_LINE = [31, 111, 92, 200]
TEXT_FONT = "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"


class Deck(pdk.Deck):
    """A pydeck Deck whose JSON (what Streamlit sends the browser) has no indent and keeps CJK text as
    it is: pydeck's two-space indent and \\u escapes were two thirds of a province map's 1.9 MB."""

    def to_json(self) -> str:
        return json.dumps(
            self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False
        )


def hex_rgb(color: str) -> list[int]:
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


BTYPE_COLORS = {code: hex_rgb(PALETTE[i % len(PALETTE)]) for i, code in enumerate(BUSINESS_TYPES)}


def load_areas(path: Path = AREAS_FILE) -> dict:
    """The service areas GeoJSON of data/ (an empty collection when the file is missing)."""
    if not path.exists():
        return {"type": "FeatureCollection", "features": []}
    return json.loads(path.read_text(encoding="utf-8"))


def _inside(lon: float, lat: float, ring: list) -> bool:
    """Ray casting: whether a point lies inside a polygon ring."""
    found = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            found = not found
    return found


def service_areas(geojson: dict, stations: pd.DataFrame, lang: str) -> dict:
    """One polygon per station: its GeoJSON area when the station's site lies inside it, else the box
    around its customers (a DB of other stations, e.g. the city benchmark, still gets outlines)."""
    shapes = {}
    for feature in geojson.get("features", []):
        props = feature.get("properties", {})
        if feature.get("geometry", {}).get("type") == "Polygon":
            shapes[props.get("station_id")] = (feature["geometry"]["coordinates"], props)
    features = []
    for row in stations.itertuples(index=False):
        shape, props = shapes.get(row.station_id, (None, {}))
        if not (shape and _inside(row.lon, row.lat, shape[0])):
            if pd.isna(row.min_lon):
                continue  # a station with no customers and no area: nothing to draw
            pad = 0.002
            x0, x1, y0, y1 = row.min_lon - pad, row.max_lon + pad, row.min_lat - pad, row.max_lat + pad
            shape, props = [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]], {}
        name = props.get("name_en") if lang == "en" and props.get("name_en") else row.name
        features.append(
            {
                "type": "Feature",
                "properties": {"station_id": row.station_id, "name": name, "lon": row.lon, "lat": row.lat},
                "geometry": {"type": "Polygon", "coordinates": shape},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def bounds(areas: dict) -> tuple[float, float, float, float] | None:
    """(min lon, min lat, max lon, max lat) of every area."""
    points = [p for f in areas["features"] for ring in f["geometry"]["coordinates"] for p in ring]
    if not points:
        return None
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    return min(lons), min(lats), max(lons), max(lats)


def view_state(areas: dict, width: int = 900, height: int = 560) -> pdk.ViewState:
    """A view that fits the whole district, computed from the areas alone (not from the filtered points),
    so every rerun of the page, whatever the filters, opens the same zoom and centre."""
    box = bounds(areas)
    if box is None:
        return pdk.ViewState(longitude=116.4, latitude=39.9, zoom=3)
    x0, y0, x1, y1 = box

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width * 360 / (512 * max(x1 - x0, 1e-4)))
    zoom_y = math.log2(height * 2 * math.pi / (512 * max(merc(y1) - merc(y0), 1e-6)))
    return pdk.ViewState(
        longitude=round((x0 + x1) / 2, 5),
        latitude=round((y0 + y1) / 2, 5),
        zoom=round(min(zoom_x, zoom_y) - 0.15, 2),
        pitch=0,
        bearing=0,
    )


def cell_size(areas: dict) -> float:
    """Grid cell side in degrees: GRID_CELLS across the district's longer side (fixed per district)."""
    box = bounds(areas)
    if box is None:
        return 0.01
    return round(max(box[2] - box[0], box[3] - box[1]) / GRID_CELLS, 5)


def cell_keys(frame: pd.DataFrame, size: float) -> pd.Series:
    """The grid cell of each row, as 'i:j' of floor(lon/size), floor(lat/size) (the division first, as
    queries/satisfaction/grid_monthly.sql has it, so both put a point on a cell's edge in the same cell)."""
    i = np.floor(frame["lon"] / size).astype(int).astype(str)
    j = np.floor(frame["lat"] / size).astype(int).astype(str)
    return i + ":" + j


def grid_of(frame: pd.DataFrame, size: float) -> pd.DataFrame:
    """The grid's cells from the per-customer frame: i, j, the surveyed customers and their mean overall
    (what queries/satisfaction/grid_monthly.sql gives off the rollups)."""
    surveyed = frame[frame["overall"].notna()]
    cells = surveyed.assign(i=np.floor(surveyed["lon"] / size), j=np.floor(surveyed["lat"] / size))
    out = cells.groupby(["i", "j"], sort=True)["overall"].agg(n_surveyed="count", total="sum")
    out["mean"] = out.pop("total") / out["n_surveyed"]
    out = out.reset_index()
    return out.astype({"i": "int64", "j": "int64", "n_surveyed": "int64"})


def _tip(title: str, rows: list[tuple[str, str]]) -> str:
    """Tooltip HTML with every value escaped (shop names are data, not markup)."""
    lines = [f"<b>{html.escape(str(title))}</b>"]
    lines += [f"{html.escape(k)}：{html.escape(str(v))}" for k, v in rows]
    return "<br/>".join(lines)


def _score(value) -> str:
    return fmt_number(value) if value is not None and not pd.isna(value) else None


def _col(key: str, lang: str) -> str:
    return t(f"satisfaction.col.{key}", lang)


def customer_points(frame: pd.DataFrame, layer: str, lang: str) -> list[dict]:
    """One record per customer: position, colour (band or business type), radius by grade, tooltip."""
    not_surveyed = t("satisfaction.not_surveyed", lang)
    records = []
    if layer != "btype":  # draw the unhappy last, on top: a red point must never hide under green ones
        frame = frame.assign(_draw=frame.band.map(DRAW_ORDER)).sort_values(
            ["_draw", "customer_id"], kind="stable"
        )
    for row in frame.itertuples(index=False):
        color = BTYPE_COLORS[row.business_type] if layer == "btype" else BAND_COLORS[row.band]
        records.append(
            {
                "customer_id": int(row.customer_id),
                "position": [round(row.lon, 5), round(row.lat, 5)],
                "radius": 40 + 8 * int(row.grade),
                "color": color + [220],
                "tooltip": _tip(
                    row.shop_name,
                    [
                        (_col("business_type", lang), label("business_type", row.business_type, lang)),
                        (_col("route", lang), row.route_name),
                        (_col("customer_manager", lang), row.customer_manager_name),
                        (_col("overall", lang), _score(row.overall) or not_surveyed),
                    ],
                ),
            }
        )
    return records


def _top_btype(summary: pd.DataFrame, key: str) -> pd.Series:
    """Each unit's most common business type among its customers (ties by code order)."""
    counts = summary.groupby([key, "business_type"], sort=False)["n_customers"].sum().reset_index()
    order = counts.sort_values([key, "n_customers", "business_type"], ascending=[True, False, True])
    return order.drop_duplicates(key).set_index(key)["business_type"]


def _units(summary: pd.DataFrame, key: str, **names) -> pd.DataFrame:
    """Per route (or station): mean position, customers, surveyed, mean overall, the names asked for."""
    grouped = summary.groupby(key, sort=True)
    units = grouped[["n_customers", "n_surveyed", "sum_lon", "sum_lat"]].sum()
    surveyed = units["n_surveyed"].where(units["n_surveyed"] > 0)  # none surveyed: no mean
    units["mean"] = grouped["sum_overall"].sum(min_count=1) / surveyed
    units["lon"] = units["sum_lon"] / units["n_customers"]
    units["lat"] = units["sum_lat"] / units["n_customers"]
    for column, (source, how) in names.items():
        units[column] = grouped[source].agg(how)
    units["top_btype"] = _top_btype(summary, key)
    return units


def route_means(summary: pd.DataFrame) -> pd.DataFrame:
    """One row per route with its mean position and mean overall (a static map of a large scope)."""
    return _units(summary, "route_id").rename(columns={"mean": "overall"}).reset_index()


def route_dots(summary: pd.DataFrame, layer: str, lang: str, bands_of) -> list[dict]:
    """One dot per route (many customers): mean position, size by customers, colour by mean band or the
    route's most common business type (ties by code order)."""
    if summary.empty:
        return []
    routes = _units(
        summary,
        "route_id",
        route_name=("route_name", "first"),
        station_name=("station_name", "first"),
        manager=("customer_manager_name", "first"),
    )
    not_surveyed = t("satisfaction.not_surveyed", lang)
    records = []
    for route_id, row in zip(routes.index, routes.itertuples(index=False), strict=True):
        color = BTYPE_COLORS[row.top_btype] if layer == "btype" else BAND_COLORS[bands_of(row.mean)]
        records.append(
            {
                "route_id": route_id,
                "position": [round(row.lon, 5), round(row.lat, 5)],
                "radius": round(120 + 25 * math.sqrt(row.n_customers)),
                "color": color + [220],
                "tooltip": _tip(
                    row.route_name,
                    [
                        (_col("station", lang), row.station_name),
                        (_col("customer_manager", lang), row.manager),
                        (_col("customers", lang), fmt_count(row.n_customers, lang)),
                        (_col("surveyed", lang), fmt_count(row.n_surveyed, lang)),
                        (_col("mean", lang), _score(row.mean) or not_surveyed),
                        (_col("business_type", lang), label("business_type", row.top_btype, lang)),
                    ],
                ),
            }
        )
    return records


def station_dots(summary: pd.DataFrame, layer: str, lang: str, bands_of) -> list[dict]:
    """One dot per station (a province or the country: more routes than a map can show), like route_dots."""
    if summary.empty:
        return []
    stations = _units(summary, "station_id", station_name=("station_name", "first"),
                      n_routes=("route_id", "nunique"))  # fmt: skip
    not_surveyed = t("satisfaction.not_surveyed", lang)
    records = []
    for station_id, row in zip(stations.index, stations.itertuples(index=False), strict=True):
        color = BTYPE_COLORS[row.top_btype] if layer == "btype" else BAND_COLORS[bands_of(row.mean)]
        records.append(
            {
                "station_id": station_id,
                "position": [round(row.lon, 5), round(row.lat, 5)],
                "radius": round(300 + 25 * math.sqrt(row.n_customers)),
                "color": color + [220],
                "tooltip": _tip(
                    row.station_name,
                    [
                        (_col("routes", lang), fmt_count(row.n_routes, lang)),
                        (_col("customers", lang), fmt_count(row.n_customers, lang)),
                        (_col("surveyed", lang), fmt_count(row.n_surveyed, lang)),
                        (_col("mean", lang), _score(row.mean) or not_surveyed),
                        (_col("business_type", lang), label("business_type", row.top_btype, lang)),
                    ],
                ),
            }
        )
    return records


def grid_cells(cells: pd.DataFrame, size: float, lang: str, bands_of) -> list[dict]:
    """Squares of the grid with the mean overall of the surveyed customers in each (`grid_of` or
    queries/satisfaction/grid_monthly.sql: the browser gets one polygon per non-empty cell instead of
    every customer)."""
    records = []
    for row in cells.itertuples(index=False):
        x0, y0 = row.i * size, row.j * size
        records.append(
            {
                "cell": f"{row.i}:{row.j}",
                "size": size,
                "polygon": [[round(x, 5), round(y, 5)] for x, y in
                            ((x0, y0), (x0 + size, y0), (x0 + size, y0 + size), (x0, y0 + size))],
                "color": BAND_COLORS[bands_of(row.mean)] + [170],
                "tooltip": _tip(
                    t("satisfaction.grid_cell", lang),
                    [
                        (_col("surveyed", lang), fmt_count(row.n_surveyed, lang)),
                        (_col("mean", lang), _score(row.mean)),
                    ],
                ),
            }
        )  # fmt: skip
    return records


def area_features(areas: dict, summary: pd.DataFrame, lang: str) -> dict:
    """The areas with a tooltip of their in-scope customers and mean satisfaction."""
    grouped = summary.groupby("station_id")
    surveyed = grouped["n_surveyed"].sum()
    counts = grouped["n_customers"].sum().to_dict()  # dicts: 1,250 areas of a province looked up fast
    means = (grouped["sum_overall"].sum(min_count=1) / surveyed.where(surveyed > 0)).to_dict()
    features = []
    for feature in areas["features"]:
        props = dict(feature["properties"])
        sid = props["station_id"]
        n, mean = int(counts.get(sid, 0)), means.get(sid)
        props["tooltip"] = _tip(
            props["name"],
            [
                (_col("customers", lang), fmt_count(n, lang)),
                (_col("mean", lang), _score(mean) or t("satisfaction.not_surveyed", lang)),
            ],
        )
        features.append({**feature, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def satisfaction_deck(
    summary: pd.DataFrame,
    points: pd.DataFrame | None,
    cells: pd.DataFrame | None,
    areas: dict,
    layer: str,
    lang: str,
    bands_of,
    max_points: int = MAX_POINTS,
) -> tuple[Deck, bool]:
    """The satisfaction map: service areas with names as the base, then the chosen layer (customers by
    band, grid of means, customers by business type). `summary` is the scope's (dashboard.satisfaction.
    gather), `points` its customers (None when there are too many to draw), `cells` the grid's (for the
    grid layer). Returns the deck and how points were aggregated: False (one per customer), "route" or
    "station" (more routes than `max_points`), so the browser never gets more dots than it can draw."""
    layer = layer if layer in LAYERS else "band"
    base = [
        pdk.Layer(
            "GeoJsonLayer",
            area_features(areas, summary, lang),
            id=AREAS_LAYER,
            stroked=True,
            filled=True,
            get_fill_color=AREA_FILL,
            get_line_color=AREA_LINE,
            line_width_min_pixels=1.5,
            pickable=True,
        ),
    ]
    named = areas["features"]
    if len(named) > MAX_LABELS:  # name the stations with most customers in scope
        sizes = summary.groupby("station_id")["n_customers"].sum().sort_values(ascending=False, kind="stable")
        largest = set(sizes.index[:MAX_LABELS])
        named = [f for f in named if f["properties"]["station_id"] in largest]
    labels = [{"position": [f["properties"]["lon"], f["properties"]["lat"]], "name": f["properties"]["name"]}
              for f in named]  # fmt: skip
    aggregated = False
    n_customers = summary["n_customers"].sum()
    if layer == "grid":
        top = [
            pdk.Layer(
                "PolygonLayer",
                grid_cells(cells, cell_size(areas), lang, bands_of),
                id=GRID_LAYER,
                get_polygon="polygon",
                get_fill_color="color",
                get_line_color=[255, 255, 255, 120],
                line_width_min_pixels=0.5,
                pickable=True,
            )
        ]
    elif n_customers > max_points and summary["route_id"].nunique() > max_points:
        aggregated = "station"
        top = [_dots(STATIONS_LAYER, station_dots(summary, layer, lang, bands_of), 5, 24)]
    elif n_customers > max_points or points is None:
        aggregated = "route"
        top = [_dots(ROUTES_LAYER, route_dots(summary, layer, lang, bands_of), 6, 30)]
    else:
        top = [_dots(CUSTOMERS_LAYER, customer_points(points, layer, lang), 3, 11)]
    text = pdk.Layer(
        "TextLayer",
        labels,
        id=LABELS_LAYER,
        get_position="position",
        get_text="name",
        get_size=15,
        get_color=[40, 40, 40, 230],
        font_family=pdk.types.String(TEXT_FONT),  # a plain string, or pydeck makes it an expression
        character_set=pdk.types.String("".join(sorted({ch for item in labels for ch in item["name"]}))),
        font_weight=700,
        background=True,  # a white plate keeps the name readable over a dense cluster of points
        get_background_color=[255, 255, 255, 220],
        background_padding=[4, 2],
        pickable=False,
    )
    deck = Deck(
        layers=base + top + [text],
        initial_view_state=view_state(areas),
        map_provider=None,
        tooltip={"html": "{tooltip}", "style": {"fontSize": "13px", "backgroundColor": "#263238"}},
    )
    return deck, aggregated


def _dots(layer_id: str, records: list[dict], min_px: int, max_px: int) -> pdk.Layer:
    return pdk.Layer(
        "ScatterplotLayer",
        records,
        id=layer_id,
        get_position="position",
        get_radius="radius",
        get_fill_color="color",
        get_line_color=[255, 255, 255, 200],
        stroked=True,
        line_width_min_pixels=0.5,
        radius_min_pixels=min_px,
        radius_max_pixels=max_px,
        pickable=True,
    )


def legend_items(layer: str, lang: str, band_labels: dict[str, str]) -> list[tuple[list[int], str]]:
    """(colour, label) pairs of the map's legend, in the page's language."""
    if layer == "btype":
        return [(BTYPE_COLORS[c], label("business_type", c, lang)) for c in BUSINESS_TYPES]
    codes = [c for c in BAND_COLORS if layer != "grid" or c != "none"]
    return [(BAND_COLORS[c], band_labels[c]) for c in codes]


def legend_html(layer: str, lang: str, band_labels: dict[str, str], aggregated: bool | str = False) -> str:
    """The legend as a line of HTML swatches (labels escaped), for the page to place under the map."""
    swatch = (
        '<span style="display:inline-flex;align-items:center;margin-right:14px">'
        '<span style="width:12px;height:12px;border-radius:6px;background:rgb({});margin-right:5px"></span>'
        "{}</span>"
    )
    items = [
        swatch.format(",".join(map(str, c)), html.escape(text))
        for c, text in legend_items(layer, lang, band_labels)
    ]
    note = ""
    if layer != "grid":
        note = t("satisfaction.legend_route_size" if aggregated else "satisfaction.legend_size", lang)
    title = html.escape(t("satisfaction.legend_title", lang))
    return (
        f'<div style="font-size:13px;line-height:1.9"><b style="margin-right:10px">{title}</b>'
        + "".join(items)
        + (f'<span style="color:#666">{html.escape(note)}</span>' if note else "")
        + "</div>"
    )


STORE_LAYER = "store"


def customer_deck(identity: dict, lang: str) -> Deck:
    """A small map of one store and its service station (no tiles: the two points and their names)."""
    points = [
        {"position": [identity["station_lon"], identity["station_lat"]], "name": identity["station_name"],
         "color": list(AREA_LINE[:3]) + [220], "radius": 120},
        {"position": [identity["lon"], identity["lat"]], "name": identity["shop_name"],
         "color": [215, 25, 28, 230], "radius": 90},
    ]  # fmt: skip
    for p in points:
        p["tooltip"] = html.escape(p["name"])
    text = pdk.Layer(
        "TextLayer",
        points,
        id=LABELS_LAYER,
        get_position="position",
        get_text="name",
        get_size=14,
        get_color=[40, 40, 40, 230],
        get_pixel_offset=[0, -18],
        font_family=pdk.types.String(TEXT_FONT),
        character_set=pdk.types.String("".join(sorted({ch for p in points for ch in p["name"]}))),
        background=True,
        get_background_color=[255, 255, 255, 220],
        pickable=False,
    )
    lons = [p["position"][0] for p in points]
    lats = [p["position"][1] for p in points]
    span = max(max(lons) - min(lons), max(lats) - min(lats), 0.01)
    zoom = max(8.0, min(15.0, math.log2(360 / span) - 1.5))
    view = pdk.ViewState(longitude=sum(lons) / 2, latitude=sum(lats) / 2, zoom=zoom)
    return Deck(
        layers=[_dots(STORE_LAYER, points, 6, 14), text],
        initial_view_state=view,
        map_provider=None,
        tooltip={"html": "{tooltip}", "style": {"fontSize": "13px", "backgroundColor": "#263238"}},
    )


def satisfaction_figure(frame: pd.DataFrame, areas: dict, lang: str, bands_of, band_names: dict) -> go.Figure:
    """The satisfaction map as a plotly figure, for slides and images (a deck has no static export):
    service areas with their names, customers as points by band, unhappy ones drawn last. Degrees are
    scaled so the district keeps its shape; no tiles, nothing fetched."""
    fig = go.Figure()
    for feature in areas["features"]:
        ring = feature["geometry"]["coordinates"][0]
        fig.add_trace(
            go.Scatter(
                x=[p[0] for p in ring], y=[p[1] for p in ring], mode="lines", fill="toself",
                fillcolor="rgba(31,111,92,0.07)", line={"color": "rgba(31,111,92,0.8)", "width": 1.5},
                hoverinfo="skip", showlegend=False,
            )
        )  # fmt: skip
    bands = pd.Series([bands_of(s) for s in frame["overall"]], index=frame.index, dtype="object")
    for code in sorted(BAND_COLORS, key=DRAW_ORDER.get):
        part = frame[bands == code]
        if part.empty:
            continue
        r, g, b = BAND_COLORS[code]
        fig.add_trace(
            go.Scattergl(
                x=part["lon"], y=part["lat"], mode="markers", name=band_names[code],
                marker={"size": 6 if len(frame) < MAX_POINTS else 3, "color": f"rgb({r},{g},{b})"},
                hoverinfo="skip",
            )
        )  # fmt: skip
    places = [feature["properties"] for feature in areas["features"]]
    names = [
        note(f"<b>{html.escape(p['name'])}</b>", x=p["lon"], y=p["lat"], bgcolor="rgba(255,255,255,0.85)",
             font={"size": 18})
        for p in places
    ]  # fmt: skip
    box = bounds(areas)
    mid_lat = (box[1] + box[3]) / 2 if box else 36.8
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid_lat)))
    style(fig, lang, height=560, marks=({"annotations": names},))
    return fig.update_layout(
        title=None,
        legend={"itemsizing": "constant", "orientation": "v", "x": 1.0, "y": 0.5, "yanchor": "middle"},
        margin={"l": 4, "r": 4, "t": 4, "b": 4},
        font={"size": 17},
        # as an image: its own shape (the district stands tall) and this layout, not a chart's
        meta={"image_px": [700, 640], "own_layout": True},
    )
