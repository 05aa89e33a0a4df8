"""Adversarial Lab: page setup and navigation only; each page lives in app/pages/."""
import streamlit as st

from app.i18n import language_picker, t
from app.pages import explorer, lab, principles

st.set_page_config(page_title="Adversarial Lab", page_icon="🧪", layout="wide")


def main() -> None:
    language_picker()
    pages = [st.Page(lab.main, title=t("nav.lab"), icon="🎯", url_path="lab", default=True),
             st.Page(explorer.main, title=t("nav.explorer"), icon="🛡️", url_path="explorer"),
             st.Page(principles.main, title=t("nav.principles"), icon="📐", url_path="principles")]
    st.navigation(pages, position="top").run()  # the sidebar starts with the language switch


main()
