#!/usr/bin/env bash
# The demo study (an MLP on the digits data, 40 trials of up to 30 epochs) with Hone and with
# Optuna + PyTorch on the same space, the same training recipe and the same budget, seed by
# seed in one run; then a table of validation and test accuracy, pruned trials and seconds.
# Usage: Benchmarks/demo_study.sh [SEEDS...]   (default seeds 1 2 3 4 5; needs .build/release/hone)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export OPENBLAS_NUM_THREADS=1
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
hone="$root/.build/release/hone"
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3 4 5)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
for seed in "${seeds[@]}"; do
  for config in "gp learning-curve" "gp median" "tpe median"; do
    read -r sampler pruner <<<"$config"
    rm -f hone.db
    line="$("$hone" demo --sampler "$sampler" --pruner "$pruner" --seed "$seed" --report "" --json 2>/dev/null | tail -n 1)"
    echo "{\"who\": \"hone\", \"sampler\": \"$sampler\", \"pruner\": \"$pruner\", \"seed\": $seed, \"result\": $line}"
  done
  for sampler in gp tpe; do
    line="$("$python" "$root/Benchmarks/peers/optuna_digits.py" --sampler "$sampler" --pruner median --seed "$seed" --quiet 2>/dev/null | tail -n 1)"
    echo "{\"who\": \"optuna+torch\", \"sampler\": \"$sampler\", \"pruner\": \"median\", \"seed\": $seed, \"result\": $line}"
  done
done | tee "$work/results.jsonl" | python3 "$root/Benchmarks/demo_table.py"
