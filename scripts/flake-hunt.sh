#!/usr/bin/env bash
# Flake hunt: the whole `npm test`, RUNS times in a row (default 3), while a CPU hog keeps every
# core busy. Every run must pass. The hogs are bounded (HOG_MAX_SECONDS, default 5400) and killed
# when this script exits, however it exits. Logs go to $FLAKE_LOG_DIR (default a temp dir).
#
#   bash scripts/flake-hunt.sh            # 3 runs
#   RUNS=1 bash scripts/flake-hunt.sh     # a quicker look
set -uo pipefail
cd "$(dirname "$0")/.."

runs=${RUNS:-3}
hog_max=${HOG_MAX_SECONDS:-5400}
cores=$(nproc)
logs=${FLAKE_LOG_DIR:-$(mktemp -d -t puffle-flake-hunt-XXXXXX)}
mkdir -p "$logs"

hogs=()
stop_hogs() {
  for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${hogs[@]}"; do wait "$pid" 2>/dev/null; done
  hogs=()
}
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT TERM

for _ in $(seq "$cores"); do
  timeout "$hog_max" yes >/dev/null &
  hogs+=("$!")
done
echo "flake hunt: $runs x npm test with $cores CPU hog(s) (pids ${hogs[*]}); logs in $logs"

failed=0
summary=()
for run in $(seq "$runs"); do
  log="$logs/run-$run.log"
  start=$(date +%s)
  npm test >"$log" 2>&1
  code=$?
  seconds=$(($(date +%s) - start))
  line=$(grep -E '^vitest: [0-9]+ passed, [0-9]+ failed$' "$log" | tail -n 1)
  if [ "$code" -eq 0 ]; then verdict=PASS; else verdict=FAIL; failed=$((failed + 1)); fi
  summary+=("run $run: $verdict (exit $code) in ${seconds}s; ${line:-no vitest line}")
  echo "${summary[-1]}"
  if [ "$code" -ne 0 ]; then
    grep -E '(FAIL|×) ' "$log" | sed 's/\x1b\[[0-9;]*m//g' | sort -u | head -n 20
  fi
done
stop_hogs

echo
echo "flake hunt summary ($runs runs under load on $cores cores):"
printf '  %s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "flake hunt: $failed of $runs runs failed (logs in $logs)"
  exit 1
fi
echo "flake hunt: all $runs runs passed"
