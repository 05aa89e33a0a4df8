"""Adversarial Lab — placeholder until the lab UI lands."""
import streamlit as st

st.set_page_config(page_title="Adversarial Lab", page_icon="🧪", layout="wide")
st.title("Adversarial Lab")
st.write("The attack engine is ready; the live lab arrives next. Try `python -m attack --help`.")
