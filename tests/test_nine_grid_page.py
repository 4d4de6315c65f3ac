"""The nine-grid page's figures: the demo store's story computed by the page's own code, the KPIs,
the builders' figures, and the shopkeeper's downloads."""

import io
import json
from datetime import date

import openpyxl
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import charts, customer, nine_grid, store, tables
from dashboard.demo import DEMO_FACTS
from dashboard.downloads import xlsx_bytes
from dashboard.scope import Scope
from tests.conftest import signed_in
from tests.test_cli import cli

STORE = DEMO_FACTS["nine_grid_customer_id"]
BEFORE = tuple(date.fromisoformat(d) for d in DEMO_FACTS["nine_grid_before"])
AFTER = tuple(date.fromisoformat(d) for d in DEMO_FACTS["nine_grid_after"])
OCT = (date(2026, 10, 1), date(2026, 10, 31))


def test_the_demo_store_goes_from_45_slow_and_13_hits_to_32_and_36(demo_run):
    # the page's own function, with the periods a presenter picks
    stores, _, (before, after) = nine_grid.page_figures(demo_run, Scope(*OCT, customer=STORE), BEFORE, AFTER)
    assert STORE in set(stores.customer_id)
    assert (before.counts()["slow"], before.counts()["hit"]) == (45, 13)
    assert (after.counts()["slow"], after.counts()["hit"]) == (32, 36)
    moved = nine_grid.moved_skus(before, after)
    assert len(moved) > 0 and set(moved.columns) == {"sku_id", "sku_name", "cell_before", "cell_after"}
    flows = nine_grid.transitions(before, after)
    assert flows.n_skus.sum() == len(before.skus.merge(after.skus, on="sku_id", how="outer"))


def test_kpis_for_one_store_through_the_cli(demo_db):
    out = cli(
        "kpis", "--json", "--db", demo_db, "--customer", STORE, "--from", "2026-05-01", "--to", "2026-10-31"
    )
    figures = json.loads(out.stdout)
    assert (figures["nine_grid.hits"], figures["nine_grid.slow_sellers"]) == (36, 32)
    assert sum(figures["nine_grid.cell_counts"].values()) == 120  # the store's goods, every cell listed
    assert figures["nine_grid.slow_share"] == 32 / 120
    assert figures["customers.in_scope"] == 1  # the customer narrows every figure, not just the grid


def test_no_whole_month_in_the_period_means_no_grid(demo_run):
    # monthly figures count when the month's first day is in the period: 10-20 Oct holds none
    figures = nine_grid.kpis(demo_run, Scope(date(2026, 10, 10), date(2026, 10, 20), customer=STORE))
    assert figures == dict.fromkeys(
        ["nine_grid.cell_counts", "nine_grid.hits", "nine_grid.slow_sellers", "nine_grid.slow_share"]
    )


def test_fixture_store_two_goods(fixture_run):
    # customer 2 sells two goods in October: water 600 yuan of 900 (margin 150 of 240), crisps 300 (90)
    g = nine_grid.grid(fixture_run, Scope(*OCT, customer=2), *OCT)
    assert g.days == 31 and len(g.skus) == 2
    water = g.skus.set_index("sku_id").loc[1]
    assert water.sales_share == pytest.approx(600 / 900)
    assert water.margin_share == pytest.approx(150 / 240)
    # water ranks first: nothing above it (0 < 70 %) -> high; crisps has water's 65 % above -> high too
    assert set(g.skus.product_class) == {"high"}
    assert water.days_of_stock == pytest.approx(40 / (300 / 31))  # stock / daily units


@pytest.mark.parametrize(
    ("period", "months"),
    [
        (OCT, [date(2026, 10, 1)]),
        ((date(2026, 9, 15), date(2026, 11, 30)), [date(2026, 10, 1), date(2026, 11, 1)]),
        ((date(2026, 10, 2), date(2026, 10, 31)), []),  # no first day of a month inside
    ],
)
def test_period_months(period, months):
    assert nine_grid.period_months(*period) == months


