#!/usr/bin/env bash
# Set up everything the tests need (Python packages, Debian's chromium for the browser tests, haproxy for
# the balancer test) and run them.
set -euo pipefail
cd "$(dirname "$0")"
browser_packages="chromium fonts-noto-cjk fonts-noto-color-emoji haproxy"  # haproxy: tests/test_browser_balancer.py
if ! dpkg -s $browser_packages >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends $browser_packages >/dev/null
    else
        sudo -n apt-get update -qq && sudo -n apt-get install -y -qq $browser_packages >/dev/null \
            || echo "warning: could not install chromium; browser tests will be skipped (outside CI)" >&2
    fi
fi
scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
