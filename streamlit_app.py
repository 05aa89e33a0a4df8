"""Adversarial Lab: page setup and navigation only; each page lives in app/pages/ (listed in app/navigation.py)."""
import streamlit as st

from app.i18n import language_picker
from app.navigation import pages

st.set_page_config(page_title="Adversarial Lab", page_icon="🧪", layout="wide")


def main() -> None:
    language_picker()
    st.navigation(pages(), position="top").run()  # the sidebar starts with the language switch


main()
