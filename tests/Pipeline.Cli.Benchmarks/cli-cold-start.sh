#!/usr/bin/env bash
# The CLI's size and cold start, two builds side by side in one run (issue #19: the CLI free of the CDK).
# Usage: cli-cold-start.sh BEFORE_DIR AFTER_DIR [RUNS] (default 10). Each DIR is a Release build output of
# tools/Pipeline.Cli (`dotnet build tools/Pipeline.Cli/Pipeline.Cli.csproj -c Release -o DIR`), holding pipeline.dll.
# Times two commands that start no server: `--help`, and `workflow start training --input {}` on an empty data
# folder, which reads the golden training ASL and runs the machine until ValidateInput fails (exit 1, expected).
# One untimed warm-up run of each command per build, then RUNS runs alternating between the builds, each under
# /usr/bin/time -f "%e %M" (wall s, max RSS KB). Prints size, Amazon.CDK*/Amazon.JSII* dlls, median/min per command.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 BEFORE_DIR AFTER_DIR [RUNS]" >&2; exit 2; }
before="$(cd "$1" && pwd)"; after="$(cd "$2" && pwd)"; runs="${3:-10}"
for dir in "$before" "$after"; do
  [ -f "$dir/pipeline.dll" ] || { echo "no pipeline.dll in $dir" >&2; exit 2; }
done
[ -x /usr/bin/time ] || { echo "needs GNU time at /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT

# run LABEL DIR COMMAND: one run; appends "wall rss" to $work/LABEL.COMMAND (when timed).
run() {
  local label="$1" dir="$2" command="$3" timed="$4" data
  data="$(mktemp -d "$work/data.XXXX")"
  local args=(--help)
  [ "$command" = help ] || args=(workflow start training --input '{}' --data-dir "$data")
  if [ "$timed" = yes ]; then
    /usr/bin/time -f "%e %M" -o "$work/one" dotnet "$dir/pipeline.dll" "${args[@]}" >/dev/null 2>&1 || true
    grep -E '^[0-9.]+ [0-9]+$' "$work/one" >>"$work/$label.$command"
  else
    dotnet "$dir/pipeline.dll" "${args[@]}" >/dev/null 2>&1 || true
  fi
  rm -rf "$data"
}

# stats FILE: median and min of the wall times, median of the max RSS.
stats() {
  local median='{ v[NR] = $1 } END { printf "%.2f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
  local wall rss min
  wall=$(cut -d' ' -f1 "$1" | sort -n | awk "$median")
  min=$(cut -d' ' -f1 "$1" | sort -n | head -1)
  rss=$(cut -d' ' -f2 "$1" | sort -n | awk "$median")
  echo "median ${wall} s  min ${min} s  (n=$(wc -l <"$1"))  median max RSS $((${rss%.*} / 1024)) MB"
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for command in help workflow; do
  run before "$before" "$command" no; run after "$after" "$command" no
done
for ((i = 0; i < runs; i++)); do
  for command in help workflow; do
    run before "$before" "$command" yes; run after "$after" "$command" yes
  done
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
for label in before after; do
  dir="$before"; [ "$label" = after ] && dir="$after"
  cdk=$(find "$dir" -maxdepth 1 \( -name 'Amazon.CDK*.dll' -o -name 'Amazon.JSII*.dll' \) | wc -l)
  echo "$label: $dir  $(du -sh "$dir" | cut -f1)  Amazon.CDK*/Amazon.JSII* dlls: $cdk"
  echo "  --help                          $(stats "$work/$label.help")"
  echo "  workflow start training --input {}  $(stats "$work/$label.workflow")"
done
