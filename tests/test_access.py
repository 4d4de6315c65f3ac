"""Who sees what, below the app: role limits in the Scope (tables of cases), masking, the users file,
passwords, the throttle, the audit log, and `kpis --as USER` on the demo DB."""

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from functools import partial

import duckdb
import pandas as pd
import pytest

from dashboard import access, audit, rollups, store, tickets, users
from dashboard.scope import NO_ROWS, Catalog, Limit, Notice, Scope, month_end, scope_from_query
from tests.conftest import TEST_PASSWORD

CAT = Catalog(
    stations={"HT": "寒亭", "KY": "开元", "GD": "固堤"},
    routes={"HT01": "HT", "HT02": "HT", "KY01": "KY", "GD03": "GD"},
    route_names={"HT01": "寒亭01线", "HT02": "寒亭02线", "KY01": "开元01线", "GD03": "固堤03线"},
    first_day=date(2024, 11, 1),
    last_day=date(2026, 10, 31),
)
OCT = (date(2026, 10, 1), date(2026, 10, 31))
HEAD_HT = Limit(stations=("HT",))
CM_HT02 = Limit(stations=("HT",), routes=("HT02",))


def q(**kw):
    return {k: v if isinstance(v, list) else [v] for k, v in kw.items()}


@pytest.mark.parametrize(
    ("limit", "chosen", "expected"),
    [
        # no limit: the filters as chosen (empty = everything)
        (None, Scope(*OCT), {"stations": [], "routes": []}),
        (None, Scope(*OCT, ("KY",)), {"stations": ["KY"], "routes": []}),
        # a station head: no filter means their station, never every station
        (HEAD_HT, Scope(*OCT), {"stations": ["HT"], "routes": []}),
        # another station chosen anyway (a forged session value): cut back to their own
        (HEAD_HT, Scope(*OCT, ("KY",)), {"stations": ["HT"], "routes": []}),
        (HEAD_HT, Scope(*OCT, ("KY", "HT")), {"stations": ["HT"], "routes": []}),
        # a route of another station stays a filter, and the station limit still applies (no rows)
        (HEAD_HT, Scope(*OCT, (), ("KY01",)), {"stations": ["HT"], "routes": ["KY01"]}),
        # a customer manager: their routes whatever is chosen
        (CM_HT02, Scope(*OCT, (), ("HT01",)), {"stations": ["HT"], "routes": ["HT02"]}),
        (CM_HT02, Scope(*OCT, ("HT",), ("HT02",)), {"stations": ["HT"], "routes": ["HT02"]}),
        # an empty allowed set (a manager with no routes) matches nothing, not everything
        (Limit(stations=(), routes=()), Scope(*OCT), {"stations": list(NO_ROWS), "routes": list(NO_ROWS)}),
    ],
)
def test_the_limit_cuts_every_querys_parameters(limit, chosen, expected):
    scope = Scope(*OCT, chosen.stations, chosen.routes, limit=limit)
    params = scope.params()
    assert {k: params[k] for k in ("stations", "routes")} == expected
    # derived scopes keep the limit: the previous period, last year, without the customer
    for other in (scope.previous(), scope.last_year(), scope.without_customer()):
        assert {k: other.filter_params()[k] for k in ("stations", "routes")} == expected


@pytest.mark.parametrize(
    ("query", "limit", "stations", "routes", "notices"),
    [
        # another station in the URL: cut back, with a notice
        (q(station="KY"), HEAD_HT, (), (), [("station", "KY", "not_permitted")]),
        (q(station=["HT", "KY"]), HEAD_HT, ("HT",), (), [("station", "KY", "not_permitted")]),
        # a route of another station
        (q(route="KY01"), HEAD_HT, (), (), [("route", "KY01", "not_permitted")]),
        # a customer manager's other routes of the same station
        (q(route=["HT01", "HT02"]), CM_HT02, (), ("HT02",), [("route", "HT01", "not_permitted")]),
        # an unknown station is still just unknown
        (q(station="NOPE"), HEAD_HT, (), (), [("station", "NOPE", "unknown_station")]),
        # within the limit: no notice
        (q(station="HT", route="HT02"), HEAD_HT, ("HT",), ("HT02",), []),
    ],
)
def test_url_params_asking_for_more_are_cut_back_with_a_notice(query, limit, stations, routes, notices):
    parsed = scope_from_query(query, CAT, limit=limit)
    assert (parsed.scope.stations, parsed.scope.routes) == (stations, routes)
    assert parsed.scope.limit == limit
    assert [(n.key, n.value, n.reason) for n in parsed.notices] == notices
    assert all(isinstance(n, Notice) for n in parsed.notices)


