"""Sign-in and who sees what, through AppTest on the fixture DB (东站 S1: customers 1-3 on R1/R2 of CM1;
西站 S2: customers 4-6 on R3 of CM2): the form, failed attempts and the throttle, expiry, sign-out, the
audit log, and for each limited role every page asked for another station's data by URL params, by
widget values and by the customer-profile URL, showing nothing of it; masking on screen per role."""

import json
import re
import time

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import audit, store
from dashboard.login import SESSION, Session
from dashboard.navigation import PAGES, PRESENT
from tests.conftest import TEST_PASSWORD, signed_in

OCT = {"from": "2026-10-01", "to": "2026-10-31"}
CUSTOMERS = {  # id: (shop, owner, licence, phone)
    1: ("张记便利", "张小明", "370703000001", "13900000001"),
    2: ("好邻居便利店", "王芳", "370703000002", "13900000002"),
    3: ("村口副食", "李强", "370703000003", "13900000003"),
    4: ("西村超市", "赵丽", "370703000004", "13900000004"),
    5: ("新开食杂", "钱多", "370703000005", "13900000005"),
    6: ("烟酒行", "孙悦", "370703000006", "13900000006"),
}
# a limited user, the customers they may not see, and URL params asking for those
LIMITED = [
    ("head_s1", {4, 5, 6}, {"station": "S2", "route": "R3", "customer": "4"}),
    ("cm1", {4, 5, 6}, {"station": "S2", "route": "R3", "customer": "5"}),
    ("cm2", {1, 2, 3}, {"station": "S1", "route": "R1", "customer": "2"}),
]

LIMITED_PAGES = [p for p in PAGES if p.roles is None or {"station_head", "customer_manager"} <= p.roles]
VIEWER_PAGES = [p for p in PAGES if p.roles is None or "viewer" in p.roles]


@pytest.fixture
def app(fixture_db, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DB", str(fixture_db))

    def make(user: str | None = None, **query) -> AppTest:
        at = AppTest.from_file(str(store.ROOT / "app.py"), default_timeout=60)
        if user:
            signed_in(at, user)
        for key, value in query.items():
            at.query_params[key] = value
        return at

    return make


def everything(at: AppTest) -> str:
    """All the text an AppTest run put on screen: elements, tables, options, charts and maps."""
    parts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "warning", "info", "error"):
        parts += [str(e.value) for e in at.get(kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [frame.value.to_csv() for frame in at.dataframe]
    for widget in (*at.selectbox, *at.multiselect):
        parts += [str(o) for o in widget.options]  # the options as shown (formatted)
    parts += [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("plotly_chart")]
    parts += [json.dumps(json.loads(c.proto.json), ensure_ascii=False) for c in at.get("deck_gl_json_chart")]
    return re.sub(r"\\(.)", r"\1", "\n".join(parts))  # markdown escapes (web.plain) read as shown


def traces_of(customers, text: str) -> list[str]:
    return [value for c in customers for value in CUSTOMERS[c] if value in text]


def log_lines(action: str) -> list:
    return [row for row in audit.recent(limit=1000).itertuples() if row.action == action]


# ---- the form -----------------------------------------------------------------------------------


def sign_in_with(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="signin_user").input(username)
    at.text_input(key="signin_password").input(password)
    return at.button[0].click().run()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_waits_behind_the_form_and_opens_after_sign_in(app, lang):
    at = app(lang=lang, **OCT)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == [
        "零售客户服务看板" if lang == "zh" else "Retail Customer Service Dashboard"
    ]
    assert not at.metric and not at.dataframe and not at.multiselect  # nothing of the data
    assert [w.key for w in at.text_input] == ["signin_user", "signin_password"]
    sign_in_with(at, "head_s1", TEST_PASSWORD)
    assert not at.exception
    assert at.title[0].value == ("总览" if lang == "zh" else "Overview")
    assert at.session_state["_user"].username == "head_s1"
    last = log_lines("sign_in")[0]
    assert (last.username, last.role) == ("head_s1", "station_head")


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("head_s1", "wrong password"),  # a known user, a wrong password
        ("nobody", TEST_PASSWORD),  # an unknown user gets the same message
        ("", ""),  # nothing typed
        ("' or '1'='1", "' or '1'='1"),  # SQL in the form is just text
        ("<script>alert(1)</script>", "x"),
    ],
)
def test_a_failed_sign_in_says_only_that(app, username, password):
    at = app()
    at.run()
    sign_in_with(at, username, password)
    assert not at.exception
    assert [e.value for e in at.error] == ["用户名或密码不正确。"]
    assert not at.metric and SESSION not in at.session_state
    assert log_lines("sign_in_failed")[0].username == username.strip()


