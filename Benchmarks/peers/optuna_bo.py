"""Optuna peers of Hone's Bayesian-optimization benchmark.

Runs Optuna's GP sampler, its TPE sampler and plain random search for a fixed
budget of trials on a classic test function and reports the simple regret
(best value found minus the known global minimum). The Swift side implements
the identical protocol.

Test functions (all minimized, x in the original domain):

    branin           D = 2 only, x1 in [-5, 10], x2 in [0, 15]
                     a (x2 - b x1^2 + c x1 - r)^2 + s (1 - t) cos(x1) + s,
                     a = 1, b = 5.1 / (4 pi^2), c = 5 / pi, r = 6, s = 10,
                     t = 1 / (8 pi);  f* = 0.397887357729739
    hartmann6        D = 6 only, [0, 1]^6
                     -sum_i alpha_i exp(-sum_j A_ij (x_j - P_ij)^2),
                     alpha = [1.0, 1.2, 3.0, 3.2], the standard A and
                     P = 1e-4 * (the usual integer matrix);
                     f* = -3.32236801141551
    ackley           any D, [-32.768, 32.768]^D, a = 20, b = 0.2, c = 2 pi
                     -a exp(-b sqrt(mean x^2)) - exp(mean cos(c x)) + a + e;
                     f* = 0
    levy             any D, [-10, 10]^D, w = 1 + (x - 1) / 4
                     sin^2(pi w_1)
                     + sum_{i<D} (w_i - 1)^2 (1 + 10 sin^2(pi w_i + 1))
                     + (w_D - 1)^2 (1 + sin^2(2 pi w_D));  f* = 0
    rosenbrock       any D, [-5, 10]^D
                     sum_{i<D} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2;  f* = 0
    rastrigin        any D, [-5.12, 5.12]^D
                     10 D + sum (x^2 - 10 cos(2 pi x));  f* = 0
    styblinski_tang  any D, [-5, 5]^D
                     0.5 sum (x^4 - 16 x^2 + 5 x);
                     f* = -39.16616570377142 * D

Protocol of one run (seed s, budget B, default B = 20 * D):

    study = optuna.create_study(direction="minimize", sampler=SAMPLER)
    def objective(trial):
        x = [trial.suggest_float(f"x{i}", low_i, high_i) for i in range(D)]
        return f(x)
    study.optimize(objective, n_trials=B)
    regret = study.best_value - f*

with SAMPLER one of (Optuna's defaults otherwise)

    --sampler gp      optuna.samplers.GPSampler(seed=s)      peer "optuna-gp"
    --sampler tpe     optuna.samplers.TPESampler(seed=s)     peer "optuna-tpe"
    --sampler random  optuna.samplers.RandomSampler(seed=s)  peer "random"

for s in 0..S-1 (default S = 10). Optuna logging is silenced (WARNING) and
its experimental/future warnings are ignored. "seconds" is the wall time of
the whole run (study creation through the last trial).

Output (``--json``), one line per seed:

    {"peer": "optuna-gp" | "optuna-tpe" | "random", "function": NAME,
     "dims": D, "seed": s, "budget": B, "regret": float, "seconds": float}

Without ``--json`` a short human-readable line per seed is printed instead.

Timing mode (``--timing --history N``): one study with the chosen sampler
(seed 0) gets N completed trials added without sampling,

    xs = numpy.random.default_rng(0).uniform(low, high, size=(N, D))
    study.add_trial(optuna.trial.create_trial(
        params={"x0": ..., ...}, distributions={"x0": FloatDistribution(low_0,
        high_0), ...}, value=f(x)))   # one call per row

then 10 consecutive cycles are timed, each

    t0 = perf_counter()
    trial = study.ask()
    x = [trial.suggest_float(f"x{i}", low_i, high_i) for i in range(D)]
    study.tell(trial, f(x))
    ms = (perf_counter() - t0) * 1000

so the history grows from N to N + 9 over the cycles. Output, one line:

    {"peer": "optuna-gp", "mode": "timing", "function": NAME, "dims": D,
     "history": N, "median_ms": float, "ms": [10 floats]}

Threads: OMP/MKL/OPENBLAS/NUMEXPR/VECLIB thread counts are forced to 1 via the
environment before numpy and torch are imported, and torch.set_num_threads(1)
is called, so every peer runs single-threaded.

``--self-test`` checks every function at its known minimizer(s) (and that
random points never go below f*) and exits non-zero on failure.

Usage (python = the venv with optuna==5.0.0 and torch):

    python Benchmarks/peers/optuna_bo.py --self-test
    python Benchmarks/peers/optuna_bo.py --function branin --dims 2 \\
        --sampler gp --seeds 10 --json
    python Benchmarks/peers/optuna_bo.py --function rosenbrock --dims 20 \\
        --sampler gp --seeds 3 --budget 400 --json
    python Benchmarks/peers/optuna_bo.py --function ackley --dims 5 \\
        --sampler gp --timing --history 200
"""