def test_the_filter_widgets_offer_only_what_the_role_may_see():
    assert list(CAT.within(HEAD_HT).stations) == ["HT"]
    assert list(CAT.within(HEAD_HT).routes) == ["HT01", "HT02"]
    assert list(CAT.within(CM_HT02).routes) == ["HT02"]
    assert CAT.within(CM_HT02).route_names == {"HT02": "寒亭02线"}
    assert CAT.within(None) == CAT


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("张小明", "张*明"),
        ("王芳", "王*"),
        ("欧阳娜娜", "欧**娜"),
        ("李", "*"),
        ("", ""),
        (None, None),
    ],
)
def test_mask_name(value, masked):
    assert access.mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812341234", "138****1234"),
        ("0536-8123456", "053*****3456"),
        ("12345", "***45"),
        ("12", "**"),
        (None, None),
    ],
)
def test_mask_phone(value, masked):
    assert access.mask_phone(value) == masked


FRAME = pd.DataFrame(
    {
        "customer_id": [1, 2],
        "shop_name": ["张记便利", "好邻居便利店"],
        "owner_name": ["张小明", None],
        "phone": ["13900000001", "13900000002"],
        "customer_manager_phone": ["13800000001", None],
        "address": ["东街1号", "东街2号"],
        "license_no": ["370703000001", "370703000002"],
        "first_owner_name": ["王客经", "李客经"],  # staff, not a shopkeeper: never masked
    }
)


@pytest.mark.parametrize("role", ["admin", "station_head", "customer_manager"])
def test_roles_that_act_on_customers_see_them_in_full(role):
    pd.testing.assert_frame_equal(access.mask_frame(FRAME, role), FRAME)


def test_a_manager_sees_stores_but_not_owners_or_phones():
    masked = access.mask_frame(FRAME, "manager")
    assert masked.owner_name.tolist()[0] == "张*明" and pd.isna(masked.owner_name[1])
    assert masked.phone.tolist() == ["139****0001", "139****0002"]
    assert masked.customer_manager_phone.tolist()[0] == "138****0001"
    assert masked.shop_name.tolist() == FRAME.shop_name.tolist()
    assert masked.first_owner_name.tolist() == FRAME.first_owner_name.tolist()
    assert FRAME.owner_name[0] == "张小明"  # the input is left as it was


@pytest.mark.parametrize("role", ["viewer", None, "no_such_role"])
def test_a_viewer_and_an_unknown_role_get_aggregates_only(role):
    masked = access.mask_frame(FRAME, role)
    assert masked.shop_name.tolist() == ["张**利", "好****店"]
    assert masked.license_no.tolist() == ["3**********1", "3**********2"]
    assert masked.owner_name[0] == "张*明" and masked.phone[0] == "139****0001"
    assert masked.customer_id.tolist() == [1, 2]


def test_kept_answers_read_together_are_masked_each(demo_db):
    # a page's kept answers come as one frame of frames (rollups.answers): the masking reaches each of them
    con = store.connect(demo_db)
    month = con.execute("select max(answer_month) from rollup_answers").fetchone()[0]
    scope = Scope(month, month_end(month))
    list_params = tickets.list_params(scope)
    run = access.masked_runner(partial(store.run, con), "viewer")
    bundle = run("kept/answers", {"queries": ["tickets/list", "tickets/kpis"], "months": [month, month]})
    assert sorted(bundle["query"]) == ["tickets/kpis", "tickets/list"]
    asked = {
        "list": (scope, "tickets/list", list_params),
        "kpis": (scope, "tickets/kpis", tickets.target_params(scope)),
    }
    shown = rollups.answers(run, asked)["list"]
    in_full = store.run(con, "tickets/list", list_params)
    assert len(shown) and in_full["shop_name"].notna().all()
    expected = in_full["shop_name"].map(access.mask_name)
    pd.testing.assert_series_equal(shown["shop_name"], expected)
    assert not shown["shop_name"].isin(in_full["shop_name"]).any()


# ---- users file, passwords, throttle ------------------------------------------------------------


