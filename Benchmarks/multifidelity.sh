#!/usr/bin/env bash
# Multi-fidelity replays (NAS-Bench-201 12 → 200 epochs; the MetaQNN and ResNet learning curves):
# Hone's BOHB and DEHB beside Hyperband with random sampling and the PyPI dehb package, a budget
# of 100 full evaluations' epochs, 10 seeds; one table.
# Usage: Benchmarks/multifidelity.sh [OUT_DIR]   (needs .build/release/hone: make release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore HONE_BIN="$root/.build/release/hone"
mkdir -p "$out"
for problem in nb201 metaqnn_cifar10 metaqnn_svhn deep_resnets_cifar10; do
  for method in hone-hyperband-random hone-tpe-hyperband hone-bohb hone-dehb dehb-package; do
    "$python" "$root/Benchmarks/peers/multifidelity.py" --problem "$problem" --method "$method" --json \
      >> "$out/mf.jsonl" || echo "multifidelity.sh: $method on $problem failed" >&2
  done
done
python3 "$root/Benchmarks/multifidelity_table.py" < "$out/mf.jsonl"
