#!/usr/bin/env bash
# Latency on this machine (one thread): FBNet's lookup-table prediction against the measured
# latency of 200 random NAS-Bench-201 cell networks (8 channels, 3 cells, 1×8×8), at batch 1
# and 64 (median of 100 timed passes), beside PyTorch measuring the same networks (Benchmarks/peers/torch_latency.py); then
# an accuracy–latency search on the digits, 30 trained cells per run (5 epochs each), seeds
# 0–2: Hone's predictor-guided search, NSGA-II and random search, and Optuna's NSGA-II on the
# same evaluation (`hone nas train`). Tables: nas_latency_table.py and the Spearman lines.
# Usage: Benchmarks/nas_latency.sh [OUT_DIR] [SEEDS] [QUERIES]
#   (needs .build/release/hone and .build/release/NASBenchmark, which make bench builds)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
seeds="${2:-0 1 2}"
queries="${3:-30}"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore
mkdir -p "$out"
hone="$root/.build/release/hone"
for batch in 1 64; do
  "$hone" nas latency --sample 200 --batch "$batch" --repeats 100 --json > "$out/latency-$batch.json"
  "$python" "$root/Benchmarks/peers/torch_latency.py" --cells "$out/latency-$batch.json" --batch "$batch" > "$out/torch-latency-$batch.json"
  python3 - "$out/latency-$batch.json" "$out/torch-latency-$batch.json" "$batch" <<'PY'
import json, statistics, sys
hone, torch = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ratio = statistics.median(h["median_ms"] / t for h, t in zip(hone["cells"], torch["median_ms"]))
print(f"batch {sys.argv[3]}: Spearman(predicted, measured) {hone['spearman']:.3f}, median relative error "
      f"{hone['median_relative_error']:.3f}; median measured {statistics.median(h['median_ms'] for h in hone['cells']):.3f} ms, "
      f"PyTorch {statistics.median(torch['median_ms']):.3f} ms, Hone/PyTorch {ratio:.2f} (median of per-cell ratios)")
PY
done
: > "$out/search.jsonl"
seed_list="$(echo "$seeds" | tr ' ' ',')"
"$root/.build/release/NASBenchmark" --digits-latency --epochs 5 --queries "$queries" --seeds "$seed_list" \
  --methods random,nsga2,predictor >> "$out/search.jsonl"
for seed in $seeds; do
  "$python" "$root/Benchmarks/peers/optuna_cells.py" --seed "$seed" --queries "$queries" --epochs 5 >> "$out/search.jsonl"
done
python3 "$root/Benchmarks/nas_latency_table.py" "$out/search.jsonl"