def test_demo_users_file_has_one_user_per_role_and_salted_hashes(tmp_path):
    path = tmp_path / "users.toml"
    passwords = users.init_demo_users(path)
    table = users.load_users(path)
    assert sorted(u.role for u in table.values()) == sorted(access.ROLES)
    assert (path.stat().st_mode & 0o777) == 0o600
    hashes = [u.password_hash for u in table.values()]
    assert len(set(hashes)) == len(hashes) and all(h.startswith("$argon2id$") for h in hashes)
    assert all(passwords[name] not in path.read_text() for name in passwords)
    for name, password in passwords.items():
        assert users.check_password(table[name], password)
        assert not users.check_password(table[name], password + "x")
    assert not users.check_password(None, passwords["admin"])  # unknown user


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('[users.a]\nrole = "boss"\npassword_hash = "$argon2id$x"\n', "role 'boss'"),
        ('[users.a]\nrole = "station_head"\npassword_hash = "$argon2id$x"\n', "needs `station`"),
        ('[users.a]\nrole = "customer_manager"\npassword_hash = "$argon2id$x"\n', "needs `staff_id`"),
        ('[users.a]\nrole = "admin"\npassword_hash = "plain"\n', "not an Argon2 hash"),
        ('[users.a]\nrole = "admin"\n', "needs a password_hash or an email"),
        ('[users.a]\nrole = "admin"\npassword_hash = "$argon2id$x"\nstaion = "HT"\n', "unknown field"),
        ('[users."a b"]\nrole = "admin"\npassword_hash = "$argon2id$x"\n', "1-64 letters"),
        ("[users.a\n", "not valid TOML"),
    ],
)
def test_a_wrong_users_file_says_which_user_and_why(tmp_path, text, why):
    path = tmp_path / "users.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(users.UsersFileError, match="users.toml") as error:
        users.load_users(path)
    assert why in str(error.value)


def test_the_throttle_locks_a_name_after_repeated_failures_and_unlocks_later():
    now = [1000.0]
    guard = users.Throttle(max_failures=3, window=60, lockout=300, clock=lambda: now[0])
    assert [guard.failed("user:a") for _ in range(3)] == [False, False, True]
    assert guard.wait_seconds("user:a") == 300
    assert guard.wait_seconds("user:b") == 0  # other names are not affected
    now[0] += 299
    assert guard.wait_seconds("user:a") == pytest.approx(1)
    now[0] += 2
    assert guard.wait_seconds("user:a") == 0
    # failures spread wider than the window never lock
    for _ in range(5):
        now[0] += 61
        assert not guard.failed("user:c")
    guard.failed("user:d")
    guard.succeeded("user:d")  # a success forgets the failures
    assert not guard.failed("user:d") and not guard.failed("user:d")


# ---- the audit log ------------------------------------------------------------------------------


def test_audit_record_keeps_who_what_when_and_the_scope(tmp_path):
    path = tmp_path / "audit.duckdb"
    head = users.User("head_ht", "station_head", "寒亭站长", station="HT")
    scope = Scope(*OCT, ("HT",), limit=HEAD_HT)
    audit.record(path, head, "export", scope, {"format": "csv", "file": "work-list.csv"})
    audit.record(path, "admin", "import", None, {"file": "2026-10.xlsx", "rows": 1834})
    audit.record(path, "x' or 1=1; drop table audit_log; --", "sign_in_failed", None, "<script>")
    lines = audit.recent(path)
    assert lines.action.tolist() == ["sign_in_failed", "import", "export"]
    export = lines.iloc[2]
    assert (export.username, export.role) == ("head_ht", "station_head")
    assert json.loads(export.scope)["limit"] == {"stations": ["HT"], "routes": None, "one_customer": True}
    assert json.loads(export.scope)["date_from"] == "2026-10-01"
    assert json.loads(export.detail) == {"format": "csv", "file": "work-list.csv"}
    assert lines.iloc[0].username.startswith("x' or 1=1") and lines.iloc[0].detail == "<script>"
    assert lines.logged_at.notna().all()
    # a caller with the audit file open passes its connection
    con = duckdb.connect(str(path))
    audit.record(con, "admin", "export", None, None)
    con.close()
    assert audit.recent(path, limit=1).action.tolist() == ["export"]


def test_sign_ins_at_the_same_moment_are_all_logged(tmp_path):
    # the app's sessions sign in on threads of one process; on a new audit file each write creates the log,
    # and two at once were a catalog write-write conflict that paused the sign-in of one of them
    path = tmp_path / "audit.duckdb"
    start = threading.Barrier(8)

    def sign_in(k: int) -> None:
        start.wait()
        for n in range(5):
            audit.record(path, f"user{k}", "sign_in", None, {"try": n})

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(sign_in, range(8)))  # an error in any re-raised here
    lines = audit.recent(path, limit=100)
    assert len(lines) == 40 and lines.audit_id.is_unique
    assert sorted(lines.username.unique()) == [f"user{k}" for k in range(8)]


def test_audit_of_nothing_yet_is_an_empty_frame(tmp_path):
    assert audit.recent(tmp_path / "none.duckdb").empty


# ---- the role limit on the demo data, through the CLI -------------------------------------------


def cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "dashboard", *args], cwd=store.ROOT, capture_output=True, text=True
    )


