#!/usr/bin/env bash
# Differentiable architecture search on digits (1×8×8, NAS-Bench-201's cell operations, cell
# network of 8 channels and 3 cells), seeds 0–4: DARTS first order (15 search epochs), DARTS
# second order (6) and sharpDARTS (its operations, max-W, cosine power annealing; 8), each cell
# found retrained 20 epochs; against the best (by validation accuracy) of 50 random cells of
# the same seed trained the same way. Compute is multiply–accumulates × examples of every
# forward pass, the supernet's included. PyTorch runs the same first-order search and
# retraining on the same data (Benchmarks/peers/torch_darts.py). One table (darts_table.py).
# Usage: Benchmarks/darts.sh [OUT_DIR] [SEEDS] [RANDOM_CELLS]
#   (needs .build/release/hone: make release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
seeds="${2:-0 1 2 3 4}"
random_cells="${3:-50}"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore
mkdir -p "$out"
hone="$root/.build/release/hone"
retrain=20
common=(--data digits --arch-lr 3e-3 --retrain-epochs "$retrain" --json)
for seed in $seeds; do
  "$hone" nas darts "${common[@]}" --seed "$seed" --epochs 15 > "$out/first-$seed.json"
  "$hone" nas darts "${common[@]}" --seed "$seed" --epochs 6 --order second > "$out/second-$seed.json"
  "$hone" nas darts "${common[@]}" --seed "$seed" --epochs 8 --sharp > "$out/sharp-$seed.json"
  "$python" "$root/Benchmarks/peers/torch_darts.py" --seed "$seed" --epochs 15 --arch-lr 3e-3 --retrain-epochs "$retrain" \
    > "$out/torch-$seed.json" || echo "darts.sh: torch_darts.py failed on seed $seed" >&2
  : > "$out/random-$seed.jsonl"
  "$hone" nas sample --space cell --count "$random_cells" --seed "$((seed + 1000))" | python3 -c '
import json, sys
for line in sys.stdin: print(json.loads(line)["architecture"])' | while read -r cell; do
    "$hone" nas train "$cell" --data digits --seed "$seed" --retrain-epochs "$retrain" >> "$out/random-$seed.jsonl"
  done
done
python3 "$root/Benchmarks/darts_table.py" "$out"
