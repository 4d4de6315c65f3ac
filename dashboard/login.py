"""Sign-in in front of every page: the form (or the company's OIDC provider), session expiry, the
throttle on failed attempts, sign-out, and the signed-in user's role limit for the scope.

The sign-in lives in the Streamlit session on the server: a page switch keeps it, a reload or a new
tab asks again, and nothing about it is stored in the browser (with OIDC, Streamlit's own cookie is).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st

from dashboard import access, audit, web
from dashboard.i18n import t
from dashboard.scope import LANGUAGES
from dashboard.settings import settings
from dashboard.users import Throttle as _Throttle
from dashboard.users import User, UsersFileError, check_password, load_users

SESSION = "_auth"
FAILURE_DELAY = 0.5  # seconds a failed attempt waits: slows a guesser, unnoticeable to a person


@dataclass
class Session:
    username: str
    signed_in_at: float
    last_seen: float


def _config() -> dict:
    return {
        "method": "password",
        "idle_minutes": 30,
        "max_hours": 12,
        "max_failures": 5,
        "lockout_minutes": 15,
        **settings().get("auth", {}),
    }


@st.cache_resource(show_spinner=False)
def _throttle(max_failures: int, lockout_minutes: float) -> _Throttle:
    """One throttle per server process, shared by every session (a new tab does not reset it)."""
    return _Throttle(max_failures, window=lockout_minutes * 60, lockout=lockout_minutes * 60)


def throttle() -> _Throttle:
    config = _config()
    return _throttle(int(config["max_failures"]), float(config["lockout_minutes"]))


def _lang() -> str:
    """The sign-in page's language: the URL's (the sidebar's switch is not drawn yet)."""
    state_lang = st.session_state.get("f_lang")
    url_lang = st.query_params.get("lang")
    return state_lang or (url_lang if url_lang in LANGUAGES else "zh")


def _users() -> dict[str, User]:
    try:
        return load_users()
    except UsersFileError as error:
        st.error(t("auth.users_file_error", _lang(), why=str(error)))
        st.stop()


def _log(user, action: str, detail=None) -> None:
    try:
        audit.record(None, user, action, st.session_state.get("_scope"), detail)
    except Exception as error:  # the log is part of the sign-in: no log, no sign-in
        st.error(t("auth.audit_error", _lang(), path=str(audit.audit_path()), why=str(error)))
        st.stop()


def _start(user: User) -> None:
    now = time.time()
    st.session_state[SESSION] = Session(user.username, now, now)
    st.session_state.pop("_expired", None)
    _log(user, "sign_in", {"method": _config()["method"]})


def _expired(session: Session) -> str | None:
    config, now = _config(), time.time()
    if now - session.last_seen > float(config["idle_minutes"]) * 60:
        return "idle"
    if now - session.signed_in_at > float(config["max_hours"]) * 3600:
        return "max_age"
    return None


def _clear() -> None:
    for key in list(st.session_state):
        del st.session_state[key]


def sign_out() -> None:
    """Button callback: log it and forget everything of the session (filters included)."""
    user = st.session_state.get("_user")
    if user is not None:
        _log(user, "sign_out")
    oidc = _config()["method"] == "oidc"
    _clear()
    if oidc:
        st.logout()


def _attempt(username: str, password: str, lang: str) -> None:
    username = username.strip()
    key = f"user:{username.lower()}"
    guard = throttle()
    wait = guard.wait_seconds(key)
    if wait > 0:
        _log(username, "sign_in_locked")
        st.error(t("auth.locked", lang, minutes=max(1, round(wait / 60))))
        return
    user = _users().get(username)
    if check_password(user, password):
        guard.succeeded(key)
        _start(user)
        st.rerun()
    time.sleep(FAILURE_DELAY)
    locked = guard.failed(key)
    _log(username, "sign_in_failed", {"locked": locked})
    st.error(
        t("auth.locked", lang, minutes=_config()["lockout_minutes"]) if locked else t("auth.failed", lang)
    )


def _password_form(lang: str) -> None:
    with st.form("signin", clear_on_submit=True, enter_to_submit=True):
        username = st.text_input(t("auth.username", lang), max_chars=64, key="signin_user")
        password = st.text_input(
            t("auth.password", lang), type="password", max_chars=256, key="signin_password"
        )
        submitted = st.form_submit_button(t("auth.sign_in", lang), type="primary", width="stretch")
    if submitted:
        _attempt(username or "", password or "", lang)


def _oidc(lang: str) -> User | None:
    """The user whose `email` is the provider's e-mail claim, once the provider has signed them in."""
    if not st.user.is_logged_in:
        st.button(t("auth.sign_in_oidc", lang), on_click=st.login, type="primary")
        return None
    email = str(st.user.get("email") or "").lower()
    found = [u for u in _users().values() if u.email and u.email.lower() == email]
    if not found:
        st.error(t("auth.no_access", lang, email=web.plain(email)))
        st.button(t("auth.sign_out", lang), on_click=st.logout)
        return None
    return found[0]


def signed_in_user() -> User | None:
    """The signed-in user, their limit put in the session for the scope; None when nobody is (or the
    session expired, or the user's entry in the users file changed)."""
    state = st.session_state
    session = state.get(SESSION)
    if session is None:
        return None
    why = _expired(session)
    user = _users().get(session.username)
    if why is None and user is not None and state.get("_user") in (None, user):
        session.last_seen = time.time()
        state["_user"] = user
        state["_limit"] = access.limit_for(user, web.run)
        return user
    _log(state.get("_user") or session.username, "expired", {"why": why or "user_changed"})
    _clear()
    state["_expired"] = True
    return None


def sign_in_page() -> None:
    """The sign-in form (or the OIDC button); the script stops here: no data is read, no page runs."""
    lang = _lang()
    _, middle, _ = st.columns([1, 2, 1])
    with middle:
        st.title(t("app.title", lang))
        st.subheader(t("auth.heading", lang), anchor=False)
        if st.session_state.get("_expired"):
            st.info(t("auth.expired", lang))
        if _config()["method"] == "oidc":
            user = _oidc(lang)
            if user is not None:
                _start(user)
                st.rerun()
        else:
            _password_form(lang)
        st.caption(t("auth.hint", lang))
    st.stop()


def user_box(box, user: User, lang: str, cat) -> None:
    """Who is signed in, with which role and the stations it may see, and the sign-out button."""
    role = t(f"auth.role.{user.role}", lang)
    if access.ROLES[user.role].reach != "all":
        role += " · " + "、".join(cat.stations.values())  # the stations the catalog offers them
    with box:
        st.text(t("auth.signed_in_as", lang, name=user.name, role=role))  # st.text: never markup
        st.button(t("auth.sign_out", lang), on_click=sign_out, key="sign_out", width="stretch")


def may_open(user: User, spec) -> bool:
    """A page is in the user's menu (and reachable by URL) when its roles include theirs."""
    return spec.roles is None or user.role in spec.roles
