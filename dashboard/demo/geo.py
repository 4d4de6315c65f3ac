"""Station service areas: the demo district's five polygons, synthetic boxes for larger scales, and
point sampling inside them (a small ray-casting point-in-polygon, so no shapely is needed).

The demo geography of 寒亭区 is approximate: the district lies roughly at lon 119.10-119.40, lat
36.70-37.05; the five areas below tile that rectangle with shared edges and keep the rough layout
(开元 and 寒亭 the urban core in the south-middle, 固堤 north-east, 高里 west, 朱里 east/south-east).
They are not survey-grade boundaries.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

# Shared vertices, so neighbouring polygons have identical edges (no gaps, no overlaps).
_V = {
    "P1": (119.10, 36.70),
    "P2": (119.20, 36.70),
    "P3": (119.30, 36.70),
    "P4": (119.40, 36.70),
    "P5": (119.205, 36.78),
    "P6": (119.295, 36.785),
    "P7": (119.195, 36.88),
    "P8": (119.31, 36.875),
    "P9": (119.40, 36.87),
    "P10": (119.10, 37.05),
    "P11": (119.21, 37.05),
    "P12": (119.40, 37.05),
    "Q1": (119.215, 36.96),
    "Q2": (119.25, 36.885),
    "Q4": (119.25, 36.775),
}

# station_id, name, name_en, town_code, station point, polygon (counter-clockwise vertex names)
DEMO_STATIONS = [
    ("HT", "寒亭", "Hanting", "370703001", (119.252, 36.830), ["P5", "Q4", "P6", "P8", "Q2", "P7"]),
    ("KY", "开元", "Kaiyuan", "370703002", (119.248, 36.742), ["P2", "P3", "P6", "Q4", "P5"]),
    ("GD", "固堤", "Gudi", "370703003", (119.300, 36.960), ["P7", "Q2", "P8", "P9", "P12", "P11", "Q1"]),
    ("GL", "高里", "Gaoli", "370703004", (119.150, 36.870), ["P1", "P2", "P5", "P7", "Q1", "P11", "P10"]),
    ("ZL", "朱里", "Zhuli", "370703005", (119.350, 36.785), ["P3", "P4", "P9", "P8", "P6"]),
]

DISTRICT_BOX = (119.10, 36.70, 119.40, 37.05)
CELL_DEG = 0.1


def demo_polygons() -> dict[str, list[tuple[float, float]]]:
    """The demo stations' polygons as open rings of (lon, lat)."""
    return {sid: [_V[v] for v in ring] for sid, _, _, _, _, ring in DEMO_STATIONS}


