-- The import log, newest first: one row per file of each run, with its counts and result.
with log as (
    select * from import_log
),

final as (
    select
        import_id, file_no, imported_at, user_name, file_name, sha256, table_name, file_format, encoding,
        status, strict, rows_read, rows_new, rows_updated, rows_unchanged, rows_rejected, seconds, reason,
        reason_args
    from log
    order by import_id desc, file_no
    limit $limit
)

select * from final
