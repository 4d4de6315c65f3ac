"""Prints the corpus's outcomes as a Markdown table (for the issue's closing note):
`python -m tests.ingest_corpus.results` imports each file into a copy of the fixture store."""

import shutil
import tempfile
from pathlib import Path

from dashboard.ingest import report, run_import
from tests.fixture_db import build_fixture
from tests.test_ingest_corpus import EXPECTED, FILES, STRICT


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        base = build_fixture(Path(tmp) / "base.duckdb")
        print("| file | exit | read | rejected | outcome |")
        print("| --- | ---: | ---: | ---: | --- |")
        for name in EXPECTED:
            db = Path(tmp) / "store.duckdb"
            shutil.copyfile(base, db)
            outcome = run_import(
                [(name, (FILES / name).read_bytes())], db, strict=name in STRICT, user="corpus"
            )
            f = outcome.files[0]
            if f.refusal:
                what = "refused: " + report.refusal_text(*f.refusal, "en")
            else:
                reasons = sorted(
                    {
                        report.reason_text(r, a, "en", f.table)
                        for r, a in zip(f.rejects["reason"], f.rejects["args"], strict=True)
                    }
                )
                what = f"{f.status}" + (": " + "; ".join(reasons) if reasons else "")
            print(
                f"| `{name}` | {outcome.exit_code} | {f.n_read} | {f.n_rejected} | {what.replace('|', '/')} |"
            )


if __name__ == "__main__":
    main()
