#!/usr/bin/env bash
# Real HPO tables (HPOBench MLP ×4, HPOLib FCNet ×2, in ../shared/data/hpo): Hone's samplers beside
# Optuna's, Nevergrad's NGOpt, HEBO and SMAC3, 100 noisy evaluations, 10 seeds (HEBO:
# HEBO_SEEDS, default 2, at about five minutes a run); one table of median regrets.
# Usage: Benchmarks/hpo.sh [OUT_DIR] [METHODS]   (needs .build/release/hone: make release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
methods="${2:-hone-auto hone-tpe optuna-tpe optuna-cmaes optuna-random ngopt smac optuna-gp hebo}"
tables="hpobench_australian hpobench_blood_transfusion hpobench_car hpobench_credit_g hpolib_naval_propulsion hpolib_parkinsons_telemonitoring"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore HONE_BIN="$root/.build/release/hone"
mkdir -p "$out"
for method in $methods; do
  seeds=10
  [ "$method" = hebo ] && seeds="${HEBO_SEEDS:-2}"
  for table in $tables; do
    "$python" "$root/Benchmarks/peers/hpo_tables.py" --table "$table" --method "$method" --seeds "$seeds" --json \
      >> "$out/$method.jsonl" || echo "hpo.sh: $method on $table failed" >&2
  done
done
cat "$out"/*.jsonl | python3 "$root/Benchmarks/hpo_table.py"
