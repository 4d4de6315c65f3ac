"""零售客户服务看板 — entry script: page config, language, scope filters, navigation.

Streamlit runs this before every page, so the sidebar filters and the URL stay in step everywhere.
"""

import streamlit as st

from dashboard import store, web
from dashboard.i18n import t

# ---- page config -----------------------------------------------------------------------------
st.set_page_config(page_title=t("app.title", web.lang()), page_icon="🏪", layout="wide")

# ---- data ------------------------------------------------------------------------------------
try:
    catalog = web.catalog()
except FileNotFoundError:
    st.error(t("app.no_database", web.lang(), path=store.db_path()))
    st.stop()

# ---- scope filters (sidebar, mirrored in the URL) --------------------------------------------
web.sidebar(catalog)
lang = web.lang()

# ---- navigation ------------------------------------------------------------------------------
pages = [
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/dashboard:", default=True),
]
navigation = st.navigation(pages)

url_notices = web.notices()
if url_notices:
    st.warning(
        "\n".join([f"**{t('notices.heading', lang)}**"] + [f"- {web.notice_text(n)}" for n in url_notices]),
        icon=":material/link_off:",
    )

navigation.run()
