"""An import applies whole or not at all: kill -9 at random moments leaves the store as it was or as
the finished import leaves it, and the app's queries still run; random bytes and random mutations of
a good file never crash the import nor leave part of a file applied."""

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import store
from dashboard.ingest import run_import, spec

DATA_TABLES = spec.load_order()


def digest(path: Path) -> dict:
    """Each data table's row count and the sum of its rows' hashes (the import tables aside)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.sql(f"select count(*), sum(hash(t))::varchar from {t} as t").fetchall()[0]
            for t in DATA_TABLES
        }
    finally:
        con.close()


def visits_csv(n: int, first_id: int = 1000) -> bytes:
    """n valid visits of the fixture's customers 1-5 by CM1 and CM2."""
    lines = [
        "visit_id,staff_id,customer_id,kind,started_at,ended_at,checkin_distance_m,tasks_required,tasks_done"
    ]
    for i in range(n):
        day, minute = 1 + i % 28, i % 600
        start = f"2026-09-{day:02d} {8 + minute // 60:02d}:{minute % 60:02d}:00"
        end = f"2026-09-{day:02d} {8 + minute // 60:02d}:{minute % 60:02d}:30"
        lines.append(f"{first_id + i},CM{1 + i % 2},{1 + i % 5},routine,{start},{end},{i % 90}.5,3,{i % 4}")
    return ("\n".join(lines) + "\n").encode()


def import_cmd(path: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "dashboard", "import", str(path), "--db", str(db), "--quiet", "--json"]


def test_kill_at_random_moments_leaves_before_or_after(fixture_db, tmp_path):
    data = tmp_path / "visits.csv"
    data.write_bytes(visits_csv(120_000))
    before = digest(fixture_db)
    # the state a finished import leaves, and how long it takes
    done = tmp_path / "done.duckdb"
    shutil.copyfile(fixture_db, done)
    t0 = time.monotonic()
    finished = subprocess.run(
        import_cmd(data, done), cwd=store.ROOT, capture_output=True, text=True, timeout=600
    )
    took = time.monotonic() - t0
    assert finished.returncode == 0, finished.stderr
    after = digest(done)
    assert after != before
    db = tmp_path / "live.duckdb"
    shutil.copyfile(fixture_db, db)
    rng = random.Random(20261031)
    seen = []
    for _ in range(6):
        proc = subprocess.Popen(
            import_cmd(data, db), cwd=store.ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.2, took))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        state = digest(db)
        assert state in (before, after), "the store is neither before nor after the import"
        seen.append("after" if state == after else "before")
        kpis = subprocess.run(
            [sys.executable, "-m", "dashboard", "kpis", "--json", "--db", str(db)],
            cwd=store.ROOT, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert kpis.returncode == 0, kpis.stderr
        assert json.loads(kpis.stdout)["customers.in_scope"] == 5
        if state == after:
            shutil.copyfile(fixture_db, db)  # start again from before
    # the next import clears what the killed ones left and succeeds
    final = subprocess.run(import_cmd(data, db), cwd=store.ROOT, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert digest(db) == after
    assert [p.name for p in tmp_path.iterdir() if ".import-" in p.name and "lock" not in p.name] == []
    print("kills landed:", seen)


# ---------------------------------------------------------------- property: never a crash, never a part

GOOD = (
    "客户编码,许可证号,客户名称,负责人,联系电话,经营地址,线路编码,经营业态,市场类型,经营规模,档位,信用等级,"
    "订货日,云POS,经度,纬度,开业日期,经营状态\n"
    + "".join(
        f"{100 + i},3707030001{i:02d},店{i},人{i},1390000{i:04d},街{i}号,R{1 + i % 3},便利店,城镇,中,"
        f"{1 + i},AA,2,是,119.2{i},36.8{i},2021-03-0{1 + i % 9},正常经营\n"
        for i in range(12)
    )
).encode("utf-8")


@pytest.fixture(scope="module")
def base(tmp_path_factory, fixture_db) -> tuple[Path, dict]:
    path = tmp_path_factory.mktemp("prop") / "base.duckdb"
    shutil.copyfile(fixture_db, path)
    return path, digest(path)


def _check(data: bytes, name: str, base_path: Path, base_digest: dict, tmp: Path) -> None:
    db = tmp / "store.duckdb"
    shutil.copyfile(base_path, db)
    outcome = run_import([(name, data)], db, user="hypothesis")  # must not raise
    assert outcome.error is None, outcome.error  # nor fail inside
    state = digest(db)
    f = outcome.files[0]
    if outcome.exit_code == 2:
        assert state == base_digest, "nothing applied, yet the store changed"
        return
    # applied: exactly the valid rows, each one counted, the store's contracts intact
    assert f.n_valid == f.n_new + f.n_updated + f.n_unchanged
    table = f.table
    assert state[table][0] == base_digest[table][0] + f.n_new
    assert {t: v for t, v in state.items() if t != table} == {
        t: v for t, v in base_digest.items() if t != table
    }
    con = duckdb.connect(str(db), read_only=True)
    try:
        orphans = con.sql("select count(*) from customers c anti join routes r using (route_id)").fetchall()[
            0
        ][0]
        quarantined = con.sql("select count(distinct row_number) from import_rejects").fetchall()[0][0]
    finally:
        con.close()
    assert orphans == 0
    assert quarantined == f.n_rejected


PROPERTY = settings(
    max_examples=30, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(data=st.binary(max_size=3000), name=st.sampled_from(["x.csv", "x.xlsx", "x.parquet", "客户.csv", "x"]))
def test_random_bytes(base, tmp_path_factory, data, name):
    _check(data, name, *base, tmp_path_factory.mktemp("b"))


@st.composite
def mutated(draw) -> bytes:
    """The good file with a few random edits: bytes flipped, cut, doubled, inserted; lines moved."""
    data = bytearray(GOOD)
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(
            st.sampled_from(["flip", "cut", "insert", "delete", "duplicate_line", "truncate", "encode"])
        )
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(
                st.sampled_from([b",", b'"', b"\n", b"\r", b"\x00", b";", b"=1+1", "大".encode(), b"\xff"])
            )
        elif kind == "delete":
            del data[at]
        elif kind == "duplicate_line":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        elif kind == "truncate":
            data = data[:at]
        elif kind == "encode":
            with suppress(UnicodeDecodeError):
                data = bytearray(bytes(data).decode("utf-8").encode("gb18030"))
    return bytes(data)


@PROPERTY
@given(data=mutated())
def test_mutations_of_a_good_file(base, tmp_path_factory, data):
    _check(data, "customers.csv", *base, tmp_path_factory.mktemp("m"))


def test_the_good_file_is_good(base, tmp_path):
    db = tmp_path / "s.duckdb"
    shutil.copyfile(base[0], db)
    outcome = run_import([("customers.csv", GOOD)], db)
    assert outcome.exit_code == 0 and outcome.files[0].n_new == 12
