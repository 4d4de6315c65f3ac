"""The data import page in a real browser, on a copy of the demo store: upload a GBK file with a bad
row, see the check's report, import, see the result and the history; the overview then shows the new
customers (the app reopened the swapped-in file). Screenshots for a human."""

import re
import shutil
from pathlib import Path

import pytest

from dashboard.navigation import PAGES
from tests.conftest import ARTIFACTS, open_page, start_server, stop_server, wait_ready
from tests.test_browser import RAW_CODES, card_value, cli_kpis

pytestmark = pytest.mark.browser
DATA = next(p.url_path for p in PAGES if p.script == "pages/data.py")

UPLOAD = (
    "客户编码,许可证号,客户名称,负责人,联系电话,经营地址,线路编码,经营业态,市场类型,经营规模,档位,信用等级,"
    "订货日,云POS,经度,纬度,开业日期,经营状态\n"
    "900001,999999000001,新华便利店,周平,13900000101,通亭街9号,HT01,便利店,城镇,中,15,AA,2,是,119.21,36.77,"
    "2021-03-01,正常经营\n"
    "900002,999999000002,田园副食,吴兰,,北村,HT02,食杂店,乡村,小,4,A,,否,119.22,36.78,2015/6/1,正常经营\n"
    "900003,999999000003,无线路店,郑七,,南村,HT99,食杂店,乡村,小,4,A,,否,119.23,36.79,2015/6/1,正常经营\n"
).encode("gbk")


@pytest.fixture
def import_server(demo_db, tmp_path):
    db = tmp_path / "live.duckdb"
    shutil.copyfile(demo_db, db)
    proc, url = start_server(db)
    yield url, db
    stop_server(proc)


def _main_text(tab) -> str:
    return tab.locator('[data-testid="stMain"]').inner_text()


def test_upload_check_and_import(import_server, page):
    url, db = import_server
    before = cli_kpis(db)["customers.in_scope"]
    open_page(page, f"{url}/{DATA}", "admin")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "客户信息_2026-10.csv", "mimeType": "text/csv", "buffer": UPLOAD}]
    )
    page.get_by_text("客户信息_2026-10.csv").first.wait_for(timeout=30_000)
    wait_ready(page)
    page.get_by_role("button", name="检查文件").click()
    page.get_by_text("检查结果", exact=True).wait_for(timeout=60_000)
    wait_ready(page)
    text = _main_text(page)
    assert "以上是检查结果，数据尚未写入" in text
    assert "不合格的行（1 条问题）" in text
    with page.expect_download() as download:
        page.get_by_role("button", name="下载不合格行清单（CSV）").click()
    rejects = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert rejects == [
        "文件,行号,列,值,原因",
        "客户信息_2026-10.csv,4,线路编码,HT99,在营销线路中找不到（数据库和本次导入中都没有）",
    ]  # the bad row, its column and value, the reason in the admin's language
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / "data-import-check-zh.png", full_page=True)
    assert cli_kpis(db)["customers.in_scope"] == before  # a check writes nothing

    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入结果", exact=True).wait_for(timeout=120_000)
    wait_ready(page)
    text = _main_text(page)
    assert "导入完成：合格的行已写入，1 行不合格已隔离" in text
    page.screenshot(path=ARTIFACTS / "data-import-done-zh.png", full_page=True)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
    assert page.console_errors == []

    after = cli_kpis(db)["customers.in_scope"]
    assert after == before + 2
    open_page(page, url, "admin")  # the overview reads the new file (a new session: sign in again)
    shown = card_value(page, "customers.in_scope").inner_text()
    assert re.sub(r"\D", "", shown) == str(after)

    open_page(page, f"{url}/{DATA}?lang=en", "admin")
    text = _main_text(page)
    assert "Import history" in text
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the failed rows of the chosen import").click()
    rejects = Path(download.value.path()).read_bytes().decode("utf-8-sig").splitlines()
    assert rejects == [
        "File,Row,Column,Value,Reason",
        "客户信息_2026-10.csv,4,线路编码,HT99,not found in sales routes (neither stored nor in this import)",
    ]  # the quarantine, read back from the store in the other language
    page.screenshot(path=ARTIFACTS / "data-import-history-en.png", full_page=True)
    assert not RAW_CODES.search(text), RAW_CODES.search(text)
