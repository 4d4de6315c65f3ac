"""The corpus of malformed files (tests/ingest_corpus/files, written by tests/ingest_corpus/make.py):
each file's import into a copy of the fixture store ends the way this table says, and the store holds
exactly the rows reported applied."""

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.ingest import report, run_import

FILES = Path(__file__).parent / "ingest_corpus" / "files"
STRICT = {"strict_one_bad_row.csv"}

# file: (exit code, refusal or None, rows read, rows rejected, reasons of the rejected rows)
EXPECTED = {
    # refused whole: nothing read, nothing applied
    "empty.csv": (2, "empty", 0, 0, set()),
    "only_blank_lines.csv": (2, "empty", 0, 0, set()),
    "header_only.csv": (2, "no_rows", 0, 0, set()),
    "random_bytes.csv": (2, "binary", 0, 0, set()),
    "png_named.csv": (2, "binary", 0, 0, set()),  # an image renamed .csv
    "nul_bytes.csv": (2, "binary", 0, 0, set()),
    "csv_named.xlsx": (2, "not_claimed_format", 0, 0, set()),  # text with an .xlsx name
    "xlsx_named.csv": (2, "not_claimed_format", 0, 0, set()),  # a workbook with a .csv name
    "truncated.xlsx": (2, "bad_xlsx", 0, 0, set()),
    "zip_of_csv.xlsx": (2, "zip_not_xlsx", 0, 0, set()),
    "old_excel.xls": (2, "old_xls", 0, 0, set()),
    "truncated.parquet": (2, "bad_parquet", 0, 0, set()),
    "neither_utf8_nor_gbk.csv": (2, "encoding", 0, 0, set()),
    "no_header.csv": (2, "no_header", 0, 0, set()),  # data rows only
    "tickets_2026-10.csv": (2, "wrong_table", 0, 0, set()),  # named tickets, holds customers
    "missing_licence_column.csv": (2, "missing_columns", 0, 0, set()),
    "two_id_columns.csv": (2, "duplicate_header", 0, 0, set()),  # 客户编码 and 客户编号
    # every row rejected: nothing applied
    "wrong_delimiter_rows.csv": (2, None, 2, 2, {"field_count"}),  # header with commas, rows with ;
    "unbalanced_quote.csv": (2, None, 1, 1, {"field_count"}),  # the quote swallows the next row
    "unknown_parents.csv": (2, None, 2, 2, {"fk_missing"}),
    "out_of_range.csv": (2, None, 3, 3, {"out_of_range", "not_number"}),
    "licence_as_number.csv": (2, None, 3, 3, {"license_as_number", "license_format", "unique_taken"}),
    "strict_one_bad_row.csv": (2, None, 2, 1, {"fk_missing"}),  # --strict: the good row stays out too
    # bad rows quarantined, the rest applied
    "truncated_mid_row.csv": (1, None, 2, 1, {"field_count"}),  # cut inside a character of the last row
    "duplicate_keys.csv": (1, None, 5, 3, {"duplicate_key", "duplicate_row"}),
    "unknown_codes.csv": (1, None, 4, 3, {"unknown_code"}),
    "stages_out_of_order.csv": (1, None, 5, 4, {"stage_order", "stage_gap", "result_without_callback"}),
    "formulas.csv": (1, None, 4, 3, {"formula"}),
    "formula_cell.xlsx": (1, None, 2, 1, {"formula"}),
    "huge_field.csv": (1, None, 2, 1, {"too_long"}),  # a 200,000-character shop name
    "bad_dates.csv": (1, None, 4, 3, {"not_date", "date_out_of_range"}),
    "coordinates.csv": (1, None, 3, 2, {"coords_swapped", "outside_china"}),
    "control_chars.csv": (1, None, 2, 1, {"control_chars"}),
    "visits_broken_rows.csv": (
        1,
        None,
        5,
        4,
        {"end_before_start", "visit_too_long", "out_of_range", "tasks_over", "unknown_code"},
    ),  # fmt: skip
    "sales_for_store_without_pos.csv": (1, None, 3, 2, {"fk_no_pos", "month_not_first"}),
    "parquet_bad_rows.parquet": (1, None, 3, 2, {"fk_missing", "not_time"}),
    # unusual but well-formed: applied whole
    "semicolons_gbk.csv": (0, None, 1, 0, set()),
    "tabs_gb18030.txt": (0, None, 1, 0, set()),  # 𠀾 is outside GBK
    "excel_unicode_text.txt": (0, None, 1, 0, set()),  # Excel's "Unicode text": UTF-16, tabs
    "title_row_and_old_mac_newlines.csv": (0, None, 1, 0, set()),
    "english_headers.csv": (0, None, 1, 0, set()),  # and English code labels, one unknown column
    "excel_serial_dates.xlsx": (0, None, 1, 0, set()),
    "good_visits.parquet": (0, None, 2, 0, set()),
}


@pytest.fixture
def store_copy(fixture_db, tmp_path) -> Path:
    path = tmp_path / "store.duckdb"
    shutil.copyfile(fixture_db, path)
    return path


def test_the_corpus_is_all_here():
    assert {p.name for p in FILES.iterdir()} == set(EXPECTED)
    assert len(EXPECTED) >= 30


def _rows(path: Path, table: str) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.table(table).aggregate("count(*)").fetchall()[0][0]
    finally:
        con.close()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file(store_copy, name):
    code, refusal, n_read, n_rejected, reasons = EXPECTED[name]
    data = (FILES / name).read_bytes()
    outcome = run_import([(name, data)], store_copy, strict=name in STRICT, user="corpus")
    f = outcome.files[0]
    assert outcome.exit_code == code, report.summary_lines(outcome, "en")
    assert (f.refusal[0] if f.refusal else None) == refusal
    assert (f.n_read, f.n_rejected) == (n_read, n_rejected)
    assert set(f.rejects["reason"]) == reasons
    # every rejected row is named: a row number and a reason in both languages
    for lang in ("zh", "en"):
        frame = report.rejects_frame(outcome.rejects(), lang)
        assert frame.iloc[:, 1].min() >= 2 if len(frame) else True
        assert all(text and "{" not in text for text in frame.iloc[:, 4]), frame
        assert "{" not in " ".join(report.summary_lines(outcome, lang))
    # the store holds the applied rows, the log the run, the quarantine the rejected rows
    if f.table:
        log = duckdb.connect(str(store_copy), read_only=True)
        try:
            quarantined = log.sql("select count(distinct row_number) from import_rejects").fetchall()[0][0]
            logged = log.sql("select status, rows_rejected from import_log").fetchall()
        finally:
            log.close()
        assert quarantined == n_rejected
        assert logged == [(f.status, n_rejected)]
    if code == 2 and f.table:
        assert f.n_new == 0


def test_applied_rows_are_in_the_store(store_copy, fixture_db):
    before = _rows(fixture_db, "customers")
    outcome = run_import([("formulas.csv", (FILES / "formulas.csv").read_bytes())], store_copy, user="t")
    assert outcome.files[0].n_new == 1
    assert _rows(store_copy, "customers") == before + 1


def test_reimport_changes_nothing(store_copy):
    data = (FILES / "duplicate_keys.csv").read_bytes()
    first = run_import([("duplicate_keys.csv", data)], store_copy, user="t")
    again = run_import([("duplicate_keys.csv", data)], store_copy, user="t")
    f1, f2 = first.files[0], again.files[0]
    assert (f1.n_new, f1.n_updated) == (2, 0)
    assert (f2.n_new, f2.n_updated, f2.n_unchanged) == (0, 0, 2)
