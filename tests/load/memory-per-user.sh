#!/bin/bash
# Memory of the local stack's API per new user: posts one event for each of USERS distinct new users to a fresh
# `pipeline up` (through HTTP, batches of 100, 8 connections) and reports the process's resident set (working set)
# before, right after, and after 5 s idle. Run it once with the default Serving:MaxRealtimeUsers and once with a
# larger bound (the reference, same machine, same run): the difference is what the bound saves.
# usage: [PIPELINE=BINARY] [MAX_REALTIME_USERS=N] tests/load/memory-per-user.sh [USERS] [PORT]
#   Build first: dotnet build tools/Pipeline.Cli -c Release
set -euo pipefail
USERS=${1:-1000000}; PORT=${2:-5193}
ROOT=$(cd "$(dirname "$0")/../.." && pwd); RUN=$(mktemp -d); LOG=$RUN.log
PIPELINE=${PIPELINE:-$ROOT/tools/Pipeline.Cli/bin/Release/net10.0/pipeline}
if [ -n "${MAX_REALTIME_USERS:-}" ]; then export Serving__MaxRealtimeUsers=$MAX_REALTIME_USERS; fi
: > "$LOG"
"$PIPELINE" up --data-dir "$RUN" --port "$PORT" --personalize-port -1 \
  --sample-users 10000 --sample-items 2000 --sample-interactions 200000 > "$LOG" 2>&1 &
STACK=$!
trap 'kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null; rm -rf "$RUN" "$LOG"' EXIT
for _ in $(seq 1 1200); do grep -q "Nightly retraining" "$LOG" && curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
rss() { awk '/VmRSS/ {print $2}' /proc/$STACK/status; }
python3 "$ROOT/tests/load/post-distinct-users.py" "http://127.0.0.1:$PORT" 1000 warmup > /dev/null
sleep 5; BEFORE=$(rss)
python3 "$ROOT/tests/load/post-distinct-users.py" "http://127.0.0.1:$PORT" "$USERS" user
AFTER=$(rss); sleep 5; IDLE=$(rss)
echo "users: $USERS  bound: ${MAX_REALTIME_USERS:-default}  RSS before: $((BEFORE / 1024)) MiB  after: $((AFTER / 1024)) MiB  after 5 s idle: $((IDLE / 1024)) MiB" \
  " => $(( (IDLE - BEFORE) * 1000000 / USERS / 1024 )) MiB per million users | load $(cut -d' ' -f1 /proc/loadavg)"
