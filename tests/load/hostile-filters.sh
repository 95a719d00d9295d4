#!/bin/bash
# Do hostile filters starve other traffic? Unfiltered recommendations alone (the reference), then the same next to
# as many connections sending filters that keep nothing, each kind in turn (issue #18 item 3).
# usage: tests/load/hostile-filters.sh PREPARED_DATA_DIR [USERS] [PORT]
#   PREPARED_DATA_DIR: a data folder `pipeline up` has run on (copied, so every run starts the same); USERS: the
#   sample's users (10000 for the default sample). Build first: dotnet build tools/Pipeline.Cli -c Release
#   (PIPELINE=path/to/pipeline runs another build, e.g. one from before a change, for a reference)
set -euo pipefail
PREPARED=${1:?usage: tests/load/hostile-filters.sh PREPARED_DATA_DIR [USERS] [PORT]}; USERS=${2:-10000}; PORT=${3:-5192}
ROOT=$(cd "$(dirname "$0")/../.." && pwd); RUN=$(mktemp -d); LOG=$RUN.log; URL="http://127.0.0.1:$PORT"
cp -r "$PREPARED"/. "$RUN"
"${PIPELINE:-$ROOT/tools/Pipeline.Cli/bin/Release/net10.0/pipeline}" up --data-dir "$RUN" --port "$PORT" --personalize-port -1 > "$LOG" 2>&1 &
STACK=$!
trap 'kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null; rm -rf "$RUN" "$LOG"' EXIT
for _ in $(seq 1 600); do grep -q "Nightly retraining" "$LOG" && curl -sf "$URL/health" >/dev/null && break; sleep 0.5; done

plain() { wrk -t1 -c8 -d10s -s "$ROOT/tests/load/recommendations.lua" "$URL" -- "$USERS" | tail -1; }
hostile() { wrk -t1 -c8 -d10s -s "$ROOT/tests/load/recommendations-hostile.lua" "$URL" -- "$USERS" "$1" | tail -1; }
served_by() { curl -s -X POST "$URL/recommendations" -H 'content-type: application/json' -d "{\"user_id\":\"user_$(printf "%0$(( ${#USERS} > 5 ? ${#USERS} : 5 ))d" 1)\",\"num_results\":100,\"filter\":\"$1\"}" | grep -o '"served_by":"[^"]*"'; }

plain > /dev/null # warm-up
echo "load $(cut -d' ' -f1 /proc/loadavg) | unfiltered alone, 8 connections: $(plain)"
for kind in empty price; do
  hostile "$kind" > "$RUN/hostile.out" &
  HOSTILE=$!
  out=$(plain)
  wait $HOSTILE
  echo "load $(cut -d' ' -f1 /proc/loadavg) | unfiltered next to 8 hostile ($kind): $out | hostile: $(cat "$RUN/hostile.out")"
done
echo "served_by (empty): $(served_by 'INCLUDE ItemID WHERE Items.CATEGORY IN (\"no-such-category\")')"
echo "served_by (price): $(served_by 'INCLUDE ItemID WHERE Items.PRICE > 1000000000')"
