"""python -m dashboard {demo,import,kpis,bench}: build data, import files, print KPIs, measure the pages'
queries."""

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


def cmd_kpis(args: argparse.Namespace) -> int:
    from dashboard.catalog import load_catalog
    from dashboard.i18n import t
    from dashboard.kpis import all_kpis
    from dashboard.scope import scope_from_query

    con = store.connect(args.db or store.db_path(), read_only=True)
    run = partial(store.run, con)
    parsed = scope_from_query(_query_from_args(args), load_catalog(run))
    for notice in parsed.notices:
        print(
            "warning: " + t(f"notices.{notice.reason}", "en", key=notice.key, value=notice.value),
            file=sys.stderr,
        )
    figures = all_kpis(run, parsed.scope)
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        scope = parsed.scope
        print(f"# {scope.date_from} .. {scope.date_to}")
        for name, value in figures.items():
            print(f"{name:40} {'null' if value is None else value}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from dashboard.bench import bench

    result = bench(args.scale, runs=args.runs, db=args.db, seed=args.seed)
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

    serve = sub.add_parser(
        "serve", help="serve the app (streamlit run app.py); extra options go to streamlit"
    )
    serve.set_defaults(func=cmd_serve)  # every other option goes to streamlit, e.g. --server.port 8502

    kpis = sub.add_parser("kpis", help="print the KPIs of a scope (DESIGN.md section 5 names)")
    _scope_args(kpis)
    kpis.add_argument("--json", action="store_true", help="one flat JSON object")
    kpis.set_defaults(func=cmd_kpis)

    from dashboard.ingest.cli import add_parsers as add_import_parsers

    add_import_parsers(sub)  # import, bench-import

    bench = sub.add_parser("bench", help="median time of each page's full query set")
    bench.add_argument("--scale", default="demo", choices=["demo", "city", "province", "national"])
    bench.add_argument("--runs", type=int, default=7)
    bench.add_argument("--seed", type=int, default=20261031)
    bench.add_argument("--db", type=Path, help="use this DB instead of building data/bench/<scale>.duckdb")
    bench.set_defaults(func=cmd_bench)

    args, extra = parser.parse_known_args(argv)
    if args.command == "serve":
        args.streamlit_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        return args.func(args)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
