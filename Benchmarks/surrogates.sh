#!/usr/bin/env bash
# The GP sampler's surrogates (Li, Rudner & Wilson 2024) on BBOB f1, f6, f8, f14, f17 in 20-D and
# 40-D at 10·d evaluations, beside Optuna's GPSampler, BoTorch's standard loop and random search,
# in the same run; one table.
# The Matérn and infinite-width GPs refit every evaluation; the network surrogates (dkl, hmc,
# ensemble, laplace) are asked 10 trials at a time (the running ones are fantasies) and refit
# once per batch. Then the time per suggestion of each at 200 trials (BayesBenchmark timing,
# a fresh fit each) beside Optuna's GPSampler.
# Usage: Benchmarks/surrogates.sh [OUT_DIR] [INSTANCES] [SURROGATES]
#   (needs .build/release/hone and .build/release/BayesBenchmark: make release)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$root/Benchmarks/peers/setup.sh" | tail -n 1)"
out="${1:-$(mktemp -d)}"
instances="${2:-1-3}"
surrogates="${3:-matern infinite-width dkl hmc ensemble laplace optuna-gp botorch hone-random}"
export OPENBLAS_NUM_THREADS=1 PYTHONWARNINGS=ignore
mkdir -p "$out"
cd "$root/Benchmarks/peers"
for dims in 20 40; do
  for surrogate in $surrogates; do
    case "$surrogate" in
      optuna-gp|botorch|hone-random) method="$surrogate"; batch=1 ;;
      matern|infinite-width) method="hone-gp+surrogate=$surrogate"; batch=1 ;;
      *) method="hone-gp+surrogate=$surrogate"; batch=10 ;;
    esac
    "$python" bbob.py --method "$method" --dims "$dims" --functions 1,6,8,14,17 --instances "$instances" \
      --budget-per-dim 10 --batch "$batch" --json >> "$out/$surrogate-$dims.jsonl" || echo "surrogates.sh: $surrogate in $dims-D failed" >&2
  done
done
cat "$out"/*-20.jsonl "$out"/*-40.jsonl | python3 "$root/Benchmarks/surrogate_table.py"
echo
tables="hpobench_australian hpobench_blood_transfusion hpobench_car hpobench_credit_g hpolib_naval_propulsion hpolib_parkinsons_telemonitoring"
for surrogate in $surrogates; do
  case "$surrogate" in
    botorch) continue ;;
    optuna-gp|hone-random) method="$surrogate"; batch=1 ;;
    matern|infinite-width) method="hone-gp+surrogate=$surrogate"; batch=1 ;;
    *) method="hone-gp+surrogate=$surrogate"; batch=10 ;;
  esac
  for table in $tables; do
    HONE_BIN="$root/.build/release/hone" "$python" hpo_tables.py --table "$table" --method "$method" --seeds 3 --batch "$batch" --json \
      >> "$out/hpo-$surrogate.jsonl" || echo "surrogates.sh: $surrogate on $table failed" >&2
  done
done
cat "$out"/hpo-*.jsonl 2>/dev/null | python3 "$root/Benchmarks/hpo_table.py" || true
echo
echo "Time per suggestion at 200 trials (Ackley, 20-D; median of 10 ask-tell cycles, each a fresh fit):"
for surrogate in $surrogates; do
  case "$surrogate" in
    optuna-gp) "$python" optuna_bo.py --function ackley --dims 20 --sampler gp --timing --history 200 ;;
    botorch|hone-random) ;;
    *) "$root/.build/release/BayesBenchmark" timing --function ackley --dims 20 --history 200 --surrogate "$surrogate" ;;
  esac
done
