"""Presentation mode (演示模式): the meeting's slides for the fixed scope, big and clean for a projector.

No sidebar, no widgets but the slide buttons (← → on the keyboard); the scope and the date on every
slide; the slide number in the URL, so a presenter can share or reopen exactly this slide."""

from datetime import date

import streamlit as st

from dashboard import slides, web
from dashboard.cards import scope_line
from dashboard.i18n import fmt_date, t
from dashboard.navigation import PAGES

lang = web.lang()
scope = web.current_scope()
catalog = web.catalog()
total = len(slides.SLIDES)
try:
    number = min(max(int(st.query_params.get("slide", "1")), 1), total)
except ValueError:
    number = 1

web.presentation_style()


def _go(to: int) -> None:
    st.query_params["slide"] = str(to)


slide = web.slide(scope, lang, slides.SLIDES[number - 1])
with st.container(key="slide-head"):
    st.title(slide.title)
    st.caption(
        " · ".join(
            [
                scope_line(scope, catalog, lang, web.customer_name(scope.customer)),
                t("slides.generated", lang, day=fmt_date(date.today(), lang)),
                t("slides.page", lang, n=number, total=total),
            ]
        )
    )
web.show_slide(slide, lang)

with st.container(horizontal=True, key="slide-nav", horizontal_alignment="center"):
    st.button(t("present.previous", lang), icon=":material/arrow_back:", on_click=_go, args=(number - 1,),
              disabled=number == 1, shortcut="Left", key="slide-prev")  # fmt: skip
    st.button(t("present.next", lang), icon=":material/arrow_forward:", on_click=_go, args=(number + 1,),
              disabled=number == total, shortcut="Right", key="slide-next", type="primary")  # fmt: skip
    if st.button(t("present.exit", lang), icon=":material/close:", shortcut="Esc", key="slide-exit"):
        st.switch_page(PAGES[0].script, query_params=web.present_query() | {"slide": []})
