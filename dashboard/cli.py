"""python -m dashboard {serve,demo,refresh,import,kpis,export,bench,users,audit}: serve, build data, import
files, print KPIs, make the meeting pack, measure the pages' queries, keep the users file, read the
audit log."""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

from dashboard import store


def _scope_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="first day (default: latest full month)"
    )
    parser.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day, included")
    for flag, what in (
        ("station", "station id"),
        ("route", "route id"),
        ("btype", "business type code"),
        ("market", "market type code C/X"),
    ):
        parser.add_argument(
            f"--{flag}",
            action="append",
            default=[],
            metavar="ID",
            help=f"{what}; repeat or separate with commas",
        )
    parser.add_argument(
        "--customer", metavar="ID", help="one customer (customer_id): narrows every figure to it"
    )
    parser.add_argument(
        "--db", type=Path, help="DuckDB file (default: $DASHBOARD_DB or data/dashboard.duckdb)"
    )


def _query_from_args(args: argparse.Namespace) -> dict[str, list[str]]:
    """The same query-param dict a URL gives, so the CLI and the app read a scope one way."""
    query: dict[str, list[str]] = {}
    if args.date_from:
        query["from"] = [args.date_from]
    if args.date_to:
        query["to"] = [args.date_to]
    for key in ("station", "route", "btype", "market"):
        values = [v for item in getattr(args, key) for v in item.split(",") if v]
        if values:
            query[key] = values
    if args.customer:
        query["customer"] = [args.customer]
    return query


def _parsed_scope(args: argparse.Namespace, catalog, limit=None):
    """The scope the options ask for, within a role's limit; what is unknown, malformed or outside the
    limit is dropped with a warning."""
    from dashboard.i18n import t
    from dashboard.scope import scope_from_query

    parsed = scope_from_query(_query_from_args(args), catalog, limit=limit)
    for notice in parsed.notices:
        print(
            "warning: " + t(f"notices.{notice.reason}", "en", key=notice.key, value=notice.value),
            file=sys.stderr,
        )
    return parsed.scope


