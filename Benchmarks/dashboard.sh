#!/usr/bin/env bash
# hone dashboard beside optuna-dashboard on one study of 100,000 trials: study page, trial table,
# a new trial's latency in a browser, and C clients for S seconds.
# Usage: Benchmarks/dashboard.sh [TRIALS] [CLIENTS] [SECONDS]
#   (needs .build/release/hone and .build/release/DashboardBenchmark; make bench builds them)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
# wrk makes the load (Debian's package).
if ! command -v wrk >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
"$python" "$root/Benchmarks/peers/dashboard_load.py" --hone "$root/.build/release/hone" \
  --bench "$root/.build/release/DashboardBenchmark" --trials "${1:-100000}" --clients "${2:-50}" --seconds "${3:-30}"
