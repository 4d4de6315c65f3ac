-- The quarantined rows of one import run: file, row, column, value and the reason's key and arguments.
with rejects as (
    select * from import_rejects where import_id = $import_id
),

files as (
    select import_id, file_no, file_name, table_name from import_log where import_id = $import_id
),

final as (
    select
        f.file_name as file, r.row_number as row, r.column_name as column, r.value, r.reason,
        r.reason_args as args, f.table_name as table, r.raw_row as raw
    from rejects as r
    join files as f using (import_id, file_no)
    order by r.file_no, r.row_number, r.reject_no
)

select * from final