def cmd_serve(args: argparse.Namespace) -> int:
    """`streamlit run app.py`, with Streamlit's v1 pages/ handling off from the first request.

    Streamlit treats a pages/ folder beside the entry script as a v1 multipage app until the first
    st.navigation call in the process, so a deep link that is the first request after a start would
    run that page without app.py. The flag is class-level; clearing it before the server starts is
    what st.navigation itself does.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli as streamlit_cli

    PagesManager.uses_pages_directory = False
    sys.argv = ["streamlit", "run", str(store.ROOT / "app.py"), *args.streamlit_args]
    return streamlit_cli.main()


def cmd_refresh(args: argparse.Namespace) -> int:
    """Rebuild the rollups in a copy of the store and swap it in, as an import does; with --in-place, on
    the store itself (no second copy on disk; the app must not have it open). Needed after an upgrade
    changed what they are built by: until then pages read the raw tables (slower, same figures)."""
    import time

    import duckdb

    from dashboard import rollups
    from dashboard.ingest import apply

    db = args.db or store.db_path()
    if not db.exists():
        raise FileNotFoundError(f"no database at {db}")
    started = time.perf_counter()
    try:
        if args.in_place:
            with apply.lock(db):
                if not args.force and rollups.file_ready(db):
                    print(f"the rollups of {db} are up to date (--force rebuilds them anyway)")
                    return 0
                built = rollups.refresh_file(db, args.memory_limit, progress=True)
        else:
            with apply.open_work(db, dry_run=False) as work:
                if rollups.ready(partial(store.run, work.con)) and not args.force:
                    print(f"the rollups of {db} are up to date (--force rebuilds them anyway)")
                    return 0
                if args.memory_limit:
                    work.con.execute("set memory_limit = $limit", {"limit": args.memory_limit})
                built = rollups.refresh(work.con, progress=True)
                work.commit()
    except apply.Busy:
        print(f"error: an import into {db} is running; refresh once it is done", file=sys.stderr)
        return 1
    except duckdb.IOException as error:
        if "lock" not in str(error).lower():
            raise
        print(
            f"error: {db} is open in another process (the app?): stop it for --in-place, "
            f"or refresh without --in-place (a copy, swapped in)\n{error}",
            file=sys.stderr,
        )
        return 1
    rows = sum(built.values())
    print(f"refreshed {len(built)} rollups of {db} ({rows:,} rows) in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from dashboard.demo import build

    out = args.out or store.db_path()
    out.parent.mkdir(parents=True, exist_ok=True)
    report = build(out, scale=args.scale, seed=args.seed, progress=not args.quiet)
    rows = sum(report["rows"].values())
    print(
        f"built {out} ({args.scale}, seed {args.seed}): {rows:,} rows in {report['seconds']:.1f} s",
        file=sys.stderr,
    )
    return 0


def user_limit(args: argparse.Namespace, run):
    """`--as USER`: the user of the users file and the rows their role may see (None, None without)."""
    from dashboard.access import limit_for
    from dashboard.users import load_users

    if not args.as_user:
        return None, None
    user = load_users(args.users).get(args.as_user)
    if user is None:
        raise LookupError(f"no user {args.as_user!r} in {args.users or 'the users file'}")
    return user, limit_for(user, run)


def cmd_kpis(args: argparse.Namespace) -> int:
    from dashboard.catalog import load_catalog
    from dashboard.kpis import all_kpis

    con = store.connect(args.db or store.db_path(), read_only=True)
    run = partial(store.run, con)
    _, limit = user_limit(args, run)
    scope = _parsed_scope(args, load_catalog(run), limit)
    figures = all_kpis(run, scope)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        print(f"# {scope.date_from} .. {scope.date_to}")
        for name, value in figures.items():
            print(f"{name:40} {'null' if value is None else value}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from dashboard import audit, export
    from dashboard.access import masked_runner
    from dashboard.catalog import load_catalog

    if not (args.pptx or args.xlsx):
        print("error: say where to write: --pptx FILE and/or --xlsx FILE", file=sys.stderr)
        return 2
    con = store.connect(args.db or store.db_path(), read_only=True)
    run = partial(store.run, con)
    catalog = load_catalog(run)
    user, limit = user_limit(args, run)
    scope = _parsed_scope(args, catalog, limit)
    if user is not None:  # the pack shows only what the role may see, masked as on screen
        run = masked_runner(run, user.role)
    with tqdm(total=1, desc="meeting pack", unit="step", file=sys.stderr, disable=args.quiet) as bar:

        def progress(done: int, total: int, label: str) -> None:
            bar.total = total
            bar.set_postfix_str(label, refresh=False)
            bar.update(done - bar.n)

        pack = export.build(run, scope, catalog, args.lang, progress=progress)
    for path, data in ((args.pptx, pack.pptx), (args.xlsx, pack.xlsx)):
        if path:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path} ({len(data) / 1024:,.0f} KiB)", file=sys.stderr)
            detail = {
                "format": path.suffix.lstrip("."),
                "file": path.name,
                "bytes": len(data),
                "lang": args.lang,
            }
            audit.record(None, user or "cli", "export", scope, detail)  # a User: its role goes in too
    print(
        f"meeting pack of {scope.date_from}..{scope.date_to}: {pack.slides} slides, {pack.images} charts, "
        f"{pack.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


def cmd_users(args: argparse.Namespace) -> int:
    from dashboard import users

    path = args.users or users.users_path()
    if args.action == "init":
        if path.exists() and not args.force:
            print(f"{path} exists; keeping it (--force writes new demo users)", file=sys.stderr)
            return 0
        passwords = users.init_demo_users(path)
        print(f"wrote {path}: demo users, one per role (passwords shown once; change them before real use)")
        for user in users.DEMO_USERS:
            print(f"  {user.username:10} {user.role:17} {passwords[user.username]}")
        return 0
    table = dict(users.load_users(path))
    if args.action == "list":
        for user in table.values():
            where = user.station or user.staff_id or ""
            print(f"{user.username:16} {user.role:17} {where:6} {user.name}")
        return 0
    if args.action == "add" and args.name in table:
        raise LookupError(f"user {args.name!r} exists in {path}: use `users passwd`")
    if args.action == "passwd" and args.name not in table:
        raise LookupError(f"no user {args.name!r} in {path}")
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else users.new_password()
    if len(password) < 8:
        raise ValueError("a password has at least 8 characters")
    old = table.get(args.name)
    fields = old.__dict__ if old else {"username": args.name, "role": args.role, "name": args.display_name}
    if args.action == "add":
        fields = {**fields, "station": args.station, "staff_id": args.staff_id, "email": args.email}
    table[args.name] = users.User(**{**fields, "password_hash": users.hash_password(password)})
    users.write_users(path, list(table.values()))
    print(f"{args.action}: {args.name} in {path}" + ("" if args.password_stdin else f"; password {password}"))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from dashboard import audit

    frame = audit.recent(args.file, limit=args.last)
    print(frame.to_string(index=False) if len(frame) else "(the audit log is empty)")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from dashboard.bench import bench

    result = bench(
        args.scale,
        runs=args.runs,
        db=args.db,
        seed=args.seed,
        pandas=not args.no_pandas,
        pandas_budget_gib=args.pandas_budget_gib,
        check_scopes=args.check_scopes,
        filtered=not args.no_filtered,
        app=not args.no_app,
        concurrency=args.concurrency,
        threads=args.threads,
        browsers=args.browsers,
    )
    print(result["table"])
    print(json.dumps(result["json"], ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="零售客户服务看板 · dashboard tools"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="build the synthetic data set into a DuckDB file")
    demo.add_argument("--scale", default="demo", choices=["demo", "city", "province", "national"])
    demo.add_argument("--seed", type=int, default=20261031)
    demo.add_argument(
        "--out", type=Path, help="output file (default: $DASHBOARD_DB or data/dashboard.duckdb)"
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(func=cmd_demo)

    refresh = sub.add_parser("refresh", help="rebuild the pre-aggregated tables (after an upgrade)")
    refresh.add_argument("--db", type=Path, help="the store (default: $DASHBOARD_DB, data/dashboard.duckdb)")
    refresh.add_argument("--force", action="store_true", help="rebuild them even when they are up to date")
    refresh.add_argument(
        "--in-place", action="store_true",
        help="on the store itself, not a copy (half the disk; the app must be stopped)",
    )  # fmt: skip
    refresh.add_argument("--memory-limit", help="DuckDB's memory limit, e.g. 16GB (default: 80%% of RAM)")
    refresh.set_defaults(func=cmd_refresh)

    serve = sub.add_parser(
        "serve", help="serve the app (streamlit run app.py); extra options go to streamlit"
    )
    serve.set_defaults(func=cmd_serve)  # every other option goes to streamlit, e.g. --server.port 8502

    kpis = sub.add_parser("kpis", help="print the KPIs of a scope (DESIGN.md section 5 names)")
    _scope_args(kpis)
    kpis.add_argument("--json", action="store_true", help="one flat JSON object")
    kpis.add_argument("--as", dest="as_user", metavar="USER", help="only what USER's role may see")
    kpis.add_argument("--users", type=Path, help="users file (default: $DASHBOARD_USERS or data/users.toml)")
    kpis.set_defaults(func=cmd_kpis)

    pack = sub.add_parser("export", help="the meeting pack of a scope: a PPTX deck and an XLSX workbook")
    _scope_args(pack)
    pack.add_argument("--pptx", type=Path, metavar="FILE", help="write the slides here")
    pack.add_argument("--xlsx", type=Path, metavar="FILE", help="write the tables here")
    pack.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of the pack (default zh)")
    pack.add_argument("--quiet", action="store_true", help="no progress bar")
    pack.add_argument("--as", dest="as_user", metavar="USER", help="only what USER's role may see")
    pack.add_argument("--users", type=Path, help="users file (default: $DASHBOARD_USERS or data/users.toml)")
    pack.set_defaults(func=cmd_export)

    users = sub.add_parser("users", help="the users file: init (demo users), list, add, passwd")
    users.add_argument("action", choices=["init", "list", "add", "passwd"])
    users.add_argument("name", nargs="?", help="user name (add, passwd)")
    users.add_argument("--role", choices=["admin", "manager", "station_head", "customer_manager", "viewer"])
    users.add_argument("--station", help="station_head: their station id")
    users.add_argument("--staff-id", dest="staff_id", help="customer_manager: their staff id")
    users.add_argument("--email", help="the OIDC provider's e-mail of this user")
    users.add_argument("--display-name", dest="display_name", help="name shown in the app")
    users.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    users.add_argument("--force", action="store_true", help="init: replace an existing file")
    users.add_argument("--users", type=Path, help="users file (default: $DASHBOARD_USERS or data/users.toml)")
    users.set_defaults(func=cmd_users)

    audit = sub.add_parser("audit", help="the latest lines of the audit log")
    audit.add_argument("--last", type=int, default=50)
    audit.add_argument("--file", type=Path, help="audit file (default: $DASHBOARD_AUDIT or beside the DB)")
    audit.set_defaults(func=cmd_audit)

    from dashboard.ingest.cli import add_parsers as add_import_parsers

    add_import_parsers(sub)  # import, bench-import

    bench = sub.add_parser("bench", help="each page's queries against baselines, cold start, concurrency")
    bench.add_argument("--scale", default="demo", choices=["demo", "city", "province", "national"])
    bench.add_argument("--runs", type=int, default=7)
    bench.add_argument("--seed", type=int, default=20261031)
    bench.add_argument("--db", type=Path, help="use this DB instead of building data/bench/<scale>.duckdb")
    bench.add_argument("--no-pandas", action="store_true", help="skip the naive pandas baseline")
    bench.add_argument(
        "--pandas-budget-gib",
        type=float,
        default=6.0,
        help="skip the pandas baseline of a page whose tables would take more memory than this",
    )
    bench.add_argument(
        "--check-scopes", type=int, default=9, help="scopes on which KPIs from rollups are compared (0: none)"
    )
    bench.add_argument(
        "--no-filtered", action="store_true", help="skip the filtered views (a station, a route, a type)"
    )
    bench.add_argument("--no-app", action="store_true", help="skip the served app's cold start (browser)")
    bench.add_argument(
        "--concurrency", type=float, default=0, metavar="SECONDS", help="run the concurrency test this long"
    )
    bench.add_argument("--threads", type=int, default=30, help="threads of the concurrency test")
    bench.add_argument("--browsers", type=int, default=3, help="browser sessions during the concurrency test")
    bench.set_defaults(func=cmd_bench)

    args, extra = parser.parse_known_args(argv)
    if args.command == "serve":
        args.streamlit_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "users" and args.action in ("add", "passwd") and not args.name:
        parser.error(f"users {args.action} needs a user name")
    if args.command == "users" and args.action == "add" and not args.role:
        parser.error("users add needs --role")
    try:
        return args.func(args)
    except (FileNotFoundError, LookupError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
