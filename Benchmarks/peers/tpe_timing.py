"""Optuna peer of Hone's TPE suggestion-latency benchmark.

Measures the wall time of one TPE suggestion (ask + all suggest_float calls of
one trial) against a history of N completed trials, in process, with Optuna's
in-memory storage. The Swift side implements the identical protocol:

- ``optuna.logging`` at WARNING. One study, direction "minimize",
  ``TPESampler(seed=0, multivariate=M)`` with M = ``--multivariate`` (passed
  explicitly: in Optuna 5.0.0 ``multivariate=None``, the default, means True
  for single-objective studies, so plain ``TPESampler()`` is multivariate).
  All other TPE settings are Optuna's defaults (n_startup_trials=10,
  n_ei_candidates=24, constant_liar=True).
- History: N completed trials added without sampling, via
  ``study.add_trials([optuna.trial.create_trial(...)])``. Parameters
  ``x0..x{D-1}``, each ``FloatDistribution(-5, 5)``; the values are drawn with
  ``numpy.random.default_rng(0).uniform(-5, 5, size=(N, D))`` (row i = trial i);
  the objective value is the sum of squares of the row.
- Then K timed suggestions. Each one is

      t0 = perf_counter()
      trial = study.ask()
      for i in range(D): trial.suggest_float(f"x{i}", -5, 5)
      elapsed = perf_counter() - t0

  followed, outside the timed region, by ``study.tell(trial, sum(x_i^2))``, so
  the history grows from N to N+K-1 over the K suggestions.
- Reported: median and mean of the K elapsed times, in milliseconds.

Output (``--json``): one line
``{"peer": "optuna" | "optuna-multivariate", "version", "trials": N,
"dims": D, "repeats": K, "median_ms", "mean_ms", "min_ms", "max_ms"}``.

Run it with the venv made by setup.sh (which pins optuna==5.0.0):

    PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
    for n in 100 500 1000; do for d in 5 20; do
        "$PY" Benchmarks/peers/tpe_timing.py --trials $n --dims $d --json
        "$PY" Benchmarks/peers/tpe_timing.py --trials $n --dims $d --multivariate --json
    done; done
"""

import argparse
import json
import statistics
import sys
import time
import warnings

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def build_study(n_trials, dims, multivariate):
    study = optuna.create_study(
        direction="minimize",
        sampler=optuna.samplers.TPESampler(seed=0, multivariate=multivariate),
    )
    rng = np.random.default_rng(0)
    xs = rng.uniform(-5.0, 5.0, size=(n_trials, dims))
    dist = optuna.distributions.FloatDistribution(-5.0, 5.0)
    distributions = {f"x{i}": dist for i in range(dims)}
    trials = [
        optuna.trial.create_trial(
            params={f"x{i}": float(row[i]) for i in range(dims)},
            distributions=distributions,
            value=float(np.sum(row * row)),
        )
        for row in xs
    ]
    study.add_trials(trials)
    return study


def time_suggestions(study, dims, repeats):
    times = []
    for k in range(repeats):
        t0 = time.perf_counter()
        trial = study.ask()
        xs = [trial.suggest_float(f"x{i}", -5.0, 5.0) for i in range(dims)]
        times.append(time.perf_counter() - t0)
        study.tell(trial, sum(x * x for x in xs))
        print(f"suggestion {k + 1}/{repeats}: {1000 * times[-1]:.3f} ms", file=sys.stderr)
    return times


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--trials", type=int, required=True, help="history size N")
    ap.add_argument("--dims", type=int, required=True, help="number of parameters D")
    ap.add_argument("--repeats", type=int, default=20, help="timed suggestions K")
    ap.add_argument("--multivariate", action="store_true", help="TPESampler(multivariate=True)")
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    args = ap.parse_args()
    if args.trials < 0 or args.dims < 1 or args.repeats < 1:
        sys.exit("need --trials >= 0, --dims >= 1, --repeats >= 1")

    study = build_study(args.trials, args.dims, args.multivariate)
    times_ms = [1000.0 * t for t in time_suggestions(study, args.dims, args.repeats)]

    result = {
        "peer": "optuna-multivariate" if args.multivariate else "optuna",
        "version": optuna.__version__,
        "trials": args.trials,
        "dims": args.dims,
        "repeats": args.repeats,
        "median_ms": statistics.median(times_ms),
        "mean_ms": statistics.fmean(times_ms),
        "min_ms": min(times_ms),
        "max_ms": max(times_ms),
    }
    if args.json:
        print(json.dumps(result), flush=True)
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
