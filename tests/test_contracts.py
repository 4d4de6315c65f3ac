"""Contracts next to the data: keys unique, foreign keys resolve, invariants hold, on both DBs.

Keys and foreign keys are read from DuckDB's own catalog, so every declared one is checked;
the invariants are SQL files in tests/contracts/, each returning the rows that break it.
"""

from pathlib import Path

import pytest

from dashboard import store

CONTRACTS = sorted((Path(__file__).parent / "contracts").glob("*.sql"))


@pytest.fixture(scope="module", params=["fixture", "demo"])
def con(request):
    path = request.getfixturevalue(f"{request.param}_db")
    connection = store.connect(path)
    yield connection
    connection.close()


def constraints(con, kind: str) -> list[tuple]:
    return con.execute(
        """select table_name, constraint_column_names, referenced_table, referenced_column_names
           from duckdb_constraints() where constraint_type = ? order by all""",
        [kind],
    ).fetchall()


def test_every_table_has_a_primary_key(con):
    tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables == {row[0] for row in constraints(con, "PRIMARY KEY")}


# Table and column names below come from DuckDB's catalog, never from a user: identifiers cannot be bound.


def test_keys_are_unique(con):
    for table, columns, _, _ in constraints(con, "PRIMARY KEY") + constraints(con, "UNIQUE"):
        cols = ", ".join(columns)
        repeated = f"select {cols} from {table} group by all having count(*) > 1 limit 5"
        dupes = con.execute(repeated).fetchall()
        assert dupes == [], f"{table}({cols}) repeats {dupes}"


def test_foreign_keys_resolve(con):
    fks = constraints(con, "FOREIGN KEY")
    assert len(fks) >= 20
    for table, columns, parent, parent_columns in fks:
        on = " and ".join(f"c.{a} = p.{b}" for a, b in zip(columns, parent_columns, strict=True))
        not_null = " and ".join(f"c.{a} is not null" for a in columns)
        orphan_count = f"select count(*) from {table} c anti join {parent} p on {on} where {not_null}"
        orphans = con.execute(orphan_count).fetchone()[0]
        assert orphans == 0, f"{orphans} rows of {table}({', '.join(columns)}) point nowhere in {parent}"


@pytest.mark.parametrize("contract", CONTRACTS, ids=lambda p: p.stem)
def test_invariant(con, contract):
    broken = con.execute(contract.read_text(encoding="utf-8")).fetchall()
    assert broken == [], f"{contract.stem}: {len(broken)} rows, e.g. {broken[:5]}"


def test_every_table_is_filled(con):
    for (table,) in con.execute("select table_name from duckdb_tables()").fetchall():
        if table.startswith("import_"):
            continue  # the import log and quarantine fill when data is imported
        row_count = f"select count(*) from {table}"
        assert con.execute(row_count).fetchone()[0] > 0, f"{table} is empty"
