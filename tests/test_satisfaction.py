"""Satisfaction: bands, the follow-up rule and the KPIs on a small fixture; the map and chart builders on
their Deck/Figure output; the page's figures equal `kpis --json`."""

import json
from datetime import date
from functools import partial

import pandas as pd
import pytest

from dashboard import charts, kpis, maps, satisfaction, store
from dashboard.scope import Scope
from tests.fixture_db import build_fixture

OCT = Scope(date(2026, 10, 1), date(2026, 10, 31))
BANDS = (90.0, 80.0, 70.0)
LIMITS = satisfaction.Thresholds(70.0, 10.0, BANDS)


@pytest.mark.parametrize(
    ("score", "code"),
    [
        (100, "top"),
        (90, "top"),  # a cut-off belongs to the band above it
        (89.99, "high"),
        (80, "high"),
        (79.9, "mid"),
        (70, "mid"),  # 70 is not low (< 70 is)
        (69.99, "low"),
        (0, "low"),
        (None, "none"),
        (float("nan"), "none"),
    ],
)
def test_bands(score, code):
    assert satisfaction.band(score, BANDS) == code
    assert list(satisfaction.bands_of(pd.Series([score], dtype="float64"), BANDS)) == [code]  # all at once


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """The shared fixture plus two surveys that test the drop rule.

    Latest surveys as of 31 Oct 2026 (fixture_db comments): c1 90 (prev 60: up), c2 65 (prev 50: up),
    c3 70, c4 80. Added here: c3 had 82 on 2026-05-01 -> 70 is a drop of 12 (>= 10: follow up though
    not low); c4 had 89 on 2026-06-01 -> 80 is a drop of 9 (< 10: no).
    Follow-up: c2 (65 < 70) and c3 (drop 12) -> 2; c2 first (lowest score).
    """
    path = build_fixture(tmp_path_factory.mktemp("sat") / "sat.duckdb")
    con = store.connect(path, read_only=False)
    con.execute(
        "insert into surveys values "
        "(101, 3, '2026-05-01', '2026Q2', 82, 82, 82, 82, 82, 82, 82, 82), "
        "(102, 4, '2026-06-01', '2026Q2', 89, 89, 89, 89, 89, 89, 89, 89)"
    )
    con.close()
    con = store.connect(path)
    yield partial(store.run, con)
    con.close()


def test_follow_up_rule(run):
    frame = satisfaction.customers(run, OCT, LIMITS)
    listed = satisfaction.follow_up(frame)
    assert list(listed.customer_id) == [2, 3]
    row = listed.set_index("customer_id")
    assert bool(row.loc[2, "is_low"]) and not bool(row.loc[2, "is_drop"])  # 65, up 15 from 50
    assert not bool(row.loc[3, "is_low"]) and bool(row.loc[3, "is_drop"])  # 70, down 12 from 82
    assert row.loc[3, "change"] == pytest.approx(-12)
    bands = dict(zip(frame.customer_id, frame.band, strict=True))
    assert bands == {1: "top", 2: "low", 3: "mid", 4: "high", 5: "none"}  # 5 has no survey
    table = satisfaction.follow_up_table(listed, LIMITS, "en")
    assert list(table["Why"]) == ["below 70", "down 12.0 pts"]
    assert list(table["Route"]) == ["东站1线", "东站2线"]


def test_kpis_by_hand(run):
    figures = satisfaction.satisfaction_kpis(run, OCT)
    assert figures["satisfaction.surveyed"] == 4
    assert figures["satisfaction.overall_mean"] == pytest.approx(76.25)  # (90 + 65 + 70 + 80) / 4
    assert figures["satisfaction.low_count"] == 1
    assert figures["satisfaction.follow_up_count"] == 2
    assert figures["satisfaction.dimension_mean"]["delivery"] == pytest.approx(76.25)  # same scores per row
    # nobody in scope: means are null, never 0
    empty = satisfaction.satisfaction_kpis(run, Scope(OCT.date_from, OCT.date_to, btypes=("M",)))
    assert empty["satisfaction.overall_mean"] is None
    assert set(empty["satisfaction.dimension_mean"].values()) == {None}


def test_registry_agrees_with_the_overview(run):
    # the overview computes surveyed, mean and low count too; the registry refuses a disagreement
    figures = kpis.all_kpis(run, OCT)
    assert figures["satisfaction.overall_mean"] == pytest.approx(76.25)
    assert "satisfaction.dimension_mean" in figures


