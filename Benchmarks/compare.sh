#!/usr/bin/env bash
# `hone compare` on digits (MLP 64-256-256-10, 30 epochs, batches of 64) for SGD, AdamW, Lion,
# Shampoo and SAM-SGD over seeds 0–9, beside PyTorch training and measuring the same optimizers
# on the same model and data in the same run (Benchmarks/peers/torch_compare.py); then USEFUL
# (clustering after epoch 5) for SGD and SAM-SGD on the same seeds; then the cost of one
# optimizer step on that model, Shampoo beside AdamW, in Hone (TrainingBenchmark) and PyTorch
# (torch_training.py; torch-optimizer's Shampoo). One table (Benchmarks/compare_table.py).
# Usage: Benchmarks/compare.sh [OUT_DIR] [SEEDS]
#   (needs .build/release/hone and .build/release/TrainingBenchmark: make release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
seeds="${2:-0 1 2 3 4 5 6 7 8 9}"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore
mkdir -p "$out"
hone="$root/.build/release/hone"
for seed in $seeds; do
  "$hone" compare --data digits --model mlp:256,256 --seed "$seed" --json > "$out/hone-$seed.json" 2>/dev/null
  "$hone" compare --data digits --model mlp:256,256 --seed "$seed" --optimizers sgd,sam-sgd --useful 5 --json \
    > "$out/useful-$seed.json" 2>/dev/null
  "$python" "$root/Benchmarks/peers/torch_compare.py" --seed "$seed" --json > "$out/torch-$seed.jsonl" \
    || echo "compare.sh: torch_compare.py failed on seed $seed" >&2
done
: > "$out/steps.jsonl"
for optimizer in adamw shampoo; do
  "$root/.build/release/TrainingBenchmark" --model mlp --batch 64 --epochs 5 --optimizer "$optimizer" --json >> "$out/steps.jsonl"
  "$python" "$root/Benchmarks/peers/torch_training.py" --model mlp --batch 64 --epochs 5 --optimizer "$optimizer" --json >> "$out/steps.jsonl"
done
python3 "$root/Benchmarks/compare_table.py" "$out"
