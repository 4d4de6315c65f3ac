"""The import's parts: headers and codes of the spec, cell parsers, the command line's exit codes,
one import at a time, and the app's connection reading a swapped-in file."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime

import pyarrow as pa
import pytest

from dashboard import audit, i18n, store
from dashboard.ingest import apply, run_import, spec, templates, values


def test_every_spelling_names_one_column_of_its_table():
    for table in spec.TABLES:
        seen: dict[str, str] = {}
        for col in table.columns:
            for text in (col.name, spec.template_header(table.name, col.name, "zh"),
                         spec.template_header(table.name, col.name, "en"), *col.aliases):  # fmt: skip
                key = spec.norm_header(text)
                assert seen.setdefault(key, col.name) == col.name, f"{table.name}: {text!r} is ambiguous"


def test_spec_columns_are_the_schema_columns(fixture_db):
    con = store.connect(fixture_db)
    for table in spec.TABLES:
        assert [c.name for c in table.columns] == con.table(table.name).columns, table.name
    con.close()


@pytest.mark.parametrize("kind", sorted({c.code_kind for t in spec.TABLES for c in t.columns if c.code_kind}))
def test_every_code_reads_from_its_labels(kind):
    for lang in ("zh", "en"):
        for code, text in i18n.labels(kind, lang).items():
            assert spec.code_map(kind)[spec.norm_code(text)] == code
            assert spec.code_map(kind)[spec.norm_code(code)] == code


def _parse(cells, kind, **kw):
    got, problems = values.parse(
        pa.chunked_array([pa.array(cells, pa.string())]), spec.Column("x", kind, **kw)
    )
    return got.to_pylist(), {p.reason: [int(i) for i in p.mask.nonzero()[0]] for p in problems}


@pytest.mark.parametrize(
    ("cell", "want"),
    [
        ("2026-10-03", datetime(2026, 10, 3)),
        ("2026/10/3", datetime(2026, 10, 3)),
        ("2026.10.3", datetime(2026, 10, 3)),
        ("2026年10月3日", datetime(2026, 10, 3)),
        ("20261003", datetime(2026, 10, 3)),
        ("2026-10-03 08:30", datetime(2026, 10, 3, 8, 30)),
        ("2026-10-03T08:30:15", datetime(2026, 10, 3, 8, 30, 15)),
        ("2026年10月3日 8时30分", datetime(2026, 10, 3, 8, 30)),
        ("２０２６－１０－０３ ０８：３０", datetime(2026, 10, 3, 8, 30)),  # full-width
        ("2026-10-03T00:30:00Z", datetime(2026, 10, 3, 8, 30)),  # UTC -> Beijing
        ("46298", datetime(2026, 10, 3)),  # an Excel serial
        ("46298.5", datetime(2026, 10, 3, 12)),
        ("2026-02-30", None),  # no such day
        ("10/3/2026", None),  # month and day could be either way round
        ("", None),
    ],
)
def test_timestamps(cell, want):
    got, _ = _parse([cell], spec.TIMESTAMP)
    assert got == [want]


def test_months_and_numbers():
    got, problems = _parse(["2026-10", "2026年10月", "202610", "2026-10-01", "2026-10-15"], spec.MONTH)
    assert got == [date(2026, 10, 1)] * 4 + [None]
    assert problems == {"month_not_first": [4]}
    got, problems = _parse(["1,234", "12.0", "1.5", "x", "=1+1", "-3", ""], spec.INT, lo=0, required=True)
    assert got[:2] == [1234, 12]
    assert problems == {
        "not_integer": [2],
        "not_number": [3],
        "formula": [4],
        "out_of_range": [5],
        "required": [6],
    }
    got, _ = _parse(["¥12.30", "1e3", "1,000.5元"], spec.DECIMAL)
    assert got == ["12.30", "1000.00", "1000.5"]


def cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "dashboard", "import", *map(str, args)],
        cwd=store.ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_cli_exit_codes_and_report(fixture_db, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copyfile(fixture_db, db)
    good = tmp_path / "stations.csv"
    good.write_bytes(templates.template_bytes("stations"))
    bad = tmp_path / "客户.csv"
    bad.write_text("客户编码,许可证号\n1,2\n", encoding="gbk")
    first = cli(good, "--db", db, "--lang", "en")
    assert first.returncode == 0, first.stderr
    assert "stations.csv: stations, 2 rows read, 2 new, 0 updated, 0 unchanged, 0 rejected" in first.stdout
    again = cli(good, "--db", db, "--json")
    assert json.loads(again.stdout)["files"][0]["unchanged"] == 2  # a re-import changes nothing
    refused = cli(bad, "--db", db, "--lang", "zh")
    assert refused.returncode == 2
    assert "客户.csv：拒收，看起来是“客户”，但缺少必填列：客户名称" in refused.stdout
    rejects = tmp_path / "rejects.csv"
    visits = tmp_path / "visits.csv"
    visits.write_text("visit_id,staff_id,customer_id,kind,started_at\n90,CM1,1,routine,2026-10-05 9:00\n"
                      "91,NOPE,1,routine,2026-10-05\n", encoding="utf-8")  # fmt: skip
    partial = cli(visits, "--db", db, "--rejects", rejects, "--lang", "en")
    assert partial.returncode == 1
    lines = rejects.read_bytes().decode("utf-8-sig").splitlines()
    assert lines[0] == "File,Row,Column,Value,Reason"
    assert lines[1] == "visits.csv,3,staff_id,NOPE,not found in staff (neither stored nor in this import)"
    strict = cli(visits, "--db", db, "--strict", "--dry-run")
    assert strict.returncode == 2
    assert cli(tmp_path / "missing.csv", "--db", db).returncode == 2
    # each import that could change the store has an audit line (a dry run has none): who, file, hash, counts
    logged = audit.recent(limit=10_000)
    files = [f for d in logged[logged.action == "import"].detail for f in json.loads(d)["files"]]
    mine = [
        f for f in files if f["sha256"] in {hashlib.sha256(p.read_bytes()).hexdigest() for p in (bad, visits)}
    ]
    assert sorted((f["name"], f["status"], f["rejected"]) for f in mine) == [
        ("visits.csv", "partial", 1), ("客户.csv", "refused", 0)
    ]  # fmt: skip


def test_one_import_at_a_time(fixture_db, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copyfile(fixture_db, db)
    with apply.lock(db):
        outcome = run_import([("stations.csv", templates.template_bytes("stations"))], db)
    assert outcome.error == "busy" and outcome.exit_code == 2
    assert not any(p.name.startswith(".s.duckdb.import-") for p in tmp_path.iterdir())


def test_a_snapshot_reads_the_file_swapped_in_while_it_is_open(fixture_db, tmp_path):
    """The app's connection (store.snapshot): an import's os.replace is seen by the next snapshot,
    while the open one goes on reading the old file."""
    db = tmp_path / "live.duckdb"
    shutil.copyfile(fixture_db, db)
    old = store.snapshot(db)
    assert store.run(old, "filters/stations").shape[0] == 2
    outcome = run_import([("stations.csv", templates.template_bytes("stations"))], db)
    assert outcome.exit_code == 0
    new = store.snapshot(db)
    assert store.run(new, "filters/stations").shape[0] == 4
    assert store.run(old, "filters/stations").shape[0] == 2
    old.close()
    new.close()


def test_templates_are_written_from_the_examples():
    for table in spec.load_order():
        path = templates.TEMPLATES_DIR / f"{table}.csv"
        assert path.read_bytes() == templates.template_bytes(table), f"run the templates writer: {path}"
        header = path.read_bytes().decode("utf-8-sig").splitlines()[0].split(",")
        assert header == [spec.template_header(table, c.name) for c in spec.BY_NAME[table].columns]


def test_templates_import_into_an_empty_store(tmp_path):
    db = tmp_path / "empty.duckdb"
    files = [(p.name, p.read_bytes()) for p in sorted(templates.TEMPLATES_DIR.glob("*.csv"))]
    outcome = run_import(files, db, user="t")
    assert outcome.exit_code == 0, [f.rejects for f in outcome.files]
    assert {f.table: f.n_new for f in outcome.files} == {t: 2 for t in spec.load_order()}
    assert os.path.exists(db)


def test_updates_of_rows_others_point_at(fixture_db, tmp_path):
    """A customer moved to another route with a new licence, a route given to another manager, a staff
    member moved to another station: DuckDB refuses these as plain updates (rows point at them); the
    import replaces them and keeps every row that points at them."""
    db = tmp_path / "s.duckdb"
    shutil.copyfile(fixture_db, db)

    def counts():
        con = store.connect(db)
        try:
            return {t: con.table(t).aggregate("count(*)").fetchall()[0][0] for t in spec.load_order()}
        finally:
            con.close()

    before = counts()
    customers = (
        "客户编码,许可证号,客户名称,负责人,线路编码,经营业态,市场类型,经营规模,档位,信用等级,经度,纬度,开业日期,经营状态\n"
        "1,370703009991,张记便利(新),张小明,R2,食杂店,城镇,中,12,AA,119.201,36.801,2020-01-01,正常经营\n"
        "2,370703000002,好邻居便利店,王芳,R1,便利店,城镇,中,21,AAA,119.202,36.802,2019-05-01,正常经营\n"
    )
    routes = "线路编码,服务站编码,线路名称,客户经理编码,专管员编码,走访日\nR1,S1,东站1线,CM2,IN1,1\n"
    staff = "人员编码,姓名,岗位,服务站编码,联系电话\nCM1,王客经,客户经理,S2,13800000001\n"
    files = [
        ("customers.csv", customers.encode()),
        ("routes.csv", routes.encode()),
        ("staff.csv", staff.encode()),
    ]
    outcome = run_import(files, db)
    assert outcome.exit_code == 0
    assert [(f.n_new, f.n_updated, f.n_unchanged) for f in outcome.files] == [(0, 2, 0), (0, 1, 0), (0, 1, 0)]
    assert counts() == before  # nothing lost, nothing doubled
    con = store.connect(db)
    got = con.sql(
        "select license_no, shop_name, route_id, phone from customers where customer_id = 1"
    ).fetchall()
    assert got == [("370703009991", "张记便利(新)", "R2", "13900000001")]  # phone: not in the file, kept
    assert con.sql("select customer_manager_id from routes where route_id = 'R1'").fetchall() == [("CM2",)]
    assert con.sql("select station_id from staff where staff_id = 'CM1'").fetchall() == [("S2",)]
    con.close()
    again = run_import(files, db)
    assert [(f.n_updated, f.n_unchanged) for f in again.files] == [(0, 2), (0, 1), (0, 1)]


def test_a_named_sheet_of_a_workbook(fixture_db, tmp_path):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["这张表是说明，不是数据"])
    sheet = book.create_sheet("服务站")
    for row in [
        ["服务站编码", "服务站名称", "乡镇代码", "经度", "纬度"],
        ["S9", "北站", 370703009, 119.3, 36.9],
    ]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    db = tmp_path / "s.duckdb"
    shutil.copyfile(fixture_db, db)
    first = run_import([("站点.xlsx", buffer.getvalue())], db, dry_run=True)
    assert first.files[0].refusal[0] == "no_header"  # the first sheet holds no table
    missing = run_import([("站点.xlsx", buffer.getvalue())], db, sheet="没有", dry_run=True)
    assert missing.files[0].refusal == ("no_sheet", {"sheet": "没有", "sheets": "说明, 服务站"})
    named = run_import([("站点.xlsx", buffer.getvalue())], db, sheet="服务站")
    assert named.exit_code == 0 and named.files[0].n_new == 1


def test_the_write_statements_fit_the_spec():
    """queries/ingest/write/: a delete per table on its key, an update per table others point at that
    sets exactly the columns no index covers (a foreign-key or unique column is never updated in place)."""
    referenced = {fk.table for t in spec.TABLES for fk in t.fks}
    for table in spec.TABLES:
        delete = store.load_query(f"ingest/write/delete/{table.name}").sql
        assert f"delete from {table.name} as t" in delete
        assert all(f"t.{k} = s.{k}" in delete for k in table.key)
        if table.name not in referenced:
            continue
        update = store.load_query(f"ingest/write/update/{table.name}").sql
        indexed = {fk.column for fk in table.fks} | set(table.unique)
        plain = {c.name for c in table.columns} - set(table.key) - indexed
        assert set(re.findall(r"^\s+(\w+) = s\.\1,?$", update, re.M)) == plain, table.name
