"""An import's outcome in words and tables, in the admin's language: the per-file summary, the
rejected rows (file, row, column, value, reason) and the refusals."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.i18n import label, t
from dashboard.ingest import spec

REJECT_FIELDS = ["file", "row", "column", "value", "reason"]
SUMMARY_FIELDS = ["file", "table", "read", "new", "updated", "unchanged", "rejected", "seconds", "status"]


def table_label(table: str | None, lang: str) -> str:
    return t(f"ingest.table.{table}", lang) if table in spec.BY_NAME else (table or "—")


def header_label(table: str, column: str, lang: str) -> str:
    return spec.template_header(table, column, lang) if table in spec.BY_NAME else column


def _allowed(kind: str, lang: str) -> str:
    """The choices of a code column as an admin types them (the zh labels, or codes and en labels)."""
    for table in spec.TABLES:
        for col in table.columns:
            if col.kind == spec.CODE and (col.code_kind or col.name) == kind:
                if col.code_kind is None:
                    return "、".join(col.codes) if lang == "zh" else ", ".join(col.codes)
                names = [label(col.code_kind, c, lang) for c in spec.allowed_codes(col)]
                return "、".join(names) if lang == "zh" else ", ".join(names)
    return kind


def reason_text(reason: str, args: dict | str | None, lang: str, table: str | None = None) -> str:
    """The reason a row failed, as a sentence (args: a dict or its JSON)."""
    values = json.loads(args) if isinstance(args, str) and args else dict(args or {})
    if "kind" in values:
        values["allowed"] = _allowed(values.pop("kind"), lang)
    if "table" in values:
        values["table"] = table_label(values["table"], lang)
    if "before" in values and table:
        values["before"] = header_label(table, values["before"], lang)
    if reason == "fk_role":
        values["role"] = label("role", values.get("role", ""), lang)
    try:
        return t(f"ingest.reason.{reason}", lang, **values)
    except (KeyError, IndexError):
        return reason


def refusal_text(reason: str, args: dict | str | None, lang: str) -> str:
    values = json.loads(args) if isinstance(args, str) and args else dict(args or {})
    sep = "、" if lang == "zh" else ", "
    table = values.get("table", "")
    if "missing" in values:
        values["missing"] = sep.join(header_label(table, c, lang) for c in values["missing"])
    if "column" in values:
        values["column"] = header_label(table, values["column"], lang)
    for key in ("named", "found", "table"):
        if key in values:
            values[key] = table_label(values[key], lang)
    if "tables" in values:
        values["tables"] = sep.join(table_label(x, lang) for x in values["tables"])
    if "headers" in values:
        values["headers"] = sep.join(values["headers"])
    values.setdefault("detail", "")
    try:
        return t(f"ingest.refusal.{reason}", lang, **values)
    except (KeyError, IndexError):
        return reason


def rejects_frame(rejects: pd.DataFrame, lang: str) -> pd.DataFrame:
    """file, row, column, value, reason (localized headers) from rows with file, table and the codes."""
    if rejects.empty:
        return pd.DataFrame(columns=[t(f"ingest.col.{c}", lang) for c in REJECT_FIELDS])
    reasons = [
        reason_text(r, a, lang, tb)
        for r, a, tb in zip(rejects["reason"], rejects["args"], rejects["table"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "file": rejects["file"].to_numpy(),
            "row": rejects["row"].astype("int64").to_numpy(),
            "column": rejects["column"].to_numpy(),
            "value": rejects["value"].to_numpy(),
            "reason": reasons,
        }
    )
    return out.rename(columns={c: t(f"ingest.col.{c}", lang) for c in REJECT_FIELDS})


def summary_frame(outcome, lang: str) -> pd.DataFrame:
    """One row per file: its table, the counts, the time taken and the result (or why it was refused)."""
    rows = []
    for f in outcome.files:
        status = t(f"ingest.status.{f.status}", lang)
        if f.refusal:
            status += "：" if lang == "zh" else ": "
            status += refusal_text(f.refusal[0], f.refusal[1], lang)
        rows.append(
            {
                "file": f.name,
                "table": table_label(f.table, lang),
                "read": f.n_read,
                "new": f.n_new,
                "updated": f.n_updated,
                "unchanged": f.n_unchanged,
                "rejected": f.n_rejected,
                "seconds": round(f.seconds, 2),
                "status": status,
            }
        )
    frame = pd.DataFrame(rows, columns=SUMMARY_FIELDS)
    return frame.rename(columns={c: t(f"ingest.col.{c}", lang) for c in SUMMARY_FIELDS})


def summary_lines(outcome, lang: str) -> list[str]:
    """The per-file summary as lines of text (the command line's report)."""
    lines = []
    for f in outcome.files:
        if f.refusal:
            lines.append(t("ingest.refused_line", lang, file=f.name, reason=refusal_text(*f.refusal, lang)))
            continue
        lines.append(
            t(
                "ingest.summary_line",
                lang,
                file=f.name,
                table=table_label(f.table, lang),
                read=f"{f.n_read:,}",
                new=f"{f.n_new:,}",
                updated=f"{f.n_updated:,}",
                unchanged=f"{f.n_unchanged:,}",
                rejected=f"{f.n_rejected:,}",
                seconds=f"{f.seconds:.2f}",
            )
        )
    return lines


HISTORY_FIELDS = ["import_id", "when", "user", "file", "table", "status", "read", "new", "updated",
                  "unchanged", "rejected", "seconds", "sha256"]  # fmt: skip


def history_frame(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import log (queries/ingest/history.sql) for people: labels, the refusal's reason, short hashes."""
    status = [
        t(f"ingest.status.{s}", lang)
        + (("：" if lang == "zh" else ": ") + refusal_text(r, a, lang) if r else "")
        for s, r, a in zip(log["status"], log["reason"], log["reason_args"], strict=True)
    ]
    out = pd.DataFrame(
        {
            "import_id": log["import_id"].astype("int64"),
            "when": pd.to_datetime(log["imported_at"]).dt.strftime("%Y-%m-%d %H:%M:%S"),
            "user": log["user_name"],
            "file": log["file_name"],
            "table": [table_label(x, lang) for x in log["table_name"]],
            "status": status,
            "read": log["rows_read"].astype("int64"),
            "new": log["rows_new"].astype("int64"),
            "updated": log["rows_updated"].astype("int64"),
            "unchanged": log["rows_unchanged"].astype("int64"),
            "rejected": log["rows_rejected"].astype("int64"),
            "seconds": log["seconds"].round(2),
            "sha256": log["sha256"].str.slice(0, 12),
        },
        columns=HISTORY_FIELDS,
    )
    return out.rename(columns={c: t(f"ingest.col.{c}", lang) for c in HISTORY_FIELDS})


def preview_frame(result, lang: str) -> pd.DataFrame:
    """A file's first valid rows as the template writes them (labels, dates), under its headers."""
    from dashboard.ingest.templates import to_template  # noqa: PLC0415 - templates imports i18n labels

    if result.preview is None or result.table is None:
        return pd.DataFrame()
    return to_template(result.table, result.preview, lang)