def test_previous_wave_and_company_means(run):
    means = run("satisfaction/dimension_means", satisfaction.scope_params(OCT))
    by = means[means.dimension == "overall"].set_index("snapshot").mean_score
    # latest wave up to 31 Oct is 2026Q4 (c1 10 Oct, c3 31 Oct; starts 10 Oct) -> previous = as of 9 Oct:
    # c1 60, c2 65, c3 82, c4 80 -> 71.75
    assert by["previous_wave"] == pytest.approx(71.75)
    assert by["company"] == by["scope"] == pytest.approx(76.25)


def _deck(run, frame, layer, lang, max_points=maps.MAX_POINTS):
    areas = maps.service_areas(maps.load_areas(), _stations(frame), lang)
    summary = satisfaction.with_route_names(run, satisfaction.summarise(frame))
    cells = maps.grid_of(frame, maps.cell_size(areas))
    deck, aggregated = maps.satisfaction_deck(
        summary, frame, cells, areas, layer, lang, lambda s: satisfaction.band(s, BANDS), max_points
    )
    return json.loads(deck.to_json()), aggregated


def test_the_map_is_sent_compact_and_means_the_same(run):
    frame = satisfaction.customers(run, OCT, LIMITS)
    areas = maps.service_areas(maps.load_areas(), _stations(frame), "zh")
    summary = satisfaction.with_route_names(run, satisfaction.summarise(frame))
    deck, _ = maps.satisfaction_deck(
        summary, frame, None, areas, "band", "zh", lambda s: satisfaction.band(s, BANDS)
    )
    sent, pydeck_own = deck.to_json(), maps.pdk.Deck.to_json(deck)
    assert json.loads(sent) == json.loads(pydeck_own)
    assert "\n" not in sent and "\\u" not in sent and "平均满意度" in sent
    assert len(sent.encode()) < 0.7 * len(pydeck_own.encode())


def _stations(frame):
    import pandas as pd

    grouped = frame.groupby(["station_id", "station_name"], as_index=False).agg(
        lon=("lon", "mean"), lat=("lat", "mean"), min_lon=("lon", "min"), max_lon=("lon", "max"),
        min_lat=("lat", "min"), max_lat=("lat", "max"),
    )  # fmt: skip
    return pd.DataFrame(grouped).rename(columns={"station_name": "name"})


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_band_map_layers_colours_and_tooltips(run, lang):
    frame = satisfaction.customers(run, OCT, LIMITS)
    spec, aggregated = _deck(run, frame, "band", lang)
    assert not aggregated
    assert [layer["id"] for layer in spec["layers"]] == ["areas", "customers", "labels"]
    # no provider and no style URL: nothing to fetch (the browser test checks the network too)
    assert spec.get("mapProvider") is None and "http" not in str(spec.get("mapStyle", ""))
    points = {p["customer_id"]: p for p in spec["layers"][1]["data"]}
    assert points[1]["color"][:3] == maps.BAND_COLORS["top"]
    assert points[2]["color"][:3] == maps.BAND_COLORS["low"]
    assert points[5]["color"][:3] == maps.BAND_COLORS["none"]  # not surveyed: grey
    tip = points[2]["tooltip"]
    assert "好邻居便利店" in tip and "65.0" in tip and "东站1线" in tip and "王客经" in tip
    if lang == "zh":
        assert "便利店" in tip and "客户经理" in tip and "综合得分" in tip
        assert "未调查" in points[5]["tooltip"]
    else:
        assert "Convenience store" in tip and "Customer manager" in tip and "Overall" in tip
        assert "Not surveyed" in points[5]["tooltip"]
    assert "None" not in json.dumps(spec) and "NaN" not in json.dumps(spec)
    # the fixture's stations are not in data/stations.geojson: areas are boxes around their customers
    assert {f["properties"]["station_id"] for f in spec["layers"][0]["data"]["features"]} == {"S1", "S2"}


def test_tooltip_escapes_markup(run):
    frame = satisfaction.customers(run, OCT, LIMITS)
    frame.loc[frame.customer_id == 1, "shop_name"] = "<img src=x onerror=alert(1)>"
    spec, _ = _deck(run, frame, "band", "zh")
    assert "<img" not in json.dumps(spec["layers"][1]["data"], ensure_ascii=False)