def kpis_as(demo_db, user, *args) -> tuple[dict, str]:
    out = cli("kpis", "--json", "--db", str(demo_db), *(["--as", user] if user else []), *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout), out.stderr


@pytest.mark.parametrize(
    ("user", "asked", "same_as", "warned"),
    [
        # a station head asking for another station gets their own, with a warning
        ("head_ht", ["--station", "GD"], ["--station", "HT"], True),
        ("head_ht", ["--route", "GD03"], ["--station", "HT"], True),
        ("head_ht", ["--station", "HT,GD"], ["--station", "HT"], True),
        # a customer manager: their own routes, whether they ask for their station or another's route
        ("cm05", ["--station", "GD"], ["--route", "GD01,GD02,GD03,GD04,GD05"], False),
        ("cm05", ["--route", "HT01"], ["--route", "GD01,GD02,GD03,GD04,GD05"], True),
        # the managers and the viewer see the company
        ("manager", ["--station", "GD"], ["--station", "GD"], False),
        ("viewer", [], [], False),
    ],
)
def test_kpis_as_user_obeys_the_role(demo_db, user, asked, same_as, warned):
    figures, warnings = kpis_as(demo_db, user, *asked)
    assert figures == kpis_as(demo_db, None, *same_as)[0]
    assert ("outside what you may see" in warnings) == warned


def test_kpis_as_another_stations_customer_shows_nothing_of_it(demo_db):
    con = store.connect(demo_db)
    gd_customer = int(
        con.execute("select min(customer_id) from customers where route_id like 'GD%'").fetchone()[0]
    )
    con.close()
    figures, _ = kpis_as(demo_db, "head_ht", "--customer", str(gd_customer))
    assert figures["customers.in_scope"] == 0
    assert figures["tickets.received"] == 0
    assert kpis_as(demo_db, "admin", "--customer", str(gd_customer))[0]["customers.in_scope"] == 1


def test_kpis_as_an_unknown_user_fails_clearly(demo_db):
    out = cli("kpis", "--json", "--db", str(demo_db), "--as", "nobody")
    assert out.returncode == 2 and "no user 'nobody'" in out.stderr and out.stdout == ""


def test_users_command_adds_and_changes_passwords(tmp_path):
    path = tmp_path / "users.toml"
    assert cli("users", "init", "--users", str(path)).returncode == 0
    out = cli("users", "add", "head_gd", "--role", "station_head", "--station", "GD", "--users", str(path))
    assert out.returncode == 0, out.stderr
    password = out.stdout.strip().rsplit(" ", 1)[-1]
    assert users.check_password(users.load_users(path)["head_gd"], password)
    bad = cli("users", "add", "cm", "--role", "customer_manager", "--users", str(path))
    assert bad.returncode == 2 and "needs `staff_id`" in bad.stderr
    assert "cm" not in users.load_users(path)  # nothing written
    changed = subprocess.run(
        [sys.executable, "-m", "dashboard", "users", "passwd", "head_gd", "--password-stdin",
         "--users", str(path)],
        cwd=store.ROOT, input=TEST_PASSWORD + "\n", capture_output=True, text=True,
    )  # fmt: skip
    assert changed.returncode == 0 and TEST_PASSWORD not in changed.stdout
    assert users.check_password(users.load_users(path)["head_gd"], TEST_PASSWORD)
    assert cli("users", "init", "--users", str(path)).returncode == 0  # an existing file is kept
    assert "head_gd" in users.load_users(path)


# ---- one customer by id or text: the lookups that take no filters still take the limit ---------


@pytest.mark.parametrize(
    ("limit", "visible"),
    [
        (None, {1, 2, 3, 4, 5, 6}),
        (Limit(stations=("S1",)), {1, 2, 3}),  # 东站's head
        (Limit(stations=("S2",), routes=("R3",)), {4, 5, 6}),  # CM2
        (Limit(stations=("S1",), routes=("R2",)), {3}),  # a manager of route R2 only
        (Limit(stations=(), routes=()), set()),  # a manager with no routes sees nothing
    ],
)
def test_profile_lookup_and_search_see_only_the_roles_customers(fixture_run, limit, visible):
    from dashboard import customer

    scope = Scope(*OCT, limit=limit)
    by_id = {c for c in range(1, 7) if customer.gather(fixture_run, replace(scope, customer=c)) is not None}
    assert by_id == visible
    for c in range(1, 7):
        found = fixture_run("filters/customer", {"customer_id": c, **scope.limit_params()})
        assert (len(found) == 1) == (c in visible)
    # every customer's licence starts 370703: a search for it finds just the visible ones
    assert set(customer.search(fixture_run, "370703", scope).customer_id) == visible
