"""`python -m dashboard import PATH...` and `python -m dashboard bench-import`."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from dashboard.ingest import spec


def add_parsers(sub) -> None:
    p = sub.add_parser(
        "import",
        help="import CSV/XLSX/Parquet files (exit 0: all applied, 1: some rows rejected, 2: nothing applied)",
    )
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files to import, in any order")
    p.add_argument("--db", type=Path, help="DuckDB file (default: $DASHBOARD_DB or data/dashboard.duckdb)")
    p.add_argument("--strict", action="store_true", help="apply nothing if any row or file fails")
    p.add_argument(
        "--dry-run", action="store_true", help="check and report only; the exit code says what would happen"
    )
    p.add_argument(
        "--table", choices=[t.name for t in spec.TABLES], help="the table (default: from name and header)"
    )
    p.add_argument("--sheet", help="XLSX sheet name (default: the first sheet)")
    p.add_argument("--user", help="who imports, for the log (default: the login name)")
    p.add_argument("--lang", choices=["zh", "en"], help="language of the report (default: from $LANG)")
    p.add_argument("--rejects", type=Path, metavar="CSV", help="write the rejected rows to this CSV file")
    p.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=main)

    b = sub.add_parser("bench-import", help="import speed (rows/s) of a generated visits CSV")
    b.add_argument("--rows", type=int, default=1_000_000)
    b.add_argument("--runs", type=int, default=3)
    b.add_argument("--db", type=Path, help="store to import into (a copy is used; default: the demo DB)")
    b.set_defaults(func=bench_main)


def _lang(args) -> str:
    return args.lang or ("zh" if os.environ.get("LANG", "").lower().startswith("zh") else "en")


def main(args: argparse.Namespace) -> int:
    from dashboard import store
    from dashboard.i18n import t
    from dashboard.ingest import report, run_import

    lang = _lang(args)
    sources, missing = [], []
    for path in args.paths:
        try:
            sources.append((path.name, path.read_bytes()))
        except OSError:
            missing.append(path)
    if missing:
        for path in missing:
            print(
                t("ingest.refused_line", lang, file=path, reason=t("ingest.refusal.not_found", lang)),
                file=sys.stderr,
            )
        return 2
    size = sum(len(data) for _, data in sources)
    bar = None
    if not args.quiet and size > 4 << 20:  # a bar on large files only
        from tqdm import tqdm

        bar = tqdm(total=100, desc="import", unit="%", file=sys.stderr, bar_format="{l_bar}{bar}| {postfix}")

    def progress(share: float, what: str) -> None:
        if bar is not None:
            bar.n = round(100 * share)
            bar.set_postfix_str(what[:40])

    outcome = run_import(
        sources,
        args.db or store.db_path(),
        strict=args.strict,
        dry_run=args.dry_run,
        user=args.user or getpass.getuser(),
        table=args.table,
        sheet=args.sheet,
        progress=progress,
    )
    if bar is not None:
        bar.close()
    if outcome.error:
        why = (
            t("ingest.busy", lang)
            if outcome.error == "busy"
            else t("ingest.failed", lang, error=outcome.error)
        )
        print(why, file=sys.stderr)
    rejects = report.rejects_frame(outcome.rejects(), lang)
    if args.rejects:
        from dashboard.downloads import csv_bytes

        args.rejects.write_bytes(csv_bytes(rejects))
    if args.json:
        print(json.dumps(_as_json(outcome), ensure_ascii=False))
    else:
        for line in report.summary_lines(outcome, lang):
            print(line)
        for _, r in rejects.head(20).iterrows():
            print("  " + " | ".join(str(v) for v in r.to_numpy()))
        if len(rejects) > 20:
            print(f"  … {len(rejects) - 20:,}")
        if outcome.strict and not outcome.applied and any(f.n_rejected or f.refusal for f in outcome.files):
            print(t("ingest.strict_failed", lang))
        print(t("ingest.exit_code", lang, code=outcome.exit_code), file=sys.stderr)
    return outcome.exit_code


def _as_json(outcome) -> dict:
    return {
        "exit_code": outcome.exit_code,
        "import_id": outcome.import_id,
        "dry_run": outcome.dry_run,
        "applied": outcome.applied,
        "error": outcome.error,
        "seconds": round(outcome.seconds, 3),
        "files": [
            {
                "file": f.name,
                "table": f.table,
                "format": f.fmt,
                "encoding": f.encoding,
                "status": f.status,
                "refusal": f.refusal[0] if f.refusal else None,
                "read": f.n_read,
                "new": f.n_new,
                "updated": f.n_updated,
                "unchanged": f.n_unchanged,
                "rejected": f.n_rejected,
                "reasons": sorted(set(f.rejects["reason"])),
                "seconds": round(f.seconds, 3),
            }
            for f in outcome.files
        ],
    }


def bench_main(args: argparse.Namespace) -> int:
    from dashboard.ingest.bench import bench

    result = bench(rows=args.rows, runs=args.runs, db=args.db)
    print(result["table"])
    print(json.dumps(result["json"], ensure_ascii=False))
    return 0