import os

for _var in (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import optuna  # noqa: E402
import torch  # noqa: E402

torch.set_num_threads(1)
optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
warnings.filterwarnings("ignore", category=FutureWarning)


# ---------------------------------------------------------------- functions

def branin(x):
    x1, x2 = x[0], x[1]
    a = 1.0
    b = 5.1 / (4.0 * math.pi ** 2)
    c = 5.0 / math.pi
    r = 6.0
    s = 10.0
    t = 1.0 / (8.0 * math.pi)
    return a * (x2 - b * x1 * x1 + c * x1 - r) ** 2 + s * (1.0 - t) * math.cos(x1) + s


HARTMANN6_ALPHA = np.array([1.0, 1.2, 3.0, 3.2])
HARTMANN6_A = np.array([
    [10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
    [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
    [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
    [17.0, 8.0, 0.05, 10.0, 0.1, 14.0],
])
HARTMANN6_P = 1e-4 * np.array([
    [1312.0, 1696.0, 5569.0, 124.0, 8283.0, 5886.0],
    [2329.0, 4135.0, 8307.0, 3736.0, 1004.0, 9991.0],
    [2348.0, 1451.0, 3522.0, 2883.0, 3047.0, 6650.0],
    [4047.0, 8828.0, 8732.0, 5743.0, 1091.0, 381.0],
])


def hartmann6(x):
    x = np.asarray(x, dtype=float)
    inner = np.sum(HARTMANN6_A * (x[None, :] - HARTMANN6_P) ** 2, axis=1)
    return float(-np.sum(HARTMANN6_ALPHA * np.exp(-inner)))


def ackley(x):
    x = np.asarray(x, dtype=float)
    a, b, c = 20.0, 0.2, 2.0 * math.pi
    term1 = -a * math.exp(-b * math.sqrt(float(np.mean(x * x))))
    term2 = -math.exp(float(np.mean(np.cos(c * x))))
    return term1 + term2 + a + math.e


def levy(x):
    x = np.asarray(x, dtype=float)
    w = 1.0 + (x - 1.0) / 4.0
    first = math.sin(math.pi * w[0]) ** 2
    wi = w[:-1]
    middle = float(np.sum((wi - 1.0) ** 2 * (1.0 + 10.0 * np.sin(math.pi * wi + 1.0) ** 2)))
    wd = w[-1]
    last = (wd - 1.0) ** 2 * (1.0 + math.sin(2.0 * math.pi * wd) ** 2)
    return first + middle + last


def rosenbrock(x):
    x = np.asarray(x, dtype=float)
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))


def rastrigin(x):
    x = np.asarray(x, dtype=float)
    return float(10.0 * x.size + np.sum(x * x - 10.0 * np.cos(2.0 * math.pi * x)))


def styblinski_tang(x):
    x = np.asarray(x, dtype=float)
    return float(0.5 * np.sum(x ** 4 - 16.0 * x ** 2 + 5.0 * x))


STYBLINSKI_TANG_MIN_PER_DIM = -39.16616570377142

# name -> (f, fixed dims or None, bounds(d) -> list of (low, high), f*(d))
FUNCTIONS = {
    "branin": (branin, 2, lambda d: [(-5.0, 10.0), (0.0, 15.0)],
               lambda d: 0.397887357729739),
    "hartmann6": (hartmann6, 6, lambda d: [(0.0, 1.0)] * 6,
                  lambda d: -3.32236801141551),
    "ackley": (ackley, None, lambda d: [(-32.768, 32.768)] * d, lambda d: 0.0),
    "levy": (levy, None, lambda d: [(-10.0, 10.0)] * d, lambda d: 0.0),
    "rosenbrock": (rosenbrock, None, lambda d: [(-5.0, 10.0)] * d, lambda d: 0.0),
    "rastrigin": (rastrigin, None, lambda d: [(-5.12, 5.12)] * d, lambda d: 0.0),
    "styblinski_tang": (styblinski_tang, None, lambda d: [(-5.0, 5.0)] * d,
                        lambda d: STYBLINSKI_TANG_MIN_PER_DIM * d),
}


def problem(name, dims):
    if name not in FUNCTIONS:
        raise SystemExit(f"unknown function {name!r}; one of {sorted(FUNCTIONS)}")
    f, fixed, bounds, fstar = FUNCTIONS[name]
    if fixed is not None and dims != fixed:
        raise SystemExit(f"{name} is defined for --dims {fixed} only")
    if dims < 1 or (name in ("levy", "rosenbrock") and dims < 2):
        raise SystemExit(f"{name} needs --dims >= 2" if dims >= 1 else "--dims >= 1")
    return f, bounds(dims), fstar(dims)


# ----------------------------------------------------------------- samplers

PEER_NAMES = {"gp": "optuna-gp", "tpe": "optuna-tpe", "random": "random"}


def make_sampler(kind, seed):
    if kind == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    if kind == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if kind == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {kind!r}")


# --------------------------------------------------------------------- runs

def run_once(name, dims, kind, seed, budget):
    f, bounds, fstar = problem(name, dims)

    def objective(trial):
        x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
        return f(x)

    t0 = time.perf_counter()
    study = optuna.create_study(direction="minimize", sampler=make_sampler(kind, seed))
    study.optimize(objective, n_trials=budget)
    seconds = time.perf_counter() - t0
    return {
        "peer": PEER_NAMES[kind],
        "function": name,
        "dims": dims,
        "seed": seed,
        "budget": budget,
        "regret": float(study.best_value - fstar),
        "seconds": seconds,
    }


def run_timing(name, dims, kind, history, cycles=10):
    f, bounds, _ = problem(name, dims)
    study = optuna.create_study(direction="minimize", sampler=make_sampler(kind, 0))
    distributions = {
        f"x{i}": optuna.distributions.FloatDistribution(lo, hi)
        for i, (lo, hi) in enumerate(bounds)
    }
    lows = np.array([lo for lo, _ in bounds])
    highs = np.array([hi for _, hi in bounds])
    rng = np.random.default_rng(0)
    xs = rng.uniform(lows, highs, size=(history, dims))
    for row in xs:
        study.add_trial(optuna.trial.create_trial(
            params={f"x{i}": float(row[i]) for i in range(dims)},
            distributions=distributions,
            value=float(f(row)),
        ))
    ms = []
    for _ in range(cycles):
        t0 = time.perf_counter()
        trial = study.ask()
        x = [trial.suggest_float(f"x{i}", lo, hi) for i, (lo, hi) in enumerate(bounds)]
        study.tell(trial, f(x))
        ms.append((time.perf_counter() - t0) * 1000.0)
    return {
        "peer": PEER_NAMES[kind],
        "mode": "timing",
        "function": name,
        "dims": dims,
        "history": history,
        "median_ms": statistics.median(ms),
        "ms": ms,
    }


# ---------------------------------------------------------------- self-test

def self_test():
    failures = []

    def check(label, got, want, tol):
        ok = abs(got - want) <= tol
        print(f"{'ok  ' if ok else 'FAIL'} {label}: {got:.12g} (want {want:.12g}, tol {tol:g})")
        if not ok:
            failures.append(label)

    fstar_branin = FUNCTIONS["branin"][3](2)
    for pt in ((-math.pi, 12.275), (math.pi, 2.275), (9.42478, 2.475)):
        check(f"branin{pt}", branin(pt), fstar_branin, 1e-5)
    check("branin(pi, 2.275) exact", branin((math.pi, 2.275)), fstar_branin, 1e-12)

    h_opt = (0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573)
    check("hartmann6(x*)", hartmann6(h_opt), FUNCTIONS["hartmann6"][3](6), 1e-5)

    for d in (1, 2, 5, 10, 20):
        check(f"styblinski_tang d={d} at -2.903534", styblinski_tang([-2.903534] * d),
              STYBLINSKI_TANG_MIN_PER_DIM * d, 1e-9 * d + 1e-10)
    for d in (2, 5, 10, 20):
        check(f"ackley d={d} at 0", ackley([0.0] * d), 0.0, 1e-12)
        check(f"levy d={d} at 1", levy([1.0] * d), 0.0, 1e-12)
        check(f"rosenbrock d={d} at 1", rosenbrock([1.0] * d), 0.0, 0.0)
        check(f"rastrigin d={d} at 0", rastrigin([0.0] * d), 0.0, 1e-12)

    # Known non-optimal reference values (hand-checkable).
    check("rosenbrock(0,0)", rosenbrock([0.0, 0.0]), 1.0, 1e-12)
    check("rastrigin(1,1)", rastrigin([1.0, 1.0]), 2.0, 1e-12)
    check("styblinski_tang(0)", styblinski_tang([0.0] * 3), 0.0, 0.0)

    # No point in the domain may go below f*.
    rng = np.random.default_rng(123)
    for name, (f, fixed, bounds_fn, fstar_fn) in FUNCTIONS.items():
        for d in ((fixed,) if fixed else (2, 5, 10)):
            bounds = bounds_fn(d)
            lows = np.array([lo for lo, _ in bounds])
            highs = np.array([hi for _, hi in bounds])
            xs = rng.uniform(lows, highs, size=(2000, d))
            worst = min(f(row) for row in xs) - fstar_fn(d)
            ok = worst >= -1e-9
            print(f"{'ok  ' if ok else 'FAIL'} {name} d={d}: min over 2000 random points - f* = {worst:.6g}")
            if not ok:
                failures.append(f"{name} d={d} below f*")

    if failures:
        print(f"self-test FAILED: {len(failures)} check(s): {failures}")
        return 1
    print("self-test passed")
    return 0


# --------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--function", choices=sorted(FUNCTIONS))
    ap.add_argument("--dims", type=int)
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0..S-1 (default 10)")
    ap.add_argument("--budget", type=int, help="trials per run (default 20 * dims)")
    ap.add_argument("--sampler", choices=sorted(PEER_NAMES), default="gp")
    ap.add_argument("--json", action="store_true", help="one JSON line per seed")
    ap.add_argument("--timing", action="store_true", help="suggestion-latency mode")
    ap.add_argument("--history", type=int, default=100, help="trials added before timing")
    ap.add_argument("--self-test", action="store_true", help="check the test functions")
    args = ap.parse_args(argv)

    if args.self_test:
        return self_test()
    if args.function is None:
        ap.error("--function is required")
    dims = args.dims if args.dims is not None else FUNCTIONS[args.function][1]
    if dims is None:
        ap.error("--dims is required for " + args.function)

    if args.timing:
        out = run_timing(args.function, dims, args.sampler, args.history)
        print(json.dumps(out), flush=True)
        return 0

    budget = args.budget if args.budget is not None else 20 * dims
    for seed in range(args.seeds):
        out = run_once(args.function, dims, args.sampler, seed, budget)
        if args.json:
            print(json.dumps(out), flush=True)
        else:
            print(f"{out['peer']:<10} {out['function']}-{dims} seed {seed}: "
                  f"regret {out['regret']:.6g}  ({out['seconds']:.2f} s, {budget} trials)",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