def test_grid_btype_and_route_layers(run):
    frame = satisfaction.customers(run, OCT, LIMITS)
    spec, _ = _deck(run, frame, "grid", "en")
    assert [layer["id"] for layer in spec["layers"]] == ["areas", "grid", "labels"]
    cells = spec["layers"][1]["data"]
    assert sum(1 for _ in cells) >= 1 and all(len(c["polygon"]) == 4 for c in cells)
    spec, _ = _deck(run, frame, "btype", "en")
    points = {p["customer_id"]: p for p in spec["layers"][1]["data"]}
    assert points[4]["color"][:3] == maps.BTYPE_COLORS["S"]
    spec, aggregated = _deck(run, frame, "band", "en", max_points=3)  # too many points: one dot per route
    assert aggregated and [layer["id"] for layer in spec["layers"]] == ["areas", "routes", "labels"]
    assert {d["route_id"] for d in spec["layers"][1]["data"]} == {"R1", "R2", "R3"}
    spec, aggregated = _deck(run, frame, "band", "zh", max_points=2)  # more routes than that: per station
    assert aggregated == "station" and [layer["id"] for layer in spec["layers"]] == [
        "areas",
        "stations",
        "labels",
    ]
    dots = {d["station_id"]: d for d in spec["layers"][1]["data"]}
    assert set(dots) == {"S1", "S2"} and "线路数" in dots["S1"]["tooltip"]
    assert satisfaction.read_pick({"objects": {"stations": [dots["S2"]]}})["kind"] == "station"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_legend_in_the_page_language(lang):
    labels = satisfaction.band_labels(BANDS, lang)
    legend = maps.legend_html("band", lang, labels)
    assert ("未调查" if lang == "zh" else "not surveyed") in legend
    assert ("90 分及以上" if lang == "zh" else "90 and above") in legend
    assert "rgb(215,25,28)" in legend  # the < 70 swatch
    btypes = maps.legend_html("btype", lang, labels)
    assert ("食杂店" if lang == "zh" else "Grocery") in btypes


def test_charts_are_localized(run):
    summary = satisfaction.gather(run, OCT, LIMITS).summary
    counts, means = charts.btype_distribution(summary, "station", "en")
    spec = counts.to_dict()
    assert {trace["name"] for trace in spec["data"]} == {"Grocery", "Convenience store", "Supermarket"}
    assert spec["layout"]["title"]["text"] == "Customers by business type"
    heat = means.to_dict()["data"][0]
    assert list(heat["y"]) == ["西站", "东站"] and "Grocery" in heat["x"]
    dims = run("satisfaction/dimension_means", satisfaction.scope_params(OCT))
    fig = charts.dimension_comparison(dims, "zh", satisfaction.DIMENSIONS).to_dict()
    assert [t["name"] for t in fig["data"]] == ["本范围", "全公司", "上一轮调查"]
    assert "配送服务" in fig["data"][0]["x"]


def test_page_figures_equal_the_cli_on_the_demo(demo_run):
    from dashboard.catalog import load_catalog
    from dashboard.scope import default_scope

    scope = default_scope(load_catalog(demo_run))
    figures = satisfaction.page_figures(demo_run, scope, "zh")
    every = kpis.all_kpis(demo_run, scope)  # what `kpis --json` prints
    assert {k: every[k] for k in figures.kpis} == figures.kpis
    # the weak route tops the follow-up list of its station
    gd = satisfaction.page_figures(demo_run, Scope(scope.date_from, scope.date_to, stations=("GD",)), "zh")
    assert set(gd.follow_up.route_id.head(10)) == {"GD03"}


def test_unhappy_customers_are_drawn_on_top():
    import pandas as pd

    from dashboard.maps import DRAW_ORDER, customer_points

    frame = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4],
            "band": ["low", "top", "none", "mid"],
            "business_type": ["Z"] * 4,
            "lon": [119.2] * 4,
            "lat": [36.8] * 4,
            "grade": [5] * 4,
            "shop_name": ["a", "b", "c", "d"],
            "route_name": ["r"] * 4,
            "customer_manager_name": ["m"] * 4,
            "overall": [60.0, 95.0, None, 75.0],
        }
    )
    drawn = [p["customer_id"] for p in customer_points(frame, "band", "zh")]
    assert drawn == [3, 2, 4, 1]  # not surveyed, >= 90, 70-80, < 70 last
    assert list(DRAW_ORDER) == ["none", "top", "high", "mid", "low"]


