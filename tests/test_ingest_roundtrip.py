"""The templates round-trip: the demo store written out in the templates' form (Chinese headers and
labels), imported into an empty store, gives the same KPIs as the demo store."""

import json
import subprocess
import sys

from dashboard import store
from dashboard.ingest import run_import, spec, templates


def kpis(db, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "dashboard", "kpis", "--json", "--db", str(db), *args],
        cwd=store.ROOT, capture_output=True, text=True, check=True, timeout=300,
    )  # fmt: skip
    return json.loads(out.stdout)


def test_demo_store_round_trips_through_the_templates(demo_db, tmp_path):
    con = store.connect(demo_db)
    files = templates.export_store(con, tmp_path / "export")
    counts = {t: con.table(t).aggregate("count(*)").fetchall()[0][0] for t in spec.load_order()}
    con.close()
    header = files[3].read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("客户编码,许可证号,客户名称")  # the templates' headers
    rebuilt = tmp_path / "rebuilt.duckdb"
    outcome = run_import([(p.name, p.read_bytes()) for p in files], rebuilt, user="roundtrip")
    assert outcome.exit_code == 0, [(f.name, f.rejects.head()) for f in outcome.files if f.n_rejected]
    assert {f.table: f.n_new for f in outcome.files} == counts
    assert kpis(rebuilt) == kpis(demo_db)
    for scope in (["--station", "GD"], ["--from", "2026-01-01", "--to", "2026-03-31", "--btype", "B"]):
        assert kpis(rebuilt, *scope) == kpis(demo_db, *scope)
