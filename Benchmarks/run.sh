#!/usr/bin/env bash
# Runs every benchmark beside its peer, in the same run, and prints one table with ratios.
# Usage: Benchmarks/run.sh   (make bench builds the release binaries first)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
export OPENBLAS_NUM_THREADS=1
python="$(Benchmarks/peers/setup.sh | tail -n 1)"
bench="$root/.build/release/StorageBenchmark"
peer="$root/Benchmarks/peers/optuna_storage.py"
# Optuna needs seconds per hundred SQLite trials, so it gets fewer trials (rates are per second).
configs=(
  "memory 1 20000 2000"
  "sqlite 1 5000 200"
  "sqlite 4 5000 200"
  "sqlite 8 5000 200"
)
results=()
for config in "${configs[@]}"; do
  read -r mode processes hone_trials optuna_trials <<<"$config"
  results+=("$("$bench" --mode "$mode" --processes "$processes" --trials "$hone_trials" --json)")
  results+=("$("$python" "$peer" --mode "$mode" --processes "$processes" --trials "$optuna_trials" --json)")
done
printf '%s\n' "${results[@]}" | python3 "$root/Benchmarks/table.py"

# Optimizer steps on 10M float32 parameters, 1 and 2 threads, beside torch and bitsandbytes.
# The machine is shared and noisy: Hone and the peers run alternately 3 times, and the table
# takes each one's median over the runs (each run reports the median of 10 steps).
for threads in 1 2; do
  echo
  for round in 1 2 3; do
    "$root/.build/release/OptimizerBenchmark" --threads "$threads" --json
    "$python" "$root/Benchmarks/peers/optim_step.py" --threads "$threads" --json
  done | python3 "$root/Benchmarks/optimizer_table.py"
done
# Pruning on the real learning curves of ../shared/data (not on a user's machine: skipped then).
curves="$root/../shared/data/learning-curves"
if [ -d "$curves" ]; then
  echo
  for file in metaqnn_cifar10 metaqnn_svhn deep_resnets_cifar10; do
    for pruner in median asha; do
      "$root/.build/release/PruningBenchmark" --csv "$curves/$file.csv" --pruner "$pruner" --json
      "$python" "$root/Benchmarks/peers/optuna_pruning.py" --csv "$curves/$file.csv" --pruner "$pruner" --json
    done
    "$root/.build/release/PruningBenchmark" --csv "$curves/$file.csv" --pruner hyperband --json
    # Settings chosen on MetaQNN CIFAR-10 only; the other two files are held out.
    "$root/.build/release/PruningBenchmark" --csv "$curves/$file.csv" --pruner learning-curve --delta 0.3 --warmup 1 --startup 30 --json
    "$root/.build/release/PruningBenchmark" --csv "$curves/$file.csv" --pruner learning-curve+median --delta 0.05 --warmup 1 --startup 30 --json
    "$root/.build/release/PruningBenchmark" --csv "$curves/$file.csv" --pruner learning-curve --predictor extrapolation --delta 0.3 --warmup 6 --startup 30 --json
    "$root/.build/release/PruningBenchmark" --csv "$curves/$file.csv" --pruner learning-curve+median --predictor extrapolation --delta 0.05 --warmup 6 --startup 30 --json
  done | python3 "$root/Benchmarks/pruning_table.py"
else
  echo "(no ../shared/data/learning-curves: pruning benchmark skipped)"
fi

# Samplers: TPE time per suggestion, CMA-ES evaluations to target, NSGA-II hypervolume.
sampler="$root/.build/release/SamplerBenchmark"
echo
for n in 100 500 1000; do
  for d in 5 20; do
    "$sampler" tpe --trials "$n" --dims "$d" --json
    "$python" "$root/Benchmarks/peers/tpe_timing.py" --trials "$n" --dims "$d" --multivariate --json
    "$python" "$root/Benchmarks/peers/tpe_timing.py" --trials "$n" --dims "$d" --json
  done
done | python3 "$root/Benchmarks/sampler_table.py"
echo
for f in sphere rosenbrock rastrigin; do
  "$sampler" cmaes --function "$f" --sampler-budget 8000 --json
  "$python" "$root/Benchmarks/peers/cmaes_peers.py" --function "$f" --optuna-budget 8000 --json
done | python3 "$root/Benchmarks/sampler_table.py"
echo
for p in zdt1 zdt2 zdt3 dtlz2; do
  "$sampler" nsga2 --problem "$p" --seeds 10 --json
  "$python" "$root/Benchmarks/peers/nsga2_peers.py" --problem "$p" --seeds 10 --json
done | python3 "$root/Benchmarks/sampler_table.py"

echo
echo "Hone's kernels on the baseline instruction set (what a CPU without AVX2 runs), 1 thread:"
"$root/.build/release/OptimizerBenchmark" --threads 1 --isa baseline

# Training throughput on the digits (MLP and small CNN, Adam, one thread each) beside PyTorch;
# Hone and PyTorch alternate 3 times and the table takes each one's median.
echo
for config in "mlp 64 30" "mlp 256 30" "cnn 64 30" "cnn 256 30"; do
  read -r model batch epochs <<<"$config"
  for round in 1 2 3; do
    "$root/.build/release/TrainingBenchmark" --model "$model" --batch "$batch" --epochs "$epochs" --json
    "$python" "$root/Benchmarks/peers/torch_training.py" --model "$model" --batch "$batch" --epochs "$epochs" --threads 1 --json
  done