def test_transitions_count_goods_sold_in_one_period_only():
    def grid_of(rows):
        return nine_grid.Grid(*OCT, pd.DataFrame(rows, columns=["sku_id", "cell"]), 31)

    before = grid_of([(1, "slow"), (2, "hit")])
    after = grid_of([(2, "hit"), (3, "potential")])
    flows = nine_grid.transitions(before, after).set_index(["cell_before", "cell_after"]).n_skus.to_dict()
    assert flows == {("slow", "none"): 1, ("hit", "hit"): 1, ("none", "potential"): 1}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_builders_are_labelled_in_the_page_language(demo_run, lang):
    g = nine_grid.grid(demo_run, Scope(*AFTER, customer=STORE), *AFTER)
    board = charts.nine_grid_board(g.cells(), lang, "t").to_dict()
    assert len(board["layout"]["shapes"]) == 9
    texts = " ".join(a["text"] for a in board["layout"]["annotations"])
    assert (
        ("爆品" in texts and "36 个商品" in texts)
        if lang == "zh"
        else ("Hit" in texts and "SKUs: 36" in texts)
    )
    scatter = charts.nine_grid_scatter(
        g.skus, {"product": g.cut_values("product"), "user": g.cut_values("user")}, lang
    )
    layout = scatter.to_dict()["layout"]
    assert layout["xaxis"]["type"] == "log" and len(layout["shapes"]) == 4  # two cuts on each axis
    assert len(scatter.data[0].x) == 120
    sankey = charts.nine_grid_sankey(nine_grid.transitions(g, g), lang).to_dict()
    assert ("未销售" if lang == "zh" else "Not sold") in sankey["data"][0]["node"]["label"]


def test_sku_table_and_excel_download(demo_run):
    g = nine_grid.grid(demo_run, Scope(*BEFORE, customer=STORE), *BEFORE)
    table = tables.nine_grid_skus(g.skus, "zh")
    assert list(table.columns)[:2] == ["格子", "商品"]
    assert (
        set(table["建议"]) <= {"建议淘汰", "给予更好陈列位", "保持"}
        and (table["建议"] == "建议淘汰").sum() > 0
    )
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(table, "nine-grid")))
    rows = list(book["nine-grid"].values)
    assert rows[0][:2] == ("格子", "商品") and len(rows) == 121


def test_page_before_after_heading(demo_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(demo_db))
    at = signed_in(AppTest.from_file(str(store.ROOT / "app.py"), default_timeout=60))
    at.query_params["customer"] = str(STORE)
    at.run()
    at.session_state["ng_before"] = (BEFORE[0], date(2025, 12, 1))
    at.session_state["ng_after"] = (AFTER[0], date(2026, 10, 1))
    at.switch_page("pages/nine_grid.py").run()
    assert not at.exception
    assert "滞销 45 → 32 · 爆品 13 → 36" in [h.value for h in at.subheader]


def test_a_long_store_list_offers_the_first_matches_and_the_chosen_store():
    stores = pd.DataFrame(
        {
            "customer_id": [1, 2, 3, 4, 5],
            "shop_name": ["Alpha 便利", "alpha 超市", "Beta", "ALPHA 食杂", "Gamma"],
            "license_no": ["0001", "0002", "0003", "0004", "0005"],
            "route_name": ["北线", "北线", "南线", "南线", "北线"],
        }
    )

    def offered(text, chosen=None, limit=2):
        return customer.offered_stores(stores, text, chosen, limit)

    assert offered("", limit=5).equals(stores)  # short lists whole
    assert offered("").empty
    assert offered("alpha").customer_id.tolist() == [1, 2]  # any case, the first `limit`
    assert offered("ALPHA", chosen=5).customer_id.tolist() == [1, 2, 5]
    assert offered("0003").customer_id.tolist() == [3]
    assert offered("南线").customer_id.tolist() == [3, 4]
    assert offered("(", chosen=4).customer_id.tolist() == [4]  # letters, not a pattern
