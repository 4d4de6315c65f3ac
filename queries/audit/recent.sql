-- The latest lines of the audit log, newest first.
select audit_id, logged_at, username, role, action, scope, detail
from audit_log
order by audit_id desc
limit $limit::integer
