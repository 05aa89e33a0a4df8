"""The live attack lab (placeholder)."""
import streamlit as st

from app.i18n import t


def main() -> None:
    st.title(t("app.title"))