def demo_feature_collection() -> dict:
    """GeoJSON FeatureCollection of the demo service areas (closed rings, as GeoJSON wants)."""
    features = []
    for sid, name, name_en, _, _, ring in DEMO_STATIONS:
        coords = [list(_V[v]) for v in ring]
        coords.append(coords[0])
        features.append(
            {
                "type": "Feature",
                "properties": {"station_id": sid, "name": name, "name_en": name_en},
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def write_geojson(path: Path) -> None:
    """Write the demo service areas (stable text, so the committed file only changes on purpose)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fc = demo_feature_collection()
    lines = [json.dumps(f, ensure_ascii=False) for f in fc["features"]]
    text = '{"type": "FeatureCollection", "features": [\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")


def read_geojson(path: Path) -> dict[str, list[tuple[float, float]]]:
    """Station polygons from a FeatureCollection file, as open rings of (lon, lat)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    out = {}
    for feat in data["features"]:
        ring = [tuple(p) for p in feat["geometry"]["coordinates"][0]]
        if ring[0] == ring[-1]:
            ring = ring[:-1]
        out[feat["properties"]["station_id"]] = ring
    return out


def synthetic_cells(n: int) -> list[tuple[float, float]]:
    """South-west corners of n grid boxes around the demo district, nearest first, district excluded."""
    lon0, lat0, lon1, lat1 = DISTRICT_BOX
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    r = 1
    while True:
        cells = []
        for i in range(-r, r + 3):
            for j in range(-r, r + 4):
                x, y = lon0 + i * CELL_DEG, lat0 + j * CELL_DEG
                overlaps = x < lon1 - 1e-9 and x + CELL_DEG > lon0 + 1e-9 and y < lat1 - 1e-9
                overlaps = overlaps and y + CELL_DEG > lat0 + 1e-9
                if not overlaps:
                    d = (x + CELL_DEG / 2 - cx) ** 2 + (y + CELL_DEG / 2 - cy) ** 2
                    cells.append((round(d, 9), i, j, round(x, 4), round(y, 4)))
        if len(cells) >= n * 1.5 or r > 400:
            cells.sort()
            return [(c[3], c[4]) for c in cells[:n]]
        r *= 2


def box_polygon(x: float, y: float, size: float = CELL_DEG) -> list[tuple[float, float]]:
    """A square service area with its south-west corner at (x, y)."""
    return [
        (x, y),
        (round(x + size, 6), y),
        (round(x + size, 6), round(y + size, 6)),
        (x, round(y + size, 6)),
    ]


def points_in_polygon(lon: np.ndarray, lat: np.ndarray, ring: list[tuple[float, float]]) -> np.ndarray:
    """Ray casting: True where (lon, lat) is strictly inside the ring (vectorised over points)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    inside = np.zeros(lon.shape, dtype=bool)
    n = len(ring)
    for k in range(n):
        x1, y1 = ring[k]
        x2, y2 = ring[(k + 1) % n]
        if y1 == y2:
            continue
        crosses = (y1 > lat) != (y2 > lat)
        x_at = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        inside ^= crosses & (lon < x_at)
    return inside


def sample_in_polygon(
    rng: np.random.Generator,
    ring: list[tuple[float, float]],
    centre_lon: np.ndarray,
    centre_lat: np.ndarray,
    sd: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Normal scatter around given centres, redrawn until every point falls inside the ring.

    A point that stays outside after many tries is placed uniformly inside the ring instead.
    """
    centre_lon = np.asarray(centre_lon, dtype=float)
    centre_lat = np.asarray(centre_lat, dtype=float)
    sd = np.broadcast_to(np.asarray(sd, dtype=float), centre_lon.shape)
    lon = np.empty_like(centre_lon)
    lat = np.empty_like(centre_lat)
    todo = np.arange(len(centre_lon))
    for _ in range(30):
        if len(todo) == 0:
            break
        x = centre_lon[todo] + rng.normal(0, 1, len(todo)) * sd[todo]
        y = centre_lat[todo] + rng.normal(0, 1, len(todo)) * sd[todo] * 0.8
        ok = points_in_polygon(x, y, ring)
        lon[todo[ok]] = x[ok]
        lat[todo[ok]] = y[ok]
        todo = todo[~ok]
    if len(todo):
        x, y = uniform_in_polygon(rng, ring, len(todo))
        lon[todo], lat[todo] = x, y
    return lon, lat


def uniform_in_polygon(
    rng: np.random.Generator, ring: list[tuple[float, float]], n: int
) -> tuple[np.ndarray, np.ndarray]:
    """n points uniform inside the ring (rejection from its bounding box)."""
    xs = [p[0] for p in ring]
    ys = [p[1] for p in ring]
    out_x = np.empty(0)
    out_y = np.empty(0)
    while len(out_x) < n:
        m = max(64, 2 * (n - len(out_x)))
        x = rng.uniform(min(xs), max(xs), m)
        y = rng.uniform(min(ys), max(ys), m)
        ok = points_in_polygon(x, y, ring)
        out_x = np.concatenate([out_x, x[ok]])
        out_y = np.concatenate([out_y, y[ok]])
    return out_x[:n], out_y[:n]
