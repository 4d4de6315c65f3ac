"""Who sees what: the roles, the rows each may see (a scope Limit) and the personal data masked for it.

A role's row limit lives in the Scope (dashboard/scope.py), so every query, the `kpis` CLI, exports and
the meeting pack obey it; `mask_frame` is the one function that masks personal data in frames as they
leave the named queries, so pages and every download get masked frames without each having to remember.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard import store
from dashboard.kpis import Runner
from dashboard.scope import Limit


@dataclass(frozen=True)
class Role:
    reach: str  # which rows: "all", "station" (the user's station) or "routes" (the user's own routes)
    personal: bool  # owner names and phone numbers in full
    identities: bool  # which store a row is (shop name, address, licence); False = aggregates only
    may_import: bool


ROLES = {
    "admin": Role("all", personal=True, identities=True, may_import=True),
    "manager": Role("all", personal=False, identities=True, may_import=False),
    "station_head": Role("station", personal=True, identities=True, may_import=False),
    "customer_manager": Role("routes", personal=True, identities=True, may_import=False),
    "viewer": Role("all", personal=False, identities=False, may_import=False),
}
STRICTEST = ROLES["viewer"]

# Columns that carry personal data, by how they are masked. Staff phones end in _phone.
NAME_COLUMNS = ("owner_name",)
IDENTITY_COLUMNS = ("shop_name", "address", "license_no")


def limit_for(user, run: Runner) -> Limit | None:
    """The rows `user` may see: None for every row; a customer manager's routes come from the store."""
    role = ROLES[user.role]
    one = role.identities  # without them, never one store on its own
    if role.reach == "all":
        return None if one else Limit(one_customer=False)
    if role.reach == "station":
        return Limit(stations=(user.station,), one_customer=one)
    routes = run("filters/manager_routes", {"staff_id": user.staff_id})
    stations = tuple(sorted(set(routes.station_id)))
    return Limit(stations=stations, routes=tuple(routes.route_id), one_customer=one)


def mask_name(value):
    """张小明 -> 张*明, 王芳 -> 王*: the first and last character stay."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) <= 2:
        return value[0] + "*" * (len(value) - 1) if len(value) == 2 else "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_phone(value):
    """13812341234 -> 138****1234; a short number keeps its last two characters."""
    if not isinstance(value, str) or not value:
        return value
    if len(value) >= 8:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return "*" * max(len(value) - 2, 1) + value[-2:] if len(value) > 2 else "*" * len(value)


def _is_phone(column: str) -> bool:
    return column == "phone" or column.endswith("_phone")


def mask_frame(frame: pd.DataFrame, role: str | None) -> pd.DataFrame:
    """The frame with the personal data `role` may not see masked (an unknown role: the strictest)."""
    if tuple(frame.columns) == store.KEPT_BUNDLE:  # several kept answers: each its own frame
        return frame.assign(frame=[mask_frame(kept, role) for kept in frame["frame"]])
    rights = ROLES.get(role or "", STRICTEST)
    columns = {}
    for column in frame.columns:
        name = str(column)
        if not rights.personal and (name in NAME_COLUMNS or _is_phone(name)):
            columns[column] = mask_phone if _is_phone(name) else mask_name
        elif not rights.identities and name in IDENTITY_COLUMNS:
            columns[column] = mask_name
    if not columns:
        return frame
    masked = frame.copy()
    for column, mask in columns.items():
        masked[column] = masked[column].map(mask, na_action="ignore")
    return masked


def masked_runner(run: Runner, role: str | None) -> Runner:
    """A query runner whose frames come back masked for `role` (for exports made outside the app)."""

    def masked_run(name: str, params: dict | None = None) -> pd.DataFrame:
        return mask_frame(run(name, params), role)

    return masked_run
