-- Whether the store has rollups at all (a store built before them, or by other code, has none).
select table_name
from duckdb_tables()
where table_name = 'rollup_state'
