"""The app's pages in one place: streamlit_app.py builds the navigation from `pages()`, and a page
links to another with `link(url_path, ...)` instead of importing it.

Each page is a module in app/pages/ with a `main()`; the table names it, so no page imports another
(the page modules are imported by name, once, when the navigation is built).
"""
from __future__ import annotations

import importlib

import streamlit as st

from app.i18n import t

# url path -> (module, icon); the first is the default page, the titles are `nav.<url path>`.
PAGES = {
    "lab": ("app.pages.lab", "🎯"),
    "explorer": ("app.pages.explorer", "🛡️"),
    "principles": ("app.pages.principles", "📐"),
    "sticker": ("app.pages.sticker", "🏷️"),
}
DEFAULT_PAGE = "lab"


def page(url_path: str, *, default: bool = False) -> st.Page:
    """The Streamlit page for `url_path`, titled in the page language."""
    module, icon = PAGES[url_path]
    return st.Page(importlib.import_module(module).main, title=t(f"nav.{url_path}"), icon=icon, url_path=url_path,
                   default=default)


def pages() -> list[st.Page]:
    """Every page, for st.navigation."""
    return [page(url_path, default=url_path == DEFAULT_PAGE) for url_path in PAGES]


def link(url_path: str, label: str, *, icon: str | None = None, query_params: dict | None = None) -> None:
    """A link to another page of the app (the default page's address is the app's root: "/lab" is not found)."""
    st.page_link(page(url_path, default=url_path == DEFAULT_PAGE), label=label, icon=icon, query_params=query_params)
