"""Optuna peer of Hone's pruning evaluation on real learning curves.

Replays recorded learning curves through an Optuna pruner and measures how many
epochs the pruner saves (speedup) and what it costs in final accuracy (regret).
The Swift side implements the identical protocol:

- Input: a CSV where each row is one learning curve; the epochs are the columns
  whose names start with ``acc_``, in column order. Other columns are ignored.
- For k = 0..K-1 the N curves are replayed in the order ``order(k, N)`` (a
  Fisher-Yates shuffle driven by SplitMix64 seeded with k, below).
- Per order: a fresh in-memory study, direction "maximize",
  ``RandomSampler(seed=0)`` (no parameters are suggested). Curves run one after
  another:

      trial = study.ask()
      for e in 1..E:
          trial.report(acc[e-1], step=e)
          if trial.should_prune():
              study.tell(trial, state=PRUNED); epochs_run = e; stop this curve
      if never pruned:
          study.tell(trial, acc[E-1]); epochs_run = E

- Per order: speedup = N*E / sum(epochs_run);
  regret = 100 * (max final accuracy over all curves
                  - max final accuracy among curves that ran all E epochs);
  best_kept = the curve with the highest final accuracy (the first one if tied)
  ran all E epochs. Also the wall time of every should_prune call.

Pruners: ``median`` = MedianPruner(), ``asha`` = SuccessiveHalvingPruner(),
``none`` = NopPruner(), all with Optuna's defaults.

Run it with the venv made by setup.sh (which pins optuna==5.0.0):

    PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
    "$PY" Benchmarks/peers/optuna_pruning.py \\
        --csv ../shared/data/learning-curves/metaqnn_cifar10.csv \\
        --pruner median --orders 20 --json
"""

import argparse
import csv
import json
import os
import sys
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.ERROR)
optuna.logging.disable_default_handler()
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

M = 2**64 - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return state, z ^ (z >> 31)


def order(k, n):
    state, idx = k, list(range(n))
    for i in range(n - 1, 0, -1):
        state, r = splitmix64(state)
        j = r % (i + 1)
        idx[i], idx[j] = idx[j], idx[i]
    return idx


def load_curves(path):
    """Rows of the acc_* columns (in column order) as lists of floats."""
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        cols = [i for i, name in enumerate(header) if name.startswith("acc_")]
        if not cols:
            sys.exit(f"{path}: no acc_* columns")
        curves = []
        for lineno, row in enumerate(reader, start=2):
            if not row:
                continue
            try:
                curves.append([float(row[i]) for i in cols])
            except (IndexError, ValueError) as exc:
                sys.exit(f"{path}:{lineno}: bad row ({exc})")
    if not curves:
        sys.exit(f"{path}: no curves")
    return curves


def make_pruner(name):
    if name == "median":
        return optuna.pruners.MedianPruner()
    if name == "asha":
        return optuna.pruners.SuccessiveHalvingPruner()
    if name == "none":
        return optuna.pruners.NopPruner()
    raise ValueError(name)


def run_order(curves, perm, pruner_name):
    """Replay the curves in the order perm; returns epochs_run per curve
    (indexed by curve, not by position) and the should_prune timings."""
    n_epochs = len(curves[0])
    study = optuna.create_study(
        direction="maximize",
        sampler=optuna.samplers.RandomSampler(seed=0),
        pruner=make_pruner(pruner_name),
    )
    epochs_run = [0] * len(curves)
    prune_time = 0.0
    decisions = 0
    for c in perm:
        acc = curves[c]
        trial = study.ask()
        ran = n_epochs
        for e in range(1, n_epochs + 1):
            trial.report(acc[e - 1], step=e)
            t0 = time.perf_counter()
            prune = trial.should_prune()
            prune_time += time.perf_counter() - t0
            decisions += 1
            if prune:
                study.tell(trial, state=optuna.trial.TrialState.PRUNED)
                ran = e
                break
        else:
            study.tell(trial, acc[n_epochs - 1])
        epochs_run[c] = ran
    return epochs_run, prune_time, decisions


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--csv", required=True, help="learning-curve CSV")
    ap.add_argument("--pruner", choices=["median", "asha", "none"], required=True)
    ap.add_argument("--orders", type=int, default=20, help="number of replay orders K")
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    args = ap.parse_args()

    curves = load_curves(args.csv)
    n = len(curves)
    n_epochs = len(curves[0])
    if any(len(c) != n_epochs for c in curves):
        sys.exit(f"{args.csv}: curves of different lengths")

    finals = [c[n_epochs - 1] for c in curves]
    best_final = max(finals)
    best_idx = finals.index(best_final)  # first one if tied

    speedups, regrets, kept = [], [], []
    total_time, total_decisions = 0.0, 0
    wall0 = time.perf_counter()
    for k in range(args.orders):
        epochs_run, t, d = run_order(curves, order(k, n), args.pruner)
        total_time += t
        total_decisions += d
        speedups.append(n * n_epochs / sum(epochs_run))
        full = [finals[i] for i in range(n) if epochs_run[i] == n_epochs]
        # The first trial of a study is never pruned, so full is never empty.
        regrets.append(100.0 * (best_final - max(full)))
        kept.append(epochs_run[best_idx] == n_epochs)
        if not args.json:
            print(
                f"order {k:3d}: speedup {speedups[-1]:.4f}  regret {regrets[-1]:.4f}  "
                f"best_kept {kept[-1]}  ({d} decisions, {1000 * t / d:.4f} ms each)",
                flush=True,
            )
    wall = time.perf_counter() - wall0

    result = {
        "peer": "optuna",
        "version": optuna.__version__,
        "pruner": args.pruner,
        "csv": os.path.basename(args.csv),
        "curves": n,
        "epochs": n_epochs,
        "orders": args.orders,
        "speedup_mean": sum(speedups) / len(speedups),
        "speedup_min": min(speedups),
        "regret_mean": sum(regrets) / len(regrets),
        "regret_max": max(regrets),
        "best_kept_fraction": sum(kept) / len(kept),
        "ms_per_decision": 1000.0 * total_time / total_decisions,
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key}: {value}")
        print(f"wall time: {wall:.2f} s")


if __name__ == "__main__":
    main()