def test_repeated_failures_lock_the_name_for_a_while(app, monkeypatch, tmp_path):
    settings = (store.ROOT / "settings.toml").read_text(encoding="utf-8")
    settings = settings.replace("max_failures = 5", "max_failures = 3").replace(
        "lockout_minutes = 15", "lockout_minutes = 0.05"
    )  # 3 s
    (tmp_path / "settings.toml").write_text(settings, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(tmp_path / "settings.toml"))
    at = app()
    at.run()
    for _ in range(3):
        sign_in_with(at, "viewer", "guess")
    assert "登录失败次数过多" in at.error[0].value
    sign_in_with(at, "viewer", TEST_PASSWORD)  # even the right password, while locked
    assert "登录失败次数过多" in at.error[0].value and SESSION not in at.session_state
    assert log_lines("sign_in_locked")[0].username == "viewer"
    time.sleep(3.2)
    sign_in_with(at, "viewer", TEST_PASSWORD)
    assert not at.error and at.session_state["_user"].username == "viewer"


@pytest.mark.parametrize(
    ("signed_in_ago", "idle", "expired"),
    [
        (60, 10, False),
        (60 * 60, 31 * 60, True),  # idle past idle_minutes (30)
        (13 * 3600, 60, True),  # signed in longer than max_hours (12), though active
    ],
)
def test_sessions_expire(app, signed_in_ago, idle, expired):
    at = app()
    now = time.time()
    at.session_state[SESSION] = Session("manager", now - signed_in_ago, now - idle)
    at.run()
    assert not at.exception
    assert bool(at.metric) != expired
    if expired:
        assert [i.value for i in at.info] == ["会话已过期，请重新登录。"]
        assert log_lines("expired")[0].username == "manager"


def test_a_user_removed_from_the_file_is_signed_out(app):
    at = app()
    now = time.time()
    at.session_state[SESSION] = Session("former_staff", now, now)
    at.run()
    assert not at.metric and at.text_input(key="signin_user")


def test_sign_out_forgets_the_session_and_its_filters(app):
    at = app("head_s1", route="R1", **OCT)
    at.run()
    assert at.metric
    at.button(key="sign_out").click().run()
    assert not at.exception
    assert not at.metric and at.text_input(key="signin_user")
    assert "_scope" not in at.session_state and SESSION not in at.session_state
    assert log_lines("sign_out")[0].username == "head_s1"


# ---- who sees what ------------------------------------------------------------------------------


def _menu(at: AppTest) -> list[str]:
    """The pages of the sidebar menu (less presentation mode's link)."""
    pages = [link.proto.page for link in at.sidebar.get("page_link")]
    return [p for p in pages if PRESENT.url_path not in p]


@pytest.mark.parametrize(
    ("user", "role"),
    [("admin", "admin"), ("manager", "manager"), ("head_s1", "station_head"), ("viewer", "viewer")],
)
def test_the_menu_holds_the_pages_of_the_role(app, user, role):
    at = app(user)
    at.run()
    mine = [p for p in PAGES if p.roles is None or role in p.roles]
    assert len(_menu(at)) == len(mine)
    if role == "viewer":  # no customer profile: one store is not an aggregate
        assert "pages/customer.py" not in [p.script for p in mine]
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/customer.py")


@pytest.mark.parametrize("page", LIMITED_PAGES, ids=lambda p: p.url_path or "overview")
@pytest.mark.parametrize(("user", "foreign", "attack"), LIMITED, ids=[u for u, _, _ in LIMITED])
def test_url_params_for_another_station_show_nothing_of_it(app, user, foreign, attack, page):
    at = app(user, **OCT, **attack)
    at.run()
    notices = " ".join(w.value for w in at.warning)
    if not page.is_default:
        at.switch_page(page.script).run()
    assert not at.exception, [e.message for e in at.exception]
    assert traces_of(foreign, everything(at)) == []
    assert "超出您的数据权限" in notices and "没有客户" in notices
    assert "customer" not in at.query_params and "station" not in at.query_params


@pytest.mark.parametrize("page", LIMITED_PAGES, ids=lambda p: p.url_path or "overview")
@pytest.mark.parametrize(("user", "foreign", "attack"), LIMITED, ids=[u for u, _, _ in LIMITED])
def test_widget_values_for_another_station_show_nothing_of_it(app, user, foreign, attack, page):
    at = app(user, **OCT)
    at.run()
    # values no widget of theirs offers, as a forged client would send them
    at.session_state["f_stations"] = [attack["station"]]
    at.session_state["f_routes"] = [attack["route"]]
    at.session_state["f_customer"] = int(attack["customer"])
    if page.is_default:
        at.run()
    else:
        at.switch_page(page.script).run()
    assert not at.exception, [e.message for e in at.exception]
    assert traces_of(foreign, everything(at)) == []
    scope = at.session_state["_scope"]
    assert scope.customer is None and attack["station"] not in scope.filter_params()["stations"]


