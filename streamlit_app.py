"""Adversarial Lab: page setup and navigation only; each page lives in app/pages/ (listed in app/navigation.py)."""
import streamlit as st

from app import roles
from app.i18n import language_picker
from app.navigation import pages

st.set_page_config(page_title="Adversarial Lab", page_icon="🧪", layout="wide")


def main() -> None:
    roles.is_operator()  # first: a sign-in token leaves the URL before anything reads or shares it
    language_picker()
    roles.sign_in_notice()
    st.navigation(pages(), position="top").run()  # the sidebar starts with the language switch


main()
