#!/usr/bin/env bash
# aws-user-personalization on the Gowalla split of the LightGCN paper (issue #15): tuned on train → valid, refit on
# train + valid, scored on test. Prints Recall@20 / NDCG@20 next to LightGCN's published 0.1830 / 0.1554, the
# training seconds, the CPU seconds of the whole command and its peak memory (targets: 60 s, 8 GiB on 2 cores).
# Usage: gowalla.sh [DATA_DIR] (default: ../shared/data/gowalla next to the repository) [extra evaluate arguments].
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
data="${1:-$root/../shared/data/gowalla}"
shift || true
[ -f "$data/train.txt.gz" ] || { echo "no Gowalla split at $data (train.txt.gz, valid.txt.gz, test.txt.gz)" >&2; exit 2; }
dotnet build -c Release "$root/tools/Pipeline.Cli" -v quiet -nologo >/dev/null
out="$(mktemp)"
trap 'rm -f "$out" "$out.time"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f '%U %S' -o "$out.time" dotnet "$root/tools/Pipeline.Cli/bin/Release/net10.0/pipeline.dll" evaluate \
  --train "$data/train.txt.gz" --valid "$data/valid.txt.gz" --test "$data/test.txt.gz" \
  --recipe aws-user-personalization --json "$@" > "$out"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
for key in recall_at_20 ndcg_at_20 training_seconds loading_seconds peak_working_set_mib \
  hyperparameter.graph_row_exponent hyperparameter.graph_column_exponent hyperparameter.graph_user_exponent \
  hyperparameter.graph_rank hyperparameter.graph_low_rank_weight hyperparameter.graph_sharpening; do
  printf '%s %s\n' "$key" "$(grep -o "\"$key\":[^,}]*" "$out" | cut -d: -f2 | tr -d '"')"
done
echo "cpu_seconds_whole_command $(awk '{print $1 + $2}' "$out.time")"
echo "published LightGCN: recall_at_20 0.1830 ndcg_at_20 0.1554"
