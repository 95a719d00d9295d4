#!/bin/bash
# Load figures of the local stack, each run from the same starting point.
# usage: [PIPELINE=BINARY] [USERS=N] [ITEMS=N] tests/load/measure.sh PREPARED_DATA_DIR [PORT]
#   PREPARED_DATA_DIR: a data folder `pipeline up` has run on (models trained, first import done); it is copied, so
#   every run starts with the same tables and replays nothing. Build first: dotnet build tools/Pipeline.Cli -c Release
#   PIPELINE: another build to measure with the same client (a reference); USERS/ITEMS: the prepared sample's sizes.
set -euo pipefail
PREPARED=${1:?usage: tests/load/measure.sh PREPARED_DATA_DIR [PORT]}; PORT=${2:-5191}
ROOT=$(cd "$(dirname "$0")/../.." && pwd); RUN=$(mktemp -d); LOG=$RUN.log
PIPELINE=${PIPELINE:-$ROOT/tools/Pipeline.Cli/bin/Release/net10.0/pipeline}; USERS=${USERS:-100000}; ITEMS=${ITEMS:-20000}
cp -r "$PREPARED"/. "$RUN"
"$PIPELINE" up --data-dir "$RUN" --port "$PORT" --personalize-port -1 > "$LOG" 2>&1 &
STACK=$!
trap 'kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null; rm -rf "$RUN" "$LOG"' EXIT
for _ in $(seq 1 600); do grep -q "Nightly retraining" "$LOG" && curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done

# wrk plus the stack's CPU time per request (user + system, from /proc), and the load average after the run.
run() {
  local script=$1 connections=$2; shift 2
  local before after out rps
  before=$(awk '{print $14 + $15}' /proc/$STACK/stat)
  out=$(wrk -t1 -c"$connections" -d10s -s "$ROOT/tests/load/$script" "http://127.0.0.1:$PORT" -- "$@" | tail -1)
  after=$(awk '{print $14 + $15}' /proc/$STACK/stat)
  rps=$(grep -o 'requests/s: [0-9]*' <<< "$out" | awk '{print $2}')
  echo "$script -c$connections: $out | stack CPU $(( (after - before) * 10000 / (rps * 10) )) µs/request | load $(cut -d' ' -f1 /proc/loadavg)"
}
wrk -t1 -c16 -d10s -s "$ROOT/tests/load/recommendations.lua" "http://127.0.0.1:$PORT" -- "$USERS" > /dev/null # warm-up
for connections in 8 16 32; do run recommendations.lua $connections "$USERS"; done
run events.lua 16 "$USERS" "$ITEMS"
run recommendations.lua 16 "$USERS" # right after a million new events: every user's next request folds them in
run recommendations.lua 16 "$USERS"
