"""零售客户服务看板 — entry script: page config, sign-in, language, scope filters, navigation.

Streamlit runs this before every page, so the sidebar filters and the URL stay in step everywhere.
"""

import streamlit as st

from dashboard import login, store, web
from dashboard.i18n import t
from dashboard.navigation import PAGES, PRESENT


def _pages(user, lang: str) -> list:
    """The pages `user` may open (every page while nobody is signed in: none of them runs then)."""
    return [
        st.Page(
            spec.script,
            title=t(spec.title_key, lang),
            icon=spec.icon,
            # the default page is served at / anyway; a url_path unlike its file's stem gives it a page
            # hash unlike Streamlit's v1 pages/overview.py, so a rerun on it runs app.py (dashboard/cli.py)
            url_path=spec.url_path or "home",
            default=spec.is_default,
        )
        for spec in PAGES
        if user is None or login.may_open(user, spec)
    ]


def _present(lang: str):
    """Presentation mode: no menu entry of its own, reached by its link or URL."""
    return st.Page(
        PRESENT.script, title=t(PRESENT.title_key, lang), icon=PRESENT.icon, url_path=PRESENT.url_path
    )


# ---- page config -----------------------------------------------------------------------------
st.set_page_config(page_title=t("app.title", web.lang()), page_icon="🏪", layout="wide")

# ---- data ------------------------------------------------------------------------------------
try:
    web.db_version()
except FileNotFoundError:
    st.error(t("app.no_database", web.lang(), path=store.db_path()))
    st.stop()


# ---- sign-in: nothing below runs until someone is signed in; their role limits the scope ------
user = login.signed_in_user()
if user is None:
    lang = web.lang()
    st.navigation([*_pages(None, lang), _present(lang)], position="hidden")  # the URL's page waits behind it
    login.sign_in_page()
catalog = web.catalog()

# ---- scope filters (sidebar, mirrored in the URL) --------------------------------------------
account = st.sidebar.container()  # who is signed in, and sign-out
menu = st.sidebar.container()  # the page menu, filled once the scope is known
web.sidebar(catalog)
lang = web.lang()
login.user_box(account, user, lang, catalog)
if web.rights().may_import and not web.rollups_ready():  # the one who can run the refresh is told
    st.warning(t("app.rollups_stale", lang), icon=":material/hourglass_top:")

# ---- navigation ------------------------------------------------------------------------------
# Our own menu of st.page_link's that carry the scope in their query params: Streamlit's menu drops the
# query string on a page switch (one more history entry when we write it back), and a link that
# carries it is a URL a user can copy.
pages, present = _pages(user, lang), _present(lang)
navigation = st.navigation([*pages, present], position="hidden")

# A session's first run carries the main script's page hash, every later run the page's own; Streamlit
# 1.67 treats that first switch as a page change and drops the user's first filter change. One rerun
# now, before anything is drawn twice, puts the session on the page's hash from the start.
if not st.session_state.get("_settled"):
    st.session_state["_settled"] = True
    st.rerun()
web.write_url()
web.page_menu(menu, pages, present)
if st.query_params.get("present") == "1" and navigation.url_path != PRESENT.url_path:
    st.switch_page(present, query_params=web.present_query())  # ?present=1 on any page starts the slides

url_notices = web.notices()
if url_notices:
    st.warning(
        "\n".join([f"**{t('notices.heading', lang)}**"] + [f"- {web.notice_text(n)}" for n in url_notices]),
        icon=":material/link_off:",
    )

navigation.run()
