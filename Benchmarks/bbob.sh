#!/usr/bin/env bash
# BBOB (COCO's 24 functions, instances 1–5) in 5-D and 10-D at 20·d evaluations: Hone's auto
# sampler beside Optuna's samplers, Nevergrad's NGOpt and HEBO, in the same run; one table.
# Usage: Benchmarks/bbob.sh [OUT_DIR] [METHODS]   (needs .build/release/hone: make release)
# Optuna's GP (minutes per 10-D run) runs instances 1–3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
methods="${2:-hone-auto ngopt optuna-gp optuna-tpe optuna-cmaes optuna-random hebo}"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore
mkdir -p "$out"
for dims in 5 10; do
  for method in $methods; do
    instances="1-5"
    case "$method" in optuna-gp|hebo) instances="1-3" ;; esac
    "$python" "$root/Benchmarks/peers/bbob.py" --method "$method" --dims "$dims" --instances "$instances" --json \
      >> "$out/$method-$dims.jsonl" || echo "bbob.sh: $method in $dims-D failed" >&2
  done
done
cat "$out"/*.jsonl | python3 "$root/Benchmarks/bbob_table.py"
