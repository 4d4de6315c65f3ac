-- The audit log: sign-ins, sign-outs, imports and exports. It lives in a file of its own
-- (dashboard.audit.audit_path), because the app opens the data read-only and an import swaps the data
-- file whole; each writer opens it briefly, so the app and the command line can both write.
create sequence if not exists audit_ids;

create table if not exists audit_log (
    audit_id bigint primary key default nextval('audit_ids'),
    logged_at timestamp not null,  -- local time (Asia/Shanghai), like every timestamp of the store
    username varchar not null,
    role varchar,
    action varchar not null,  -- sign_in, sign_in_failed, sign_in_locked, sign_out, expired, import, export, ...
    scope varchar,  -- JSON: period, filters and the role's limit
    detail varchar  -- JSON: what was exported or imported, why a sign-in failed
);
