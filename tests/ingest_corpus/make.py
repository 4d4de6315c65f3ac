"""Writes the corpus of malformed (and a few well-formed) import files into tests/ingest_corpus/files/.

The files are committed; run `python -m tests.ingest_corpus.make` after changing a case here. They are
written against the fixture store (tests/fixture_db.py): customers 1-6, staff CM1 CM2 IN1 SH1, routes
R1-R3, stations S1 S2, tickets 1-5. tests/test_ingest_corpus.py holds the outcome each must have.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

FILES = Path(__file__).with_name("files")

CUSTOMERS_HEAD = (
    "客户编码,许可证号,客户名称,负责人,联系电话,经营地址,线路编码,经营业态,市场类型,经营规模,档位,信用等级,"
    "订货日,云POS,经度,纬度,开业日期,经营状态"
)
CUSTOMER_OK = "101,370703000101,新华便利店,周平,13900000101,东街9号,R1,便利店,城镇,中,15,AA,2,是,119.205,36.805,2021-03-01,正常经营"
CUSTOMER_OK2 = (
    "102,370703000102,田园副食,吴兰,,北村,R2,食杂店,乡村,小,4,A,,否,119.211,36.851,2015/6/1,正常经营"
)
TICKETS_HEAD = "工单编号,客户编码,受理渠道,诉求类型,问题分类,首问责任人编码,受理时间,响应时间,流转时间,办结时间,回访时间,回访结果,重开次数"
VISITS_HEAD = "走访编号,人员编码,客户编码,走访类型,开始时间,结束时间,签到距离（米）,应完成任务数,已完成任务数"


def csv(*lines: str, encoding: str = "utf-8", newline: str = "\n") -> bytes:
    return (newline.join(lines) + newline).encode(encoding)


def xlsx(rows: list[list], formula_cells: dict[str, str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for ref, formula in (formula_cells or {}).items():
        sheet[ref] = formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def parquet(columns: dict[str, list]) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns), buffer)
    return buffer.getvalue()


def customers_xlsx() -> bytes:
    head = CUSTOMERS_HEAD.split(",")
    return xlsx([head, CUSTOMER_OK.split(","), CUSTOMER_OK2.split(",")])


def cases() -> dict[str, bytes]:
    good_xlsx = customers_xlsx()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("customers.csv", csv(CUSTOMERS_HEAD, CUSTOMER_OK))
    visits_pq = parquet(
        {
            "visit_id": [201, 202],
            "staff_id": ["CM1", "CM2"],
            "customer_id": [1, 4],
            "kind": ["routine", "joint"],
            "started_at": pa.array([1790000000000000, 1790003600000000], pa.timestamp("us")),
            "ended_at": pa.array([1790001200000000, None], pa.timestamp("us")),
            "checkin_distance_m": [12.5, None],
            "tasks_required": [3, 2],
            "tasks_done": [3, 1],
        }
    )
    return {
        # ---- refused whole
        "empty.csv": b"",
        "only_blank_lines.csv": b"\r\n \r\n\t\r\n",
        "header_only.csv": csv(CUSTOMERS_HEAD),
        "random_bytes.csv": bytes((i * 97 + 13) % 256 for i in range(4096)),
        "png_named.csv": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "csv_named.xlsx": csv(CUSTOMERS_HEAD, CUSTOMER_OK),
        "xlsx_named.csv": good_xlsx,
        "truncated.xlsx": good_xlsx[: len(good_xlsx) // 2],
        "zip_of_csv.xlsx": zipped.getvalue(),
        "old_excel.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512),
        "truncated.parquet": visits_pq[: len(visits_pq) // 2],
        "neither_utf8_nor_gbk.csv": csv(CUSTOMERS_HEAD) + b"101,370703000101,caf\xff\xfe shop,x\n",
        "nul_bytes.csv": csv(CUSTOMERS_HEAD, CUSTOMER_OK).replace(b",", b"\x00,", 3),
        "no_header.csv": csv(CUSTOMER_OK, CUSTOMER_OK2),
        "tickets_2026-10.csv": csv(CUSTOMERS_HEAD, CUSTOMER_OK),
        "missing_licence_column.csv": csv(
            CUSTOMERS_HEAD.replace("许可证号,", ""), CUSTOMER_OK.replace("370703000101,", "")
        ),
        "two_id_columns.csv": csv("客户编码,客户编号," + CUSTOMERS_HEAD[5:], "101," + CUSTOMER_OK),
        # ---- rows rejected, the rest applied
        "truncated_mid_row.csv": csv(CUSTOMERS_HEAD, CUSTOMER_OK, CUSTOMER_OK2)[:-40],
        "wrong_delimiter_rows.csv": csv(
            CUSTOMERS_HEAD, CUSTOMER_OK.replace(",", ";"), CUSTOMER_OK2.replace(",", ";")
        ),
        "unbalanced_quote.csv": csv(
            CUSTOMERS_HEAD, CUSTOMER_OK.replace("新华便利店", '"新华便利店'), CUSTOMER_OK2
        ),
        "duplicate_keys.csv": csv(
            TICKETS_HEAD,
            "101,1,12313 热线,咨询,货源供应,CM1,2026-10-02 09:00,2026-10-02 10:00,,,,,0",
            "101,1,12313 热线,投诉,价格,CM1,2026-10-02 09:00,2026-10-02 10:00,,,,,0",
            "102,2,微信,咨询,价格,CM1,2026-10-03 09:00,,,,,,0",
            "102,2,微信,咨询,价格,CM1,2026-10-03 09:00,,,,,,0",
            "103,3,订货网站,建议,其他,,2026-10-04 09:00,,,,,,0",
        ),
        "unknown_codes.csv": csv(
            TICKETS_HEAD,
            "111,1,传真,咨询,货源供应,CM1,2026-10-02 09:00,,,,,,0",
            "112,1,微信,闲聊,货源供应,CM1,2026-10-02 09:00,,,,,,0",
            "113,1,微信,咨询,天气,CM1,2026-10-02 09:00,,,,,,0",
            "114,1,wechat,consultation,supply,CM1,2026-10-02 09:00,,,,,,0",
        ),
        "stages_out_of_order.csv": csv(
            TICKETS_HEAD,
            "121,1,微信,投诉,配送,CM1,2026-10-05 09:00,2026-10-05 08:00,,,,,0",
            "122,1,微信,投诉,配送,CM1,2026-10-05 09:00,2026-10-05 10:00,2026-10-05 11:00,2026-10-04 12:00,,,0",
            "123,1,微信,投诉,配送,CM1,2026-10-05 09:00,,2026-10-05 11:00,,,,0",
            "124,1,微信,投诉,配送,CM1,2026-10-05 09:00,2026-10-05 10:00,2026-10-05 11:00,2026-10-06 12:00,,满意,0",
            "125,1,微信,投诉,配送,CM1,2026年10月5日 9时0分,2026/10/5 10:00,2026.10.5 11:00,2026-10-06 12:00,"
            "2026-10-07 09:00,满意,0",
        ),
        "formulas.csv": csv(
            CUSTOMERS_HEAD,
            CUSTOMER_OK.replace("新华便利店", '"=HYPERLINK(""http://x"",""点我"")"'),
            CUSTOMER_OK2.replace("吴兰", "@SUM(A1)"),
            CUSTOMER_OK.replace("101,370703000101", "103,370703000103").replace("周平", "+cmd|' /C calc'!A0"),
            CUSTOMER_OK.replace("101,370703000101", "104,370703000104"),
        ),
        "formula_cell.xlsx": xlsx(
            [CUSTOMERS_HEAD.split(","), CUSTOMER_OK.split(","), CUSTOMER_OK2.split(",")],
            {"C2": '=CONCAT("a","b")'},
        ),
        "huge_field.csv": csv(
            CUSTOMERS_HEAD, CUSTOMER_OK.replace("新华便利店", "大" * 200_000), CUSTOMER_OK2
        ),
        "bad_dates.csv": csv(
            CUSTOMERS_HEAD,
            CUSTOMER_OK.replace("2021-03-01", "2021-02-30"),
            CUSTOMER_OK2.replace("2015/6/1", "13/13/2015"),
            CUSTOMER_OK.replace("101,370703000101", "103,370703000103").replace("2021-03-01", "1899-12-31"),
            CUSTOMER_OK.replace("101,370703000101", "104,370703000104").replace("2021-03-01", "44197"),
        ),
        "unknown_parents.csv": csv(
            VISITS_HEAD,
            "301,ZZ9,1,日常走访,2026-10-05 09:00,2026-10-05 09:20,10,3,3",
            "302,CM1,999,日常走访,2026-10-05 09:00,2026-10-05 09:20,10,3,3",
        ),
        "coordinates.csv": csv(
            CUSTOMERS_HEAD,
            CUSTOMER_OK.replace("119.205,36.805", "36.805,119.205"),
            CUSTOMER_OK2.replace("119.211,36.851", "2.35,48.85"),
            CUSTOMER_OK.replace("101,370703000101", "103,370703000103"),
        ),
        "licence_as_number.csv": csv(
            CUSTOMERS_HEAD,
            CUSTOMER_OK.replace("370703000101", "3.70703E+11"),
            CUSTOMER_OK2.replace("370703000102", "37070300010"),
            CUSTOMER_OK.replace("101,370703000101", "103,370703000003"),  # customer 3's licence
        ),
        "out_of_range.csv": csv(
            CUSTOMERS_HEAD,
            CUSTOMER_OK.replace(",15,AA,", ",31,AA,"),
            CUSTOMER_OK2.replace(",4,A,,", ",4,A,9,"),
            CUSTOMER_OK.replace("101,370703000101", "103,370703000103").replace(",15,AA,", ",十五,AA,"),
        ),
        "control_chars.csv": csv(
            CUSTOMERS_HEAD, CUSTOMER_OK.replace("新华便利店", "新华\x07便利店"), CUSTOMER_OK2
        ),
        "visits_broken_rows.csv": csv(
            VISITS_HEAD,
            "311,CM1,1,日常走访,2026-10-05 09:00,2026-10-05 08:00,10,3,3",
            "312,CM1,1,日常走访,2026-10-05 09:00,2026-10-07 09:00,10,3,3",
            "313,CM1,1,日常走访,2026-10-05 09:00,2026-10-05 09:20,-5,3,4",
            "314,CM1,1,巡店,2026-10-05 09:00,2026-10-05 09:20,10,3,3",
            "315,CM1,1,日常走访,2026-10-05 09:00,2026-10-05 09:20,10,3,3",
        ),
        "sales_for_store_without_pos.csv": csv(
            "客户编码,商品编码,月份,销量,销售额（元）,毛利（元）,交易笔数,含该商品的小票金额（元）,平均库存",
            "1,1,2026-10,10,20,5,9,120,4",
            "2,1,2026年9月,10,20,5,9,120,4",
            "2,2,2026-09-15,10,20,5,9,120,4",
        ),
        "parquet_bad_rows.parquet": parquet(
            {
                "visit_id": [321, 322, 323],
                "staff_id": ["CM1", "NOPE", "CM1"],
                "customer_id": [1, 1, 1],
                "kind": ["routine", "routine", "routine"],
                "started_at": ["2026-10-05 09:00", "2026-10-05 09:00", "soon"],
            }
        ),
        "strict_one_bad_row.csv": csv(CUSTOMERS_HEAD, CUSTOMER_OK, CUSTOMER_OK2.replace("R2", "R9")),
        # ---- well-formed in unusual shapes: applied whole
        "semicolons_gbk.csv": csv(
            CUSTOMERS_HEAD.replace(",", ";"), CUSTOMER_OK.replace(",", ";"), encoding="gbk"
        ),
        "tabs_gb18030.txt": csv(
            CUSTOMERS_HEAD.replace(",", "\t"),
            CUSTOMER_OK.replace(",", "\t").replace("新华便利店", "𠀾记便利店"),
            encoding="gb18030",
        ),
        "excel_unicode_text.txt": "\ufeff".encode("utf-16-le")
        + csv(
            CUSTOMERS_HEAD.replace(",", "\t"),
            CUSTOMER_OK.replace(",", "\t"),
            encoding="utf-16-le",
            newline="\r\n",
        ),
        "title_row_and_old_mac_newlines.csv": csv(
            "2026年10月新增客户,,,", CUSTOMERS_HEAD, CUSTOMER_OK, newline="\r"
        ),
        "english_headers.csv": csv(
            "customer_id,license_no,shop_name,owner_name,route_id,business_type,market_type,scale,grade,credit,"
            "lon,lat,opened_on,status,remark",
            "105,370703000105,Corner Shop,Wang,R3,supermarket,rural,large,20,AAA,119.101,36.821,2024-01-05,active,x",
        ),
        "excel_serial_dates.xlsx": xlsx(
            [
                CUSTOMERS_HEAD.split(","),
                [
                    106,
                    "370703000106",
                    "序号店",
                    "郑",
                    None,
                    None,
                    "R1",
                    "B",
                    "C",
                    2,
                    12,
                    "A",
                    3,
                    "是",
                    119.2,
                    36.8,
                    44562,
                    "active",
                ],
            ]
        ),  # fmt: skip
        "good_visits.parquet": visits_pq,
    }


def main() -> None:
    FILES.mkdir(exist_ok=True)
    for old in FILES.iterdir():
        old.unlink()
    for name, data in cases().items():
        (FILES / name).write_bytes(data)
    print(f"{len(cases())} files in {FILES}")


if __name__ == "__main__":
    main()
