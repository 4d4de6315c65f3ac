"""The import templates (data/templates/<table>.csv: Chinese headers, two example rows) and the export
of a store's tables in the same form, so that what the store holds can be written out and read back."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd

from dashboard import i18n
from dashboard.ingest import spec

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "data" / "templates"

# Two rows per table that fit together (every foreign key points at an example row), in stored codes.
EXAMPLES: dict[str, list[dict]] = {
    "stations": [
        {"station_id": "HT", "name": "寒亭", "town_code": "370703001", "lon": 119.2167, "lat": 36.7746},
        {"station_id": "KY", "name": "开元", "town_code": "370703002", "lon": 119.1903, "lat": 36.7512},
    ],
    "staff": [
        {"staff_id": "CM01", "name": "王建国", "role": "customer_manager", "station_id": "HT",
         "phone": "13805360001"},
        {"staff_id": "IN01", "name": "李娜", "role": "inspector", "station_id": "HT", "phone": "13805360002"},
    ],
    "routes": [
        {"route_id": "HT01", "station_id": "HT", "name": "寒亭01线", "customer_manager_id": "CM01",
         "inspector_id": "IN01", "visit_weekday": 1},
        {"route_id": "HT02", "station_id": "HT", "name": "寒亭02线", "customer_manager_id": "CM01",
         "inspector_id": None, "visit_weekday": 3},
    ],
    "customers": [
        {"customer_id": 1001, "license_no": "370703100001", "shop_name": "张记便利店", "owner_name": "张明",
         "phone": "13905361001", "address": "寒亭区通亭街 18 号", "route_id": "HT01", "business_type": "B",
         "market_type": "C", "scale": 2, "grade": 18, "credit": "AA", "order_weekday": 2, "has_pos": True,
         "lon": 119.2171, "lat": 36.7752, "opened_on": date(2018, 5, 1), "status": "active"},
        {"customer_id": 1002, "license_no": "370703100002", "shop_name": "村口副食", "owner_name": "李强",
         "phone": None, "address": "固堤街道北村", "route_id": "HT02", "business_type": "Z",
         "market_type": "X", "scale": 3, "grade": 6, "credit": "A", "order_weekday": 4, "has_pos": False,
         "lon": 119.2405, "lat": 36.8103, "opened_on": date(2012, 3, 15), "status": "active"},
    ],
    "customer_monthly": [
        {"customer_id": 1001, "month": date(2026, 9, 1), "tobacco_orders_yuan": 52000.0,
         "tobacco_gross_profit_yuan": 5200.0, "nontobacco_revenue_yuan": 18000.0,
         "nontobacco_gross_profit_yuan": 3600.0},
        {"customer_id": 1002, "month": date(2026, 9, 1), "tobacco_orders_yuan": 8600.0,
         "tobacco_gross_profit_yuan": 860.0, "nontobacco_revenue_yuan": None,
         "nontobacco_gross_profit_yuan": None},
    ],
    "surveys": [
        {"survey_id": 5001, "customer_id": 1001, "surveyed_on": date(2026, 9, 20), "wave": "2026Q3",
         "supply": 90, "ordering": 88, "delivery": 92, "customer_manager": 95, "settlement": 90,
         "complaint_handling": 85, "market_regulation": 88, "overall": 90},
        {"survey_id": 5002, "customer_id": 1002, "surveyed_on": date(2026, 9, 22), "wave": "2026Q3",
         "supply": 70, "ordering": 75, "delivery": 68, "customer_manager": 80, "settlement": 78,
         "complaint_handling": None, "market_regulation": 72, "overall": 73.5},
    ],
    "tickets": [
        {"ticket_id": 9001, "customer_id": 1001, "channel": "hotline_12313", "kind": "complaint",
         "topic": "delivery", "first_owner_id": "CM01", "received_at": datetime(2026, 10, 3, 9, 15),
         "responded_at": datetime(2026, 10, 3, 10, 0), "routed_at": datetime(2026, 10, 3, 10, 30),
         "resolved_at": datetime(2026, 10, 4, 16, 0), "callback_at": datetime(2026, 10, 5, 9, 0),
         "callback_result": "satisfied", "reopened_count": 0},
        {"ticket_id": 9002, "customer_id": 1002, "channel": "wechat", "kind": "consultation",
         "topic": "ordering_system", "first_owner_id": None, "received_at": datetime(2026, 10, 8, 20, 40),
         "responded_at": datetime(2026, 10, 8, 21, 5), "routed_at": None, "resolved_at": None,
         "callback_at": None, "callback_result": None, "reopened_count": 0},
    ],
    "visit_plans": [
        {"staff_id": "CM01", "customer_id": 1001, "planned_on": date(2026, 10, 5)},
        {"staff_id": "CM01", "customer_id": 1002, "planned_on": date(2026, 10, 7)},
    ],
    "visits": [
        {"visit_id": 70001, "staff_id": "CM01", "customer_id": 1001, "kind": "routine",
         "started_at": datetime(2026, 10, 5, 9, 30), "ended_at": datetime(2026, 10, 5, 9, 55),
         "checkin_distance_m": 12.5, "tasks_required": 4, "tasks_done": 4},
        {"visit_id": 70002, "staff_id": "IN01", "customer_id": 1001, "kind": "joint",
         "started_at": datetime(2026, 10, 5, 9, 30), "ended_at": datetime(2026, 10, 5, 9, 55),
         "checkin_distance_m": 20.0, "tasks_required": 2, "tasks_done": 1},
    ],
    "training_sessions": [
        {"session_id": 301, "held_on": date(2026, 10, 10), "format": "classroom", "topic": "display",
         "station_id": "HT", "is_rural": False, "trainer_id": "CM01", "hours": 2.0, "viewers": None},
        {"session_id": 302, "held_on": date(2026, 10, 20), "format": "livestream", "topic": "digital",
         "station_id": "KY", "is_rural": True, "trainer_id": None, "hours": 1.5, "viewers": 260},
    ],
    "training_attendance": [
        {"session_id": 301, "customer_id": 1001},
        {"session_id": 301, "customer_id": 1002},
    ],
    "residencies": [
        {"residency_id": 401, "staff_id": "CM01", "customer_id": 1001, "start_on": date(2026, 10, 12),
         "days": 3, "focus": "display"},
        {"residency_id": 402, "staff_id": "IN01", "customer_id": 1002, "start_on": date(2026, 10, 19),
         "days": 2, "focus": "pricing"},
    ],
    "products": [
        {"sku_id": 10001, "name": "矿泉水 550ml", "category": "drinks"},
        {"sku_id": 10002, "name": "原味薯片 70g", "category": "snacks"},
    ],
    "product_sales_monthly": [
        {"customer_id": 1001, "sku_id": 10001, "month": date(2026, 9, 1), "units": 320, "revenue_yuan": 640.0,
         "gross_profit_yuan": 160.0, "transactions": 290, "basket_value_yuan": 4350.0, "avg_stock_units": 48},
        {"customer_id": 1001, "sku_id": 10002, "month": date(2026, 9, 1), "units": 85, "revenue_yuan": 510.0,
         "gross_profit_yuan": 153.0, "transactions": 80, "basket_value_yuan": 1960.0, "avg_stock_units": 30},
    ],
}  # fmt: skip


def _column(values: pd.Series, col: spec.Column, lang: str) -> list[str]:
    """Stored values as the template writes them: labels for codes, 是/否, dates as 2026-10-03."""
    missing = values.isna().to_numpy()
    if col.kind == spec.CODE:
        names = {str(k): v for k, v in i18n.labels(col.code_kind, lang).items()} if col.code_kind else {}
        text = [names.get(str(v), str(v)) for v in values.astype(object)]
    elif col.kind == spec.BOOL:
        yes, no = ("是", "否") if lang == "zh" else ("yes", "no")
        text = [yes if v else no for v in values.astype(object)]
    elif col.kind in (spec.DATE, spec.MONTH):
        text = pd.to_datetime(values).dt.strftime("%Y-%m-%d").tolist()
    elif col.kind == spec.TIMESTAMP:
        stamps = pd.to_datetime(values)
        text = stamps.dt.strftime("%Y-%m-%d %H:%M:%S").tolist()
        micro = stamps.dt.microsecond.fillna(0).astype(int).to_numpy()
        text = [f"{x}.{m:06d}" if m else x for x, m in zip(text, micro, strict=True)]
    else:
        text = [_number(v) for v in values.astype(object)]
    return ["" if gone else x for x, gone in zip(text, missing, strict=True)]


def _number(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return "" if math.isnan(value) else str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def to_template(table: str, rows: pd.DataFrame | list[dict], lang: str = "zh") -> pd.DataFrame:
    """Rows of a table (stored codes and types) as text under the template's headers."""
    t = spec.BY_NAME[table]
    frame = pd.DataFrame(rows) if isinstance(rows, list) else rows
    out = {spec.template_header(table, c.name, lang): _column(frame[c.name], c, lang) for c in t.columns}
    return pd.DataFrame(out, dtype=object)


def csv_text(frame: pd.DataFrame) -> bytes:
    """CSV for Excel: UTF-8 with a BOM (so Chinese opens right), every cell as written."""
    return frame.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def template_bytes(table: str) -> bytes:
    return csv_text(to_template(table, EXAMPLES[table]))


def write_templates(out: Path = TEMPLATES_DIR) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in spec.load_order():
        path = out / f"{table}.csv"
        path.write_bytes(template_bytes(table))
        written.append(path)
    return written


def export_store(con: duckdb.DuckDBPyConnection, out: Path, lang: str = "zh") -> list[Path]:
    """Every table of a store as template-format CSV files in `out` (the round trip's first half)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for table in spec.load_order():
        rows = con.table(table).order(", ".join(spec.BY_NAME[table].key)).df()
        path = out / f"{table}.csv"
        path.write_bytes(csv_text(to_template(table, rows, lang)))
        written.append(path)
    return written
