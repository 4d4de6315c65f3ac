-- What the rollups were built from (dashboard/rollups.sql, section rollup_state).
select version, settings, source_counts, refreshed_at
from rollup_state
