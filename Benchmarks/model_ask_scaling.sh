#!/usr/bin/env bash
# The time of one GP and one auto suggestion as a study grows (100 to 10,000 trials of 5-D
# Ackley in SQLite), through `hone ask` and `hone serve`, beside Optuna's GPSampler and
# TPESampler up to 2,000 trials (Benchmarks/peers/model_ask_scaling.py).
# Usage: Benchmarks/model_ask_scaling.sh [CHECKPOINTS] [OPTUNA_CHECKPOINTS]   (needs .build/release/hone)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
export OPENBLAS_NUM_THREADS=1
"$python" "$root/Benchmarks/peers/model_ask_scaling.py" --hone "$root/.build/release/hone" \
  --checkpoints "${1:-100,1000,2000,10000}" --optuna-checkpoints "${2:-100,1000,2000}"
