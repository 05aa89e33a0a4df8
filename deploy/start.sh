#!/usr/bin/env bash
# Start N replicas of Adversarial Lab behind HAProxy on one machine; Ctrl-C (or TERM) stops them all.
# Usage: deploy/start.sh N [PORT] [streamlit options...]
#   The balancer listens on PORT (default 8500) on every interface (LAB_BIND to change), the replicas on
#   127.0.0.1:PORT+1 … PORT+N. Needs Debian's haproxy (apt-get install haproxy).
#   LAB_PYTHON: a Python with the requirements installed (default: set up and use .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
replicas="${1:?usage: deploy/start.sh N [PORT] [streamlit options...]}"
port="${2:-8500}"
shift $(( $# >= 2 ? 2 : 1 ))
case "$replicas$port" in *[!0-9]*) echo "error: N and PORT are numbers" >&2; exit 2 ;; esac
if [ "$replicas" -lt 1 ] || [ "$replicas" -gt 32 ]; then echo "error: N is 1 to 32" >&2; exit 2; fi
command -v haproxy >/dev/null || { echo "error: haproxy is not installed (apt-get install haproxy)" >&2; exit 2; }
if [ -z "${LAB_PYTHON:-}" ]; then
    scripts/setup.sh requirements.txt
    LAB_PYTHON=.venv/bin/python
fi
python="$LAB_PYTHON"

# Behind a proxy on this machine every visitor looks local: nobody is the operator without the token.
export ADVERSARIAL_LAB_LOOPBACK_OPERATOR=0
export ADVERSARIAL_LAB_OPERATOR_TOKEN="${ADVERSARIAL_LAB_OPERATOR_TOKEN:-$("$python" -c 'import secrets; print(secrets.token_urlsafe(24))')}"
# Replicas on one machine share its cores: each TensorFlow gets its share of threads instead of all of
# them (N processes each running as many threads as there are cores only fight over the caches).
cores="$(nproc)"
export TF_NUM_INTRAOP_THREADS="${TF_NUM_INTRAOP_THREADS:-$(( cores / replicas > 0 ? cores / replicas : 1 ))}"
# One secret for all replicas: the XSRF cookie an upload carries is then valid on any of them.
export STREAMLIT_SERVER_COOKIE_SECRET="${STREAMLIT_SERVER_COOKIE_SECRET:-$("$python" -c 'import secrets; print(secrets.token_hex(32))')}"
logs="${LAB_LOG_DIR:-$(mktemp -d -t adversarial-lab-XXXXXX)}"
mkdir -p "$logs"

pids=()
stop_all() {
    trap - INT TERM EXIT
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap stop_all EXIT

config="$logs/haproxy.cfg"
cp deploy/haproxy.cfg "$config"
for i in $(seq 1 "$replicas"); do
    "$python" -m streamlit run streamlit_app.py --server.headless true --server.address 127.0.0.1 \
        --server.port "$((port + i))" --browser.gatherUsageStats false "$@" \
        >"$logs/replica-$i.log" 2>&1 &
    pids+=("$!")
    echo "    server r$i 127.0.0.1:$((port + i)) cookie r$i" >>"$config"
done

healthy() { "$python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2).read()' "$1" 2>/dev/null; }
wait_healthy() {  # URL SECONDS: wait for /_stcore/health to answer, or give up
    local deadline=$((SECONDS + $2))
    until healthy "$1/_stcore/health"; do
        if [ "$SECONDS" -ge "$deadline" ]; then echo "error: $1 did not become healthy (logs: $logs)" >&2; exit 1; fi
        for pid in "${pids[@]}"; do  # a replica that ended at start (a bad option, a taken port) ends the wait
            kill -0 "$pid" 2>/dev/null || { echo "error: a process ended while starting (logs: $logs)" >&2; exit 1; }
        done
        sleep 0.5
    done
}
for i in $(seq 1 "$replicas"); do wait_healthy "http://127.0.0.1:$((port + i))" 180; done

export LAB_BIND="${LAB_BIND:-0.0.0.0}" LAB_PORT="$port"
haproxy -c -q -f "$config"
haproxy -db -f "$config" >"$logs/haproxy.log" 2>&1 &
pids+=("$!")
wait_healthy "http://127.0.0.1:$port" 30

echo "Adversarial Lab: http://localhost:$port ($replicas replicas, TF_NUM_INTRAOP_THREADS=$TF_NUM_INTRAOP_THREADS each; logs in $logs)"
echo "Operator sign-in (keep it off the projector): http://localhost:$port/?operator=$ADVERSARIAL_LAB_OPERATOR_TOKEN"
# Whichever process ends first (a replica that crashed, the balancer), stop the rest with it.
set +e
wait -n "${pids[@]}"
status=$?
echo "error: a replica or the balancer stopped (exit $status; logs: $logs)" >&2
exit 1
