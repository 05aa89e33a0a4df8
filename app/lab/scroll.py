"""Bring a part of the page into view once: the live panel when a run starts, the verdict when it ends.

Streamlit has no scroll API, so a tiny script (st.html with JavaScript, run in the page itself) calls
`scrollIntoView` on the element of a keyed container. It is sent once per event (remembered in the
session), and in the page it only moves when the element is not already in view, so it never fights a
reader who scrolled on purpose. It retries a few times because the element may not yet be drawn, or the
page may still be too short to scroll that far.
"""
from __future__ import annotations

import json

import streamlit as st

# Every retry checks first: an element already in view is left alone.
SCRIPT = """<script>
(() => {
  const selector = %s, block = %s, mark = %s;
  if (window.__labScrolled === mark) return;
  window.__labScrolled = mark;
  const header = () => document.querySelector('[data-testid=stHeader]')?.getBoundingClientRect().bottom || 0;
  const move = () => {
    const e = document.querySelector(selector);
    if (!e) return;
    const r = e.getBoundingClientRect();
    const room = window.innerHeight;
    const visible = block === 'start' ? r.top >= header() - 2 && r.top <= room * 0.35
                                      : r.top >= header() - 2 && r.bottom <= room + 2;
    e.style.scrollMarginTop = (header() + 8) + 'px';  // not under Streamlit's sticky header
    if (!visible) e.scrollIntoView({behavior: 'instant', block: block});
  };
  for (const ms of [50, 400, 1200, 2500]) setTimeout(move, ms);
})();
</script>"""


def bring_into_view(selector: str, event: str, block: str = "start") -> None:
    """Scroll the page so that `selector` is in view, once per `event` (e.g. "start-<run id>")."""
    done = st.session_state.setdefault("scroll.done", set())
    if event in done:
        return
    done.add(event)
    st.html(SCRIPT % (json.dumps(selector), json.dumps(block), json.dumps(event)), unsafe_allow_javascript=True)


def container_selector(key: str) -> str:
    """The CSS selector of `st.container(key=key)`."""
    return f".st-key-{key}"
