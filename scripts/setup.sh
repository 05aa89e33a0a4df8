#!/usr/bin/env bash
# Create .venv (if needed) and install the project's Python requirements into it.
# Usage: scripts/setup.sh requirements.txt|requirements-dev.txt
set -euo pipefail
cd "$(dirname "$0")/.."
requirements="${1:-requirements.txt}"
python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
stamp=".venv/.installed-$(basename "$requirements")"
# Re-install only when a requirements file changed since the last successful install.
changed=""
for file in requirements*.txt; do  # a file included with -r counts too
    if [ "$file" -nt "$stamp" ]; then changed=1; fi
done
if [ ! -f "$stamp" ] || [ -n "$changed" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$requirements"
    touch "$stamp"
fi
