"""pycma and Optuna peers of Hone's CMA-ES evaluations-to-target benchmark.

Counts the objective evaluations a CMA-ES needs until the best value found so
far is <= target (default 1e-8) on a classic test function. The Swift side
implements the identical protocol:

- Functions (all with minimum 0), D dimensions (default 10):
    sphere      sum x_i^2
    rosenbrock  sum_{i<D-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2
    rastrigin   10 D + sum (x_i^2 - 10 cos(2 pi x_i))
- Search box [-5, 5]^D, start x0 = [3.0] * D, sigma0 = 10/6 (box width / 6).
- An evaluation count is the 1-based index of the first objective call whose
  value is <= target (counted by a wrapper around the objective, so it is
  exact even though both peers evaluate a whole population before checking).
  A seed that never reaches the target within the budget is a failure (null).
- Reported per peer and function: the number of successful seeds and the
  median evaluation count over the successful seeds (null if none).

pycma (``--peers pycma``): for seed in 1..S,

    cma.fmin2(f, [3.0]*D, 10/6,
              {"seed": seed, "bounds": [-5, 5], "ftarget": target,
               "maxfevals": budget, "verbose": -9},
              restarts=9, incpopsize=2, bipop=False)

i.e. IPOP-CMA-ES (up to 9 restarts, population doubled at each restart), used
for all three functions so they share one procedure (on sphere and rosenbrock
the first run normally hits the target, so no restart happens). pycma's
defaults otherwise: popsize 4 + floor(3 ln D), bounds by its BoundTransform,
the final mean of every run evaluated (and counted). x0 is a fixed array, so
every restart starts again at x0 (pycma's behaviour for a non-callable x0);
pycma increments the seed at each restart. ``maxfevals`` counts cumulatively
over the restarts. Default budget 100000 evaluations, S = 10 seeds.

Optuna (``--peers optuna``): for seed in 1..S_optuna, one in-memory study,
direction "minimize", ``CmaEsSampler(x0={"x0": 3.0, ...}, seed=seed)``, and an
ask/tell loop that suggests ``x_i = suggest_float(f"x{i}", -5, 5)`` for i in
0..D-1 and stops at the first value <= target or after the budget. Notes on
Optuna 5.0.0 (read from optuna/samplers/_cmaes.py):

- ``restart_strategy`` / ``inc_popsize`` are deprecated since 4.4.0 and
  ignored (they "fall back to None"; restarts moved to OptunaHub), so the
  Optuna peer is plain CMA-ES without restarts. They are not passed.
- The sampler runs CMA-ES (the ``cmaes`` package) in the search space scaled
  to [0, 1]^D, and applies ``sigma0`` in those units. Its default, min range
  / 6 = 1/6 there, is exactly sigma0 = 10/6 in the original units, so sigma0 is
  left at its default (passing 10/6 would mean 16.7 in original units).
  ``x0`` is given in original units and is deprecated (since 4.9.0) but still
  honoured; the FutureWarning is silenced.
- The first trial (n_startup_trials=1) is sampled by RandomSampler, uniformly
  in the box; CMA-ES starts from trial 2 and that random trial counts as an
  evaluation. Population size is the cmaes default 4 + floor(3 ln D).
- Out-of-box samples are resampled by cmaes (up to 10 D times), then clipped.

Optuna is slow (each ask re-reads the trials and unpickles the optimizer from
the last trial's system attrs), so its defaults are smaller: S_optuna = 3
seeds, budget 5000 trials. Measured on this machine (2 cores, Optuna 5.0.0,
10-D): a full 5000-trial Optuna run (a failing seed) takes 19-25 s, and one
invocation with all defaults (pycma 10 seeds + Optuna 3 seeds) takes about
14 s on sphere, 57 s on rosenbrock and 120 s on rastrigin (pycma about 60 s of
it, its IPOP restarts use up to ~97000 evaluations). Optuna's record also
carries "seconds", its total wall time.

Output (``--json``): one line per peer and function,
``{"peer": "pycma" | "optuna", "version", "function", "dims", "seeds",
"budget", "target", "restarts": "ipop" | "none", "successes",
"median_evals", "evals": [per seed, null on failure]}`` plus ``"seconds"``
for Optuna.

Run it with the venv made by setup.sh (which installs optuna==5.0.0, cma and
cmaes):

    PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
    for f in sphere rosenbrock rastrigin; do
        "$PY" Benchmarks/peers/cmaes_peers.py --function $f --json
    done
"""

import argparse
import json
import math
import statistics
import sys
import time
import warnings

import numpy as np

LOW, HIGH = -5.0, 5.0
X0_VALUE = 3.0
SIGMA0 = (HIGH - LOW) / 6.0


def sphere(x):
    return float(np.sum(x * x))


