#!/bin/bash
# Fixed 50/50 split against a bandit on the same simulated shoppers (issue #17): popularity (control) against
# user-personalization, each on a fresh `pipeline up` serving the experiment "sim", then `pipeline simulate` with the
# same seed. Prints each run's figures line (regret, best-variant share) and the bandit's weight history.
# usage: tests/load/simulate-bandit.sh [SEED] [RPS] [DURATION] [PERIOD_SECONDS]
#   Build first: dotnet build tools/Pipeline.Cli -c Release (PIPELINE=path/to/pipeline runs another build)
set -euo pipefail
SEED=${1:-11}; RPS=${2:-100}; DURATION=${3:-12}; PERIOD=${4:-2}
USERS=2000; ITEMS=1000; INTERACTIONS=40000; PORT=${PORT:-5193}; URL="http://127.0.0.1:$PORT"
ROOT=$(cd "$(dirname "$0")/../.." && pwd); PIPELINE=${PIPELINE:-$ROOT/tools/Pipeline.Cli/bin/Release/net10.0/pipeline}

run() { # $1: fixed | bandit
  local dir log stack allocation=""
  dir=$(mktemp -d); log=$dir.log
  [ "$1" = bandit ] && allocation=",\"allocation\":\"bandit\",\"bandit\":{\"period_seconds\":$PERIOD,\"minimum_share\":0.05,\"burn_in_seconds\":$PERIOD}"
  Serving__DefaultExperiment=sim "$PIPELINE" up --data-dir "$dir" --port "$PORT" --personalize-port -1 \
    --sample-users $USERS --sample-items $ITEMS --sample-interactions $INTERACTIONS > "$log" 2>&1 &
  stack=$!
  for _ in $(seq 1 600); do grep -q "running at" "$log" && break; sleep 0.5; done
  curl -sf -X POST "$URL/experiments" -H 'content-type: application/json' -d "{\"key\":\"sim\",\"primary_metric\":\"ctr\",\"variants\":[
    {\"key\":\"popularity\",\"weight\":0.5,\"recipe\":\"aws-popularity-count\"},
    {\"key\":\"user-personalization\",\"weight\":0.5,\"recipe\":\"aws-user-personalization\"}]$allocation}" > /dev/null
  curl -sf -X POST "$URL/experiments/sim/start" > /dev/null
  echo "$1: $("$PIPELINE" simulate --url "$URL" --users $USERS --rps "$RPS" --duration "$DURATION" --seed "$SEED" \
    --sample-users $USERS --sample-items $ITEMS | grep '^requests')"
  [ "$1" = bandit ] && grep "^Bandit 'sim'" "$log" | sed 's/^/  /'
  # The results' bandit section: each period's entrants (users stamped with it) and SRM p, the period-weighted estimates.
  [ "$1" = bandit ] && curl -sf "$URL/experiments/sim/results" | python3 -c '
import json, sys
b = json.load(sys.stdin)["bandit"]
for p in b["periods"]: print("  period %d users %s srm_p %s" % (p["period"], p["users"], p["srm_p_value"]))
for e in b["estimates"]: print("  %s weighted mean %s lift %s se %s chance %s" % (e["variant"], e["mean"], e["lift"], e["lift_standard_error"], e["chance_to_be_best"]))
print("  winner", b["winner"])'
  kill -TERM $stack; wait $stack 2>/dev/null || true
  rm -rf "$dir" "$log"
}
run fixed
run bandit
