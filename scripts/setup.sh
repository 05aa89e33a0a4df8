#!/usr/bin/env bash
# Create .venv (if needed), install the project's Python requirements into it, and the project itself
# (editable), so that .venv/bin/adversarial-lab works from any directory.
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
for file in requirements*.txt pyproject.toml; do  # a file included with -r counts too
    if [ "$file" -nt "$stamp" ]; then changed=1; fi
done
if [ ! -f "$stamp" ] || [ -n "$changed" ]; then
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -r "$requirements" "setuptools>=64"
    # No build isolation: the venv's setuptools builds the project, so no build environment is downloaded;
    # no deps: the requirements file above is what installs them.
    .venv/bin/python -m pip install --quiet --no-build-isolation --no-deps -e .
    touch "$stamp"
fi
