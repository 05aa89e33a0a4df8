"""Adversarial Lab: page setup and navigation only; each page lives in app/pages/."""
import streamlit as st

from app.i18n import language_picker, t
from app.pages import lab

st.set_page_config(page_title="Adversarial Lab", page_icon="🧪", layout="wide")


def main() -> None:
    language_picker()
    pages = [st.Page(lab.main, title=t("nav.lab"), icon="🎯", url_path="lab", default=True)]
    st.navigation(pages).run()


main()
