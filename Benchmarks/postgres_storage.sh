#!/usr/bin/env bash
# Hone's PostgreSQL storage beside Optuna's RDBStorage on one throwaway server with durable
# settings: ask+tell trials/s with 1, 8 and 32 worker processes and the connections they hold,
# then the time of one ask at 1,000, 10,000 and 100,000 trials (random and TPE).
# Usage: Benchmarks/postgres_storage.sh [PROCESSES] [CHECKPOINTS] [OPTUNA_CHECKPOINTS]
#   (needs .build/release/hone and .build/release/StorageBenchmark; PostgreSQL installed)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
"$python" "$root/Benchmarks/peers/postgres_storage.py" --bench "$root/.build/release/StorageBenchmark" \
  --hone "$root/.build/release/hone" --processes "${1:-1,8,32}" \
  --checkpoints "${2:-1000,10000,100000}" --optuna-checkpoints "${3:-1000,10000}"
