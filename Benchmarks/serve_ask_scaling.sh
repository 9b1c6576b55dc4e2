#!/usr/bin/env bash
# The time of one ask as a study grows (random and TPE, SQLite), through `hone serve --stdio`,
# beside Optuna's ask on its RDB storage over SQLite at the checkpoints given for it.
# Usage: Benchmarks/serve_ask_scaling.sh [CHECKPOINTS] [OPTUNA_CHECKPOINTS]   (needs .build/release/hone)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
export OPENBLAS_NUM_THREADS=1
"$python" "$root/Benchmarks/peers/serve_ask_scaling.py" --hone "$root/.build/release/hone" \
  --checkpoints "${1:-1000,10000,100000}" --optuna-checkpoints "${2:-1000,10000}"
