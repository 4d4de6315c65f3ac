"""store.frame gives the DataFrame DuckDB's `.df()` gives, for short results (DuckDB's conversion) and long
ones (text past the first vector by Arrow): the same values, dtypes and order, NULLs included."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from dashboard import store, tickets
from dashboard.scope import Scope

# every kind of column the named queries return, with NULLs, text that is NULL throughout, and an enum
SQL = """
select
    range as id,
    case when range % 7 = 0 then null else range % 100 end::integer as maybe_int,
    case when range % 5 = 0 then null else 'shop ' || range end as shop,
    case when range % 3 = 0 then '固堤' when range % 3 = 1 then 'Hanting' else '' end as station,
    null::varchar as nothing,
    (range / 3.0)::decimal(12, 2) as yuan,
    case when range % 6 = 0 then null else (range / -7.0)::decimal(18, 3) end as maybe_yuan,
    (range * 1e20)::decimal(38, 0) as huge,
    case when range % 9 = 0 then null else range / 9 end as maybe_double,
    (range % 200)::utinyint as small,
    case when range % 8 = 0 then null else date '2026-01-01' + (range % 30)::integer end as maybe_day,
    range * 0.1 as score,
    range % 2 = 0 as flag,
    case when range % 4 = 0 then null else range % 3 = 0 end as maybe_flag,
    date '2026-01-01' + (range % 300)::integer as day,
    timestamp '2026-01-01 08:00:00' + to_seconds(range) as at,
    case when range % 11 = 0 then null else timestamp '2026-02-01' + to_minutes(range) end as maybe_at,
    [range, range + 1] as pair,
    {'a': range, 'b': 'x' || range} as thing,
    (['Z', 'B', 'S'])[1 + range % 3]::enum ('Z', 'B', 'S') as btype
from range($rows)
order by id desc
"""


@pytest.mark.parametrize("rows", [0, 1, 2047, 2048, 2049, 5000, 70_001])
def test_a_frame_equals_what_df_gives(rows):
    con = duckdb.connect()
    expected = con.execute(SQL, {"rows": rows}).df()
    got = store.frame(con.cursor().execute(SQL, {"rows": rows}))
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_a_result_whose_chunks_are_not_full_vectors():
    # a filter leaves chunks of ~683 rows: the first chunk is not the end of the result
    con = duckdb.connect()
    sql = "select range as id, 'n' || range as name from range(30000) where range % 3 = 0"
    got = store.frame(con.cursor().execute(sql))
    assert len(got) == 10_000
    pd.testing.assert_frame_equal(got, con.execute(sql).df(), check_exact=True)


def test_text_only_and_no_text_results():
    con = duckdb.connect()
    text, numbers = "select 'n' || range as name from range(6000)", "select range, range / 2 from range(6000)"
    for sql in (text, numbers):
        got = store.frame(con.cursor().execute(sql))
        pd.testing.assert_frame_equal(got, con.execute(sql).df(), check_exact=True)


def test_the_long_ticket_list_is_the_same_frame(demo_db):
    # a named query through store.run: the demo's two years of tickets (3,721 rows), as the page reads them
    con = store.connect(demo_db)
    params = tickets.list_params(Scope(date(2024, 11, 1), date(2026, 12, 31)), first_rows=None)
    got = store.run(con, "tickets/list", params)
    assert len(got) > duckdb.__standard_vector_size__
    expected = con.execute(store.load_query("tickets/list").sql, params).df()
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


@pytest.mark.parametrize("rows", [0, 1, 2049, 70_001])
def test_a_kept_frame_reads_back_as_what_df_gives(rows):
    # rollups.KEPT_ANSWERS: an answer kept as an Arrow IPC stream (the frame with pandas' dtypes), read back
    # through its one column as Arrow converts it
    con = duckdb.connect()
    expected = con.execute(SQL, {"rows": rows}).df()
    kept = store.kept_frame(store.frame(con.cursor().execute(SQL, {"rows": rows})))
    assert store.KEPT_FRAME == "arrow_ipc"
    got = store.frame(con.cursor().execute("select $kept::blob as arrow_ipc", {"kept": kept}))
    if not rows:  # an empty ENUM column keeps no categories in Arrow (no column of the store is an ENUM)
        got, expected = got.drop(columns="btype"), expected.drop(columns="btype")
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


PLAIN = (
    "select range as id, 'shop ' || range as shop, range * 0.1 as score, range % 2 = 0 as flag "
    "from range($rows)"
)


@pytest.mark.parametrize(("sql", "noted"), [(SQL, True), (PLAIN, False)], ids=["nullable columns", "plain"])
def test_pandas_note_of_dtypes_is_kept_only_when_arrow_alone_gives_another_frame(sql, noted):
    # the note costs a third of a small frame's reading: a frame whose dtypes Arrow gives back goes without
    con = duckdb.connect()
    answer = store.frame(con.cursor().execute(sql, {"rows": 3000}))
    kept = store.kept_frame(answer)
    assert (b"pandas" in (pa.ipc.open_stream(kept).schema.metadata or {})) is noted
    got = store.frame(con.cursor().execute("select $kept::blob as arrow_ipc", {"kept": kept}))
    pd.testing.assert_frame_equal(got, answer, check_exact=True)


def test_a_missing_kept_frame_says_what_to_do():
    con = duckdb.connect()
    with pytest.raises(LookupError, match="dashboard refresh"):
        store.frame(con.cursor().execute("select 'x'::blob as arrow_ipc where false"))
