"""The users file (data/users.toml): who may sign in, with which role, and salted Argon2id password hashes;
and the throttle that rate-limits failed sign-ins. No Streamlit here (dashboard/login.py draws the form).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from dashboard.access import ROLES
from dashboard.store import ROOT

DEFAULT_USERS = ROOT / "data" / "users.toml"
USERNAME = re.compile(r"[A-Za-z0-9_.@-]{1,64}")


class UsersFileError(ValueError):
    """The users file is missing or wrong: the message names the file, the user and the field."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    name: str  # shown in the sidebar
    password_hash: str | None = None  # None: signs in only through the company's OIDC provider
    station: str | None = None  # station_head: the station they run
    staff_id: str | None = None  # customer_manager: their staff id (their routes come from the store)
    email: str | None = None  # OIDC: the identity provider's e-mail claim that maps to this user


def users_path() -> Path:
    """The users file: `DASHBOARD_USERS` if set, else data/users.toml (read when called)."""
    return Path(os.environ.get("DASHBOARD_USERS") or DEFAULT_USERS)


def _user(path: Path, username: str, entry: object) -> User:
    def fail(why: str) -> UsersFileError:
        return UsersFileError(f"{path}: user {username!r}: {why}")

    if not USERNAME.fullmatch(username):
        raise fail("a user name is 1-64 letters, digits or _ . @ -")
    if not isinstance(entry, dict):
        raise fail("expected a table [users.NAME]")
    known = {"role", "name", "password_hash", "station", "staff_id", "email"}
    if set(entry) - known:
        raise fail(f"unknown field(s) {sorted(set(entry) - known)}; known: {sorted(known)}")
    if any(not isinstance(v, str) for v in entry.values()):
        raise fail("every field is a string")
    role = entry.get("role")
    if role not in ROLES:
        raise fail(f"role {role!r} is not one of {list(ROLES)}")
    if role == "station_head" and not entry.get("station"):
        raise fail("a station_head needs `station` (a station id)")
    if role == "customer_manager" and not entry.get("staff_id"):
        raise fail("a customer_manager needs `staff_id` (their routes come from routes.customer_manager_id)")
    pw = entry.get("password_hash")
    if pw is not None and not pw.startswith("$argon2"):
        raise fail("password_hash is not an Argon2 hash: set it with `python -m dashboard users passwd`")
    if pw is None and not entry.get("email"):
        raise fail("needs a password_hash or an email (for OIDC sign-in)")
    return User(
        username=username, name=entry.get("name") or username, **{k: entry.get(k) for k in known - {"name"}}
    )


@cache
def _load(path: str, mtime: float) -> dict[str, User]:
    file = Path(path)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise UsersFileError(f"{file}: not valid TOML: {error}") from error
    table = data.get("users", {})
    if not isinstance(table, dict):
        raise UsersFileError(f"{file}: expected [users.NAME] tables")
    return {name: _user(file, name, entry) for name, entry in table.items()}


def load_users(path: Path | None = None) -> dict[str, User]:
    """Every user of the file by user name (re-read when the file changes)."""
    path = path or users_path()
    if not path.is_file():
        raise UsersFileError(f"no users file at {path}: run `python -m dashboard users init` (make run does)")
    return _load(str(path), path.stat().st_mtime)


# ---- passwords ----------------------------------------------------------------------------------

_HASHER = PasswordHasher()  # Argon2id, argon2-cffi's defaults (RFC 9106 low-memory profile), random salt


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


@cache
def _dummy_hash() -> str:
    return _HASHER.hash(secrets.token_urlsafe(16))


def check_password(user: User | None, password: str) -> bool:
    """True when `password` is `user`'s; an unknown user costs the same time as a wrong password."""
    stored = user.password_hash if user else None
    try:
        return _HASHER.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def new_password() -> str:
    return secrets.token_urlsafe(12)


# ---- the file -----------------------------------------------------------------------------------

HEADER = """\
# Who may sign in to the dashboard (docs: README.md, "Sign-in and roles").
# role: admin | manager | station_head (needs station) | customer_manager (needs staff_id) | viewer
# password_hash: Argon2id; set it with `python -m dashboard users passwd NAME`. For OIDC sign-in give
# `email` (the provider's e-mail claim) and no password.
"""

DEMO_USERS = (
    User("admin", "admin", "数据管理员"),
    User("manager", "manager", "营销部经理"),
    User("head_ht", "station_head", "寒亭站站长", station="HT"),
    User("cm05", "customer_manager", "冯华兰（客户经理）", staff_id="CM05"),
    User("viewer", "viewer", "只读访客"),
)


def to_toml(users: list[User]) -> str:
    """The users file's text (JSON strings are TOML basic strings)."""
    parts = [HEADER]
    for user in users:
        parts.append(f"\n[users.{json.dumps(user.username)}]\n")
        for field in ("role", "name", "station", "staff_id", "email", "password_hash"):
            value = getattr(user, field)
            if value is not None:
                parts.append(f"{field} = {json.dumps(value, ensure_ascii=False)}\n")
    return "".join(parts)


def write_users(path: Path, users: list[User]) -> None:
    """Write the file readable by its owner only, replacing any file atomically (checked first)."""
    for user in users:
        fields = {k: v for k, v in user.__dict__.items() if k != "username" and v is not None}
        _user(path, user.username, fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(to_toml(users))
    os.replace(tmp, path)


def init_demo_users(path: Path) -> dict[str, str]:
    """A users file with one demo user per role and fresh random passwords; returns name -> password."""
    passwords = {u.username: new_password() for u in DEMO_USERS}
    users = [
        User(**{**u.__dict__, "password_hash": hash_password(passwords[u.username])}) for u in DEMO_USERS
    ]
    write_users(path, users)
    return passwords


# ---- failed sign-ins ----------------------------------------------------------------------------


class Throttle:
    """At most `max_failures` failed sign-ins per key (a user name) within `window` seconds; then the key
    is locked for `lockout` seconds. Shared by every session of the server process."""

    def __init__(
        self, max_failures: int = 5, window: float = 900, lockout: float = 900, clock=time.monotonic
    ):
        self.max_failures, self.window, self.lockout, self.clock = max_failures, window, lockout, clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait_seconds(self, key: str) -> float:
        """Seconds until `key` may try again (0: now)."""
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - self.clock())

    def failed(self, key: str) -> bool:
        """Count a failure; True when this one locks the key."""
        now = self.clock()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < self.window] + [now]
            if len(recent) >= self.max_failures:
                self._locked_until[key] = now + self.lockout
                self._failures.pop(key, None)
                return True
            self._failures[key] = recent
            return False

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