def test_the_page_frames_on_the_demo(demo_run):
    """The station means, the capped route distribution and the shop names fetched apart, each against
    a plain computation of the same frame."""
    from dashboard.catalog import load_catalog
    from dashboard.scope import default_scope

    scope = default_scope(load_catalog(demo_run))
    lean = satisfaction.customers(demo_run, scope, shops=False)
    full = satisfaction.customers(demo_run, scope)
    assert "shop_name" not in lean.columns
    assert full.drop(columns=["shop_name", "address"]).equals(lean)  # same rows, same order
    picked = [int(i) for i in lean.customer_id.iloc[[5, 0, 9]]]
    shops = demo_run("customer/names", {"ids": picked}).set_index("customer_id")
    expected = full.set_index("customer_id").loc[picked, ["shop_name", "address"]]
    pd.testing.assert_frame_equal(shops.loc[picked, ["shop_name", "address"]], expected)

    summary = satisfaction.gather(demo_run, scope, satisfaction.thresholds()).summary
    means = satisfaction.station_dimension_means(summary)
    long = full[full.overall.notna()].melt(
        id_vars=["station_id", "station_name"], value_vars=list(satisfaction.DIMENSIONS), var_name="dimension"
    )
    plain = long.groupby(["station_id", "station_name", "dimension"], as_index=False)["value"].agg(
        mean_score="mean", n_scores="count"
    )
    pd.testing.assert_frame_equal(means, plain, check_dtype=False, rtol=1e-12)  # sums of floats

    counts, heat, note = satisfaction.distribution(summary, "route", "zh", max_units=4)
    lowest = full.groupby("route_id").overall.mean().nsmallest(4).index
    names = set(full[full.route_id.isin(lowest)].route_name)
    assert set(heat.to_dict()["data"][0]["y"]) == names
    total = full.route_id.nunique()
    assert note == f"显示平均满意度最低的 4 条线路（共 {total} 条）；选择服务站可查看其全部线路。"
    # stations likewise (a province has 1,250): the demo's 5 are all drawn up to a cap of 5
    _, heat, note = satisfaction.distribution(summary, "station", "zh", max_units=4)
    assert note == "显示平均满意度最低的 4 个服务站（共 5 个）；选择服务站可只看它们。"
    station_means = full.groupby("station_name").overall.mean()
    # the lowest on top (plotly lists categories from the bottom)
    assert list(reversed(heat.to_dict()["data"][0]["y"])) == list(station_means.nsmallest(4).index)
    assert satisfaction.distribution(summary, "station", "zh", max_units=5)[2] is None


def test_the_station_heatmap_draws_the_lowest_stations_when_there_are_many(demo_run, monkeypatch):
    from dashboard.catalog import load_catalog
    from dashboard.scope import default_scope

    scope = default_scope(load_catalog(demo_run))
    assert satisfaction.page_figures(demo_run, scope, "en").stations_note is None  # 5 stations: all
    monkeypatch.setattr(satisfaction, "MAX_UNITS", 3)
    figures = satisfaction.page_figures(demo_run, scope, "en")
    assert figures.stations_note == (
        "The 3 stations with the lowest mean satisfaction of 5; choose stations to see only them."
    )
    rows = figures.station_dimensions.to_dict()["data"][0]["y"]  # drawn top down (autorange reversed)
    means = satisfaction.customers(demo_run, scope, shops=False).groupby("station_name").overall.mean()
    assert list(rows) == list(means.nsmallest(3).index)
    assert len(figures.drag) == 5  # the table still lists every station


def test_a_scope_too_large_to_draw_gets_no_customer_rows(demo_run, monkeypatch):
    # above maps.MAX_POINTS customers the page fetches none: route dots, the slide's static map of the
    # routes, and the follow-up list and grid from their own monthly queries, equal to the small path's
    from dashboard.catalog import load_catalog
    from dashboard.scope import default_scope

    scope = default_scope(load_catalog(demo_run))
    small = satisfaction.page_figures(demo_run, scope, "zh", "grid")
    monkeypatch.setattr(maps, "MAX_POINTS", 100)
    large = satisfaction.page_figures(demo_run, scope, "zh", "grid")
    assert small.customers is not None and large.customers is None
    assert large.kpis == small.kpis and large.n_customers == small.n_customers > 100
    pd.testing.assert_frame_equal(
        large.follow_up.drop(columns=["shop_name", "address"], errors="ignore"),
        small.follow_up.drop(columns=["shop_name", "address"], errors="ignore"),
        check_exact=False, rtol=1e-12,
    )  # fmt: skip
    grid = lambda f: json.loads(f.deck.to_json())["layers"][1]["data"]  # noqa: E731
    assert [c["cell"] for c in grid(large)] == [c["cell"] for c in grid(small)]
    band = satisfaction.page_figures(demo_run, scope, "zh", "band")
    assert band.aggregated == "route" and json.loads(band.deck.to_json())["layers"][1]["id"] == "routes"
    routes = maps.route_means(band.summary)
    assert len(routes) == band.summary.route_id.nunique() and routes.overall.notna().all()
    areas = maps.service_areas(maps.load_areas(), demo_run("satisfaction/stations", {}), "zh")
    static = maps.satisfaction_figure(routes, areas, "zh", lambda s: satisfaction.band(s, BANDS),
                                      satisfaction.band_labels(BANDS, "zh"))  # fmt: skip
    drawn = sum(len(t.x) for t in static.data if t.mode == "markers")
    assert drawn == len(routes)
