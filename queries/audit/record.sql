-- One line of the audit log: who did what, when, over which scope (JSON text), with what detail.
insert into audit_log (logged_at, username, role, action, scope, detail)
values ($logged_at::timestamp, $username::varchar, $role::varchar, $action::varchar, $scope::varchar, $detail::varchar)