def test_the_limited_overview_equals_its_own_station(app):
    at = app("head_s1", station="S2", **OCT)
    at.run()
    own = app("admin", station="S1", **OCT)  # the same view, asked for by someone who may see it all
    own.run()
    assert {m.label: m.value for m in at.metric} == {m.label: m.value for m in own.metric}
    assert at.metric and at.caption[0].value == own.caption[0].value == "2026年10月 · 东站"  # not 全公司


@pytest.mark.parametrize(("user", "foreign", "attack"), LIMITED, ids=[u for u, _, _ in LIMITED])
def test_the_profile_url_of_another_stations_customer_shows_nothing_of_it(app, user, foreign, attack):
    for customer in sorted(foreign):
        at = app(user, customer=str(customer), **OCT)
        at.run()
        at.switch_page("pages/customer.py").run()
        assert not at.exception
        assert not at.header  # no profile drawn
        assert traces_of(foreign, everything(at)) == []
        # nor does the search find them, by shop, owner or licence
        for value in CUSTOMERS[customer][:3]:
            at.text_input(key="cp_search").input(value).run()
            assert traces_of(foreign, everything(at)) == []


# ---- personal data on screen ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "owner", "phone", "shop"),
    [
        ("admin", "王芳", "13900000002", "好邻居便利店"),
        ("head_s1", "王芳", "13900000002", "好邻居便利店"),
        ("cm1", "王芳", "13900000002", "好邻居便利店"),
        ("manager", "王*", "139****0002", "好邻居便利店"),
    ],
)
def test_the_profile_masks_owner_and_phone_for_roles_that_need_no_personal_data(
    app, user, owner, phone, shop
):
    at = app(user, customer="2", **OCT)
    at.run()
    at.switch_page("pages/customer.py").run()
    assert not at.exception
    assert at.header[0].value == shop
    text = everything(at)
    assert owner in text and phone in text
    if owner != "王芳":
        assert "王芳" not in text and "13900000002" not in text
        assert "13800000001" not in text  # nor the customer manager's phone


@pytest.mark.parametrize("page", VIEWER_PAGES, ids=lambda p: p.url_path or "overview")
def test_a_viewer_sees_no_store_owner_or_phone_on_any_page(app, page):
    at = app("viewer", **OCT)
    at.run()
    if not page.is_default:
        at.switch_page(page.script).run()
    assert not at.exception
    assert traces_of(CUSTOMERS, everything(at)) == []


# ---- the company's OIDC provider (st.login) instead of passwords --------------------------------


@pytest.fixture
def oidc(monkeypatch, tmp_path):
    settings = (store.ROOT / "settings.toml").read_text(encoding="utf-8")
    (tmp_path / "settings.toml").write_text(
        settings.replace('method = "password"', 'method = "oidc"'), "utf-8"
    )
    monkeypatch.setenv("DASHBOARD_SETTINGS", str(tmp_path / "settings.toml"))


def test_oidc_asks_the_provider_first(app, oidc):
    at = app()
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception and not at.metric and not at.text_input
    assert [b.label for b in at.button] == ["使用公司统一身份认证登录"]


def test_oidc_maps_the_providers_e_mail_to_a_user_and_their_limit(app, oidc):
    at = app(station="S2", **OCT)
    at.user = {"is_logged_in": True, "email": "Head.S1@example.cn", "name": "张三"}
    at.run()
    assert not at.exception
    assert at.session_state["_user"].username == "head_s1"
    assert at.caption[0].value == "2026年10月 · 东站"  # the station head's own station, not S2
    assert log_lines("sign_in")[0].detail == '{"method": "oidc"}'


def test_oidc_refuses_an_e_mail_of_no_user(app, oidc):
    at = app()
    at.user = {"is_logged_in": True, "email": "stranger@example.cn"}
    at.run()
    assert not at.exception and not at.metric
    assert "stranger@example.cn" in everything(at).replace("\u200b", "") and SESSION not in at.session_state


def test_a_viewers_map_shows_grid_means_not_stores(app):
    at = app("viewer", **OCT)
    at.run()
    at.switch_page("pages/satisfaction.py").run()
    assert not at.exception
    assert at.session_state["sat_layer"] == "grid"
    layers = [layer["id"] for layer in json.loads(at.get("deck_gl_json_chart")[0].proto.json)["layers"]]
    assert not [i for i in layers if "customer" in i or "band" in i or "btype" in i], layers
