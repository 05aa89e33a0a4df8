"""Bring a part of the page into view once: the live panel when a run starts, the verdict when it ends.

Streamlit has no scroll API, so a tiny script (st.html with JavaScript, run in the page itself) calls
`scrollIntoView` on the element of a keyed container. It is sent once per event (remembered in the
session), and in the page it only moves when the element is not already in view, so it never fights a
reader who scrolled on purpose. It retries until the element is in view, because it may not yet be drawn,
or the page may still be too short to scroll that far.
"""
from __future__ import annotations

import json

import streamlit as st

SCRIPT = """<script>
(() => {
  const selector = %s, block = %s, mark = %s;
  if (window.__labScrolled === mark) return;
  window.__labScrolled = mark;
  const header = () => document.querySelector('[data-testid=stHeader]')?.getBoundingClientRect().bottom || 0;
  const inView = () => {
    const e = document.querySelector(selector);
    if (!e) return false;
    e.style.scrollMarginTop = (header() + 8) + 'px';  // not under Streamlit's sticky header
    const r = e.getBoundingClientRect();
    return block === 'start' ? r.top >= header() - 2 && r.top <= window.innerHeight * 0.35
                             : r.top >= header() - 2 && r.bottom <= window.innerHeight + 2;
  };
  // Until it is in view (the page may still be too short: a run's first frame can take seconds), for 20 s at most.
  let tries = 0;
  const timer = setInterval(() => {
    if (inView() || ++tries > 50) { clearInterval(timer); return; }
    document.querySelector(selector)?.scrollIntoView({behavior: 'instant', block: block});
    if (inView()) clearInterval(timer);
  }, 400);
})();
</script>"""


def bring_into_view(selector: str, event: str | None, block: str = "start") -> None:
    """Scroll the page so that `selector` is in view, once per `event` (e.g. "start-<run id>"; None: not now).

    Always exactly one element, sent or not: the elements after it keep their places from one script run
    to the next, so Streamlit replaces an old result with the new page's element at once instead of leaving
    it on the page, greyed out, until the script ends."""
    slot = st.empty()
    done = st.session_state.setdefault("scroll.done", set())
    if event is None or event in done:
        return
    done.add(event)
    slot.html(SCRIPT % (json.dumps(selector), json.dumps(block), json.dumps(event)), unsafe_allow_javascript=True)


def container_selector(key: str) -> str:
    """The CSS selector of `st.container(key=key)`."""
    return f".st-key-{key}"
