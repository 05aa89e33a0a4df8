"""Two roles: the *operator*, who started the server, and the *audience*, everyone else who opens the link.

The audience can do anything that stays inside its own session; only the operator may change what
other sessions see (installing weights) or see the server's paths. A session becomes the operator

- by opening the app with `?operator=TOKEN`: the token is ADVERSARIAL_LAB_OPERATOR_TOKEN, or one drawn
  once per process and printed on the server's console (run-app.sh draws it, exports it and prints the
  sign-in link). The parameter is taken out of the URL on the same run, so it never shows on the
  projector or in a share link; a wrong token is taken out too and gives nothing;
- or by being on the server's own machine (loopback: Streamlit reports no IP address), so a private
  `./run-app.sh` on a laptop works as before. Behind a reverse proxy on the same machine every visitor
  arrives from loopback: set ADVERSARIAL_LAB_LOOPBACK_OPERATOR=0 there (and in tests or benchmarks that
  play the audience from this machine).

The role is decided once per session and kept in its state.
"""
from __future__ import annotations

import functools
import hmac
import os
import secrets
import sys

import streamlit as st

from app.i18n import t

TOKEN_ENV = "ADVERSARIAL_LAB_OPERATOR_TOKEN"
LOOPBACK_ENV = "ADVERSARIAL_LAB_LOOPBACK_OPERATOR"
PARAMETER = "operator"
_ROLE = "roles.operator"  # session state: True for the operator, False for the audience
_NOTICE = "roles.notice"  # a sign-in just happened (or was refused): say so once


@functools.cache
def operator_token() -> str:
    """The process's operator token: from the environment, or drawn once and printed on the console."""
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        return token
    token = secrets.token_urlsafe(24)
    port = st.get_option("server.port")
    # The console only: whoever reads it started the server.
    print(f"Adversarial Lab operator sign-in (keep it off the projector): "
          f"http://localhost:{port}/?{PARAMETER}={token}", file=sys.stderr, flush=True)
    return token


def _client_ip() -> object:
    """The visitor's address as Streamlit reports it: None for loopback (its TCP peer, which a
    visitor cannot forge; only a proxy on this machine can make everyone look local)."""
    return st.context.ip_address


def _loopback_operator() -> bool:
    if os.environ.get(LOOPBACK_ENV, "1").strip().lower() in ("0", "false", "no", "off"):
        return False
    return _client_ip() is None


def is_operator() -> bool:
    """Whether the current session is the operator's (decided once, kept in the session state).

    Call it early on every run (streamlit_app.py does): it also takes a sign-in token out of the URL."""
    state = st.session_state
    token = operator_token()  # drawn (and printed) on the first run of the process, not at a sign-in
    offered = st.query_params.get(PARAMETER)
    if offered is not None:
        del st.query_params[PARAMETER]
        if hmac.compare_digest(offered.encode("utf-8"), token.encode("utf-8")):
            state[_ROLE] = True
            state[_NOTICE] = "roles.signed_in"
        else:
            state[_NOTICE] = "roles.refused"
    if _ROLE not in state:
        state[_ROLE] = _loopback_operator()
    return bool(state[_ROLE])


def sign_in_notice() -> None:
    """One neutral caption in the sidebar after a sign-in link was used (accepted or not), then none."""
    notice = st.session_state.pop(_NOTICE, None)
    if notice:
        st.sidebar.caption(t(notice))
