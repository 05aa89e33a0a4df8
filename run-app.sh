#!/usr/bin/env bash
# Set up (first time only) and start Adversarial Lab at http://localhost:8501
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh requirements.txt
# The operator's sign-in (app/roles.py): a fresh token unless one is set, printed here only, so whoever
# started the server can sign in from another device; everyone else who opens the link is the audience.
if [ -z "${ADVERSARIAL_LAB_OPERATOR_TOKEN:-}" ]; then
  ADVERSARIAL_LAB_OPERATOR_TOKEN="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(24))')"
fi
export ADVERSARIAL_LAB_OPERATOR_TOKEN
port=8501
previous=""
for argument in "$@"; do  # the port the server will use, for the link below
  case "$argument" in --server.port=*) port="${argument#*=}" ;; esac
  [ "$previous" = "--server.port" ] && port="$argument"
  previous="$argument"
done
echo "Operator sign-in (keep it off the projector): http://localhost:${port}/?operator=${ADVERSARIAL_LAB_OPERATOR_TOKEN}"
exec .venv/bin/streamlit run streamlit_app.py "$@"