def rosenbrock(x):
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))


def rastrigin(x):
    return float(10.0 * len(x) + np.sum(x * x - 10.0 * np.cos(2.0 * math.pi * x)))


FUNCTIONS = {"sphere": sphere, "rosenbrock": rosenbrock, "rastrigin": rastrigin}


class Counted:
    """Objective wrapper recording the 1-based index of the first call whose
    value is <= target."""

    def __init__(self, f, target):
        self.f, self.target = f, target
        self.calls, self.hit = 0, None

    def __call__(self, x):
        value = self.f(np.asarray(x, dtype=float))
        self.calls += 1
        if self.hit is None and value <= self.target:
            self.hit = self.calls
        return value


def summarize(evals):
    ok = [e for e in evals if e is not None]
    return len(ok), (statistics.median(ok) if ok else None)


def run_pycma(func, dims, seeds, budget, target):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Could not import matplotlib.pyplot"
        import cma

    evals = []
    for seed in range(1, seeds + 1):
        counted = Counted(FUNCTIONS[func], target)
        options = {
            "seed": seed,
            "bounds": [LOW, HIGH],
            "ftarget": target,
            "maxfevals": budget,
            "verbose": -9,
        }
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cma.fmin2(counted, [X0_VALUE] * dims, SIGMA0, options,
                      restarts=9, incpopsize=2, bipop=False)
        hit = counted.hit if counted.hit is not None and counted.hit <= budget else None
        evals.append(hit)
        print(f"pycma {func} seed {seed}: {hit} ({counted.calls} evaluations)", file=sys.stderr)
    successes, median = summarize(evals)
    return {
        "peer": "pycma",
        "version": cma.__version__,
        "function": func,
        "dims": dims,
        "seeds": seeds,
        "budget": budget,
        "target": target,
        "restarts": "ipop",
        "successes": successes,
        "median_evals": median,
        "evals": evals,
    }


def run_optuna(func, dims, seeds, budget, target):
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    f = FUNCTIONS[func]
    names = [f"x{i}" for i in range(dims)]
    evals = []
    wall0 = time.perf_counter()
    for seed in range(1, seeds + 1):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            # x0 is deprecated since 4.9.0 (still honoured); ExperimentalWarning.
            warnings.simplefilter("ignore")
            sampler = optuna.samplers.CmaEsSampler(
                x0={name: X0_VALUE for name in names}, seed=seed
            )
        study = optuna.create_study(direction="minimize", sampler=sampler)
        hit = None
        for n in range(1, budget + 1):
            trial = study.ask()
            x = np.array([trial.suggest_float(name, LOW, HIGH) for name in names])
            value = f(x)
            study.tell(trial, value)
            if value <= target:
                hit = n
                break
        evals.append(hit)
        print(f"optuna {func} seed {seed}: {hit} ({n} trials, {time.perf_counter() - t0:.1f} s, "
              f"best {study.best_value:.3g})", file=sys.stderr)
    seconds = time.perf_counter() - wall0
    successes, median = summarize(evals)
    return {
        "peer": "optuna",
        "version": optuna.__version__,
        "function": func,
        "dims": dims,
        "seeds": seeds,
        "budget": budget,
        "target": target,
        "restarts": "none",
        "successes": successes,
        "median_evals": median,
        "evals": evals,
        "seconds": seconds,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--function", choices=sorted(FUNCTIONS), required=True)
    ap.add_argument("--dims", type=int, default=10)
    ap.add_argument("--seeds", type=int, default=10, help="pycma seeds (1..S)")
    ap.add_argument("--budget", type=int, default=100000, help="pycma evaluation budget")
    ap.add_argument("--optuna-seeds", type=int, default=3, help="Optuna seeds (1..S)")
    ap.add_argument("--optuna-budget", type=int, default=5000, help="Optuna trial budget")
    ap.add_argument("--target", type=float, default=1e-8)
    ap.add_argument("--peers", default="pycma,optuna",
                    help="comma-separated subset of pycma,optuna (default both)")
    ap.add_argument("--json", action="store_true", help="print one JSON line per peer")
    args = ap.parse_args()

    peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    if not peers or any(p not in ("pycma", "optuna") for p in peers):
        sys.exit("--peers must be a comma-separated subset of pycma,optuna")
    if args.dims < 2:
        sys.exit("--dims must be >= 2")

    for peer in peers:
        if peer == "pycma":
            result = run_pycma(args.function, args.dims, args.seeds, args.budget, args.target)
        else:
            result = run_optuna(args.function, args.dims, args.optuna_seeds,
                                args.optuna_budget, args.target)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            for key, value in result.items():
                print(f"{key}: {value}")
            print(flush=True)


if __name__ == "__main__":
    main()
