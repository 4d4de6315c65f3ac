"""Data import (数据导入): upload exports, check them, import them, the history and the rejected rows."""

import hashlib

import streamlit as st

from dashboard import web
from dashboard.downloads import csv_bytes
from dashboard.i18n import t
from dashboard.ingest import report, run_import, spec, templates

lang = web.lang()
state = st.session_state
limit_mb = int(st.get_option("server.maxUploadSize"))

st.title(t("ingest.heading", lang))
st.caption(t("ingest.intro", lang))


def user_name() -> str:
    """Who imports, for the logs: the signed-in user."""
    user = st.session_state.get("_user")
    return getattr(user, "username", None) or "web"


def show_outcome(outcome, key: str) -> None:
    st.dataframe(report.summary_frame(outcome, lang), hide_index=True, width="stretch", key=f"{key}_summary")
    for f in outcome.files:
        if f.ignored:
            st.caption(t("ingest.ignored_columns", lang, name=f.name, columns=", ".join(f.ignored)))
        preview = report.preview_frame(f, lang)
        if len(preview):
            with st.expander(f"{f.name} · {t('ingest.preview', lang, n=len(preview))}"):
                st.dataframe(preview, hide_index=True, width="stretch", key=f"{key}_preview_{f.no}")
    rejects = report.rejects_frame(outcome.rejects(), lang)
    if len(rejects):
        st.markdown(f"**{t('ingest.rejects_heading', lang, n=len(rejects))}**")
        st.dataframe(rejects.head(500), hide_index=True, width="stretch", key=f"{key}_rejects")
        if len(rejects) > 500:
            st.caption(t("ingest.rejects_more", lang, shown=500))
        st.download_button(t("ingest.rejects_download", lang), csv_bytes(rejects), "rejects.csv", "text/csv",
                           key=f"{key}_rejects_csv")  # fmt: skip


uploads = st.file_uploader(
    t("ingest.upload", lang),
    type=["csv", "txt", "tsv", "xlsx", "xlsm", "parquet"],
    accept_multiple_files=True,
    help=t("ingest.upload_help", lang, mb=limit_mb),
    key="ing_files",
)
left, right = st.columns(2)
sheet = left.text_input(t("ingest.sheet", lang), key="ing_sheet").strip() or None
strict = right.checkbox(t("ingest.strict", lang), key="ing_strict")

sources = []
for upload in uploads or []:
    data = upload.getvalue()
    if len(data) > limit_mb * 2**20:
        st.error(t("ingest.too_large", lang, name=upload.name, mb=limit_mb))
    else:
        sources.append((upload.name, data))
signature = hashlib.sha256(repr([(n, hashlib.sha256(d).hexdigest()) for n, d in sources] + [sheet, strict])
                           .encode()).hexdigest()  # fmt: skip

check_col, apply_col = st.columns(2)
if check_col.button(t("ingest.check", lang), key="ing_check", width="stretch", disabled=not sources):
    with st.spinner(t("ingest.checking", lang, name=", ".join(n for n, _ in sources))):
        state["ing_checked"] = (signature, run_import(sources, dry_run=True, strict=strict, sheet=sheet,
                                                      preview_rows=5, user=user_name()))  # fmt: skip
    state.pop("ing_done", None)

checked = state.get("ing_checked")
ready = checked is not None and checked[0] == signature and checked[1].applied
if apply_col.button(
    t("ingest.apply", lang), key="ing_apply", type="primary", width="stretch", disabled=not ready
):
    bar = st.progress(0.0, text=t("ingest.applying", lang))
    done = run_import(sources, strict=strict, sheet=sheet, user=user_name(),
                      progress=lambda share, what: bar.progress(min(1.0, share), text=what))  # fmt: skip
    bar.empty()
    state["ing_done"] = done
    state.pop("ing_checked", None)

if (done := state.get("ing_done")) is not None:
    st.subheader(t("ingest.report_applied", lang))
    if done.error == "busy":
        st.warning(t("ingest.busy", lang))
    elif done.error:
        st.error(t("ingest.failed", lang, error=done.error))
    elif done.exit_code == 0:
        st.success(t("ingest.done_ok", lang))
    elif done.exit_code == 1:
        st.warning(t("ingest.done_partial", lang, n=sum(f.n_rejected for f in done.files)))
    else:
        st.error(t("ingest.done_none", lang))
    show_outcome(done, "ing_done")
elif checked is not None and checked[0] == signature:
    st.subheader(t("ingest.report", lang))
    outcome = checked[1]
    if outcome.strict and not outcome.applied and any(f.refusal or f.n_rejected for f in outcome.files):
        st.error(t("ingest.strict_failed", lang))
    elif not outcome.applied:
        st.error(t("ingest.done_none", lang))
    else:
        st.info(t("ingest.dry_run_note", lang))
    show_outcome(outcome, "ing_check")
elif not sources:
    st.caption(t("ingest.nothing", lang))

st.divider()
st.subheader(t("ingest.history", lang))
log = web.run("ingest/history", {"limit": 200})
if log.empty:
    st.caption(t("ingest.history_empty", lang))
else:
    st.dataframe(report.history_frame(log, lang), hide_index=True, width="stretch", key="ing_history")
    ids = list(dict.fromkeys(log["import_id"].astype(int)))
    picked = st.selectbox(t("ingest.pick_import", lang), ids, key="ing_pick")
    rejects = report.rejects_frame(web.run("ingest/rejects", {"import_id": picked}), lang)
    st.download_button(t("ingest.history_rejects", lang), csv_bytes(rejects), f"rejects-{picked}.csv",
                       "text/csv", key="ing_history_csv", disabled=rejects.empty)  # fmt: skip

st.divider()
st.subheader(t("ingest.templates", lang))
st.caption(t("ingest.templates_note", lang))
columns = st.columns(4)
for i, table in enumerate(spec.load_order()):
    path = templates.TEMPLATES_DIR / f"{table}.csv"
    columns[i % 4].download_button(report.table_label(table, lang), path.read_bytes(), path.name,
                                   "text/csv", key=f"ing_tpl_{table}", icon=":material/download:",
                                   width="stretch")  # fmt: skip