done | python3 "$root/Benchmarks/training_table.py"

# Bayesian optimization: median final simple regret on the test functions (10 seeds, 20·d
# evaluations; Optuna's GP gets 3 seeds in 20-D, where one run takes many minutes) beside
# Optuna's GPSampler, TPESampler and random search (Hone: its defaults, noisy EI, and a fixed
# noise floor for deterministic functions), then time per suggestion by history.
echo
bayes="$root/.build/release/BayesBenchmark"
peer="$root/Benchmarks/peers/optuna_bo.py"
{
  for cell in branin-2 hartmann6-6 ackley-2 ackley-5 ackley-10 levy-5 levy-10 rosenbrock-5 rosenbrock-10 \
              rastrigin-5 rastrigin-10 styblinski_tang-5 styblinski_tang-10 rosenbrock-20 styblinski_tang-20; do
    f=${cell%-*}; d=${cell##*-}
    "$bayes" regret --function "$f" --dims "$d" --seeds 10 --json
    "$bayes" regret --function "$f" --dims "$d" --seeds 10 --acquisition nei --json
    "$bayes" regret --function "$f" --dims "$d" --seeds 10 --deterministic --json
    for sampler in random tpe; do "$python" "$peer" --function "$f" --dims "$d" --sampler "$sampler" --seeds 10 --json; done
    "$python" "$peer" --function "$f" --dims "$d" --sampler gp --seeds "$([ "$d" = 20 ] && echo 3 || echo 10)" --json
  done
} | python3 "$root/Benchmarks/bo_table.py"
echo
for history in 50 100 200 500; do
  "$bayes" timing --function ackley --dims 5 --history "$history" --json
  "$python" "$peer" --function ackley --dims 5 --sampler gp --timing --history "$history" --json
done | python3 "$root/Benchmarks/bo_table.py"

# Architecture search on the NAS-Bench-201 table (../shared only: skipped elsewhere): best
# CIFAR-10 test accuracy after 50 and 100 distinct queries, seeds 100–119, Hone's methods beside
# Optuna's TPE and random search; then accuracy against parameters as a hypervolume ratio.
nb201="$root/../shared/data/nas/nb201.csv"
if [ -f "$nb201" ]; then
  echo
  { "$root/.build/release/NASBenchmark" --table "$nb201" --seeds 100-119
    "$python" "$root/Benchmarks/peers/optuna_nb201.py" --table "$nb201" --seeds 100-119; } | python3 "$root/Benchmarks/nas_table.py"
  echo
  "$root/.build/release/NASBenchmark" --table "$nb201" --seeds 100-119 --methods random,rea,predictor,tpe --multi-objective \
    | python3 "$root/Benchmarks/nas_table.py"
fi

# The demo study beside Optuna + PyTorch (5 seeds; about a quarter of an hour).
echo
"$root/Benchmarks/demo_study.sh" 1 2 3 4 5

# Wide spaces from the command line, and the time of an ask as a study grows (hone serve).
echo
"$root/Benchmarks/cli_wide_ask.sh" 20000 1
"$root/Benchmarks/cli_wide_ask.sh" 2000 1,10,100
echo
"$root/Benchmarks/serve_ask_scaling.sh"

# Many workers on one PostgreSQL study beside Optuna's RDBStorage on the same throwaway server
# (durable settings), then the time of an ask as that study grows.
echo
"$root/Benchmarks/postgres_storage.sh" 1,8,32 1000,10000 1000

# hone dashboard beside optuna-dashboard on one study of 100,000 trials (about 20 minutes:
# optuna-dashboard takes over a minute per request at that size).
echo
"$root/Benchmarks/dashboard.sh" 100000 50 30

# GP and auto suggestions as a study grows to 10,000 trials, beside Optuna's GP (a few minutes).
echo
"$root/Benchmarks/model_ask_scaling.sh"

# Search quality beside Optuna, Nevergrad, HEBO and the dehb package: the real HPO tables and
# the multi-fidelity replays of ../shared/data (skipped without it), and BBOB. Hours in all:
# Optuna's GP takes a minute or more per run and HEBO about five.
if [ -d "$root/../shared/data/hpo" ]; then
  echo
  "$root/Benchmarks/hpo.sh"
  echo
  "$root/Benchmarks/multifidelity.sh"
else
  echo "(no ../shared/data/hpo: the HPO-table and multi-fidelity benchmarks skipped)"
fi
echo
"$root/Benchmarks/bbob.sh"

# `hone compare` on digits for five optimizers over ten seeds, beside PyTorch on the same work,
# USEFUL for SGD and SAM-SGD, and Shampoo's step cost beside AdamW's (about fifteen minutes).
echo
"$root/Benchmarks/compare.sh"

# The GP sampler's surrogates (the NNGP kernel, deep kernel, HMC, ensemble, Laplace) on BBOB in
# 20-D and 40-D and on the HPO tables, beside Optuna's GP (about two hours).
if [ -d "$root/../shared/data/hpo" ]; then
  echo
  "$root/Benchmarks/surrogates.sh"
fi

# DARTS, second-order DARTS and sharpDARTS on the digits against the best of 50 random cells,
# beside PyTorch's DARTS (about half an hour).
echo
"$root/Benchmarks/darts.sh"

# Latency: FBNet's lookup table against measured latency (200 cells, batch 1 and 64, beside
# PyTorch), then an accuracy–latency search on the digits beside Optuna's NSGA-II.
echo
"$root/Benchmarks/nas_latency.sh"
