"""Optuna peer of Hone's NSGA-II hypervolume benchmark.

Runs Optuna's NSGA-II for an equal budget of P * G trials on a classic
multi-objective test problem and reports the hypervolume of everything it
evaluated. The Swift side implements the identical protocol:

- Problems (all objectives minimized, all variables in [0, 1]):
    zdt1, zdt2, zdt3: n = 30 variables, f1 = x1,
        g = 1 + 9 * sum_{i>=2} x_i / (n - 1),
        zdt1 f2 = g (1 - sqrt(f1 / g))
        zdt2 f2 = g (1 - (f1 / g)^2)
        zdt3 f2 = g (1 - sqrt(f1 / g) - (f1 / g) sin(10 pi f1))
    dtlz2: M = 3 objectives, n = M + 9 = 12 variables,
        g = sum_{i>=M} (x_i - 0.5)^2  (the last n - M + 1 = 10 variables),
        f1 = (1 + g) cos(x1 pi/2) cos(x2 pi/2)
        f2 = (1 + g) cos(x1 pi/2) sin(x2 pi/2)
        f3 = (1 + g) sin(x1 pi/2)
- Reference points: (1.1, 1.1) for the ZDTs, (1.1, 1.1, 1.1) for DTLZ2.
- For seed in 0..S-1: one in-memory study with one "minimize" direction per
  objective, ``NSGAIISampler(population_size=P, seed=seed)`` with Optuna's
  defaults otherwise (crossover UniformCrossover, crossover_prob 0.9,
  swapping_prob 0.5, mutation_prob 1/n), ``study.optimize`` for P * G trials;
  the parameters are ``x0..x{n-1}`` = ``suggest_float(f"x{i}", 0, 1)``.
- Hypervolume of the values of all COMPLETE trials w.r.t. the reference
  point; points that do not strictly dominate the reference point (some
  coordinate >= the reference) contribute nothing. Computed exactly here:
  2-D by a sort and sweep, 3-D by slicing along f3 (a 2-D sweep per slice),
  both on the non-dominated points only. (``optuna._hypervolume.
  compute_hypervolume`` exists in 5.0.0 and agrees; ``--check`` compares.)
- Reported: the median hypervolume over the seeds, the per-seed values and
  the total wall time.

Defaults P = 50, G = 40 (2000 trials per run), S = 5 seeds. Measured on this
machine (2 cores, Optuna 5.0.0): one run takes 5-7 s on the ZDTs and about
3 s on DTLZ2, so the 5 seeds of one problem take about 26-31 s (ZDT) and
14 s (DTLZ2), well under the 4-minute limit.

Output (``--json``): one line
``{"peer": "optuna", "version", "problem", "population": P,
"generations": G, "seeds": S, "reference": [...], "median_hv",
"hv": [per seed], "seconds"}``.

Run it with the venv made by setup.sh (which pins optuna==5.0.0):

    PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
    for p in zdt1 zdt2 zdt3 dtlz2; do
        "$PY" Benchmarks/peers/nsga2_peers.py --problem $p --json
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
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)


def zdt(kind):
    def f(x):
        f1 = x[0]
        g = 1.0 + 9.0 * float(np.sum(x[1:])) / (len(x) - 1)
        r = f1 / g
        if kind == 1:
            h = 1.0 - math.sqrt(r)
        elif kind == 2:
            h = 1.0 - r * r
        else:
            h = 1.0 - math.sqrt(r) - r * math.sin(10.0 * math.pi * f1)
        return (f1, g * h)

    return f


def dtlz2(x, m=3):
    g = float(np.sum((x[m - 1:] - 0.5) ** 2))
    a, b = x[0] * math.pi / 2.0, x[1] * math.pi / 2.0
    return (
        (1.0 + g) * math.cos(a) * math.cos(b),
        (1.0 + g) * math.cos(a) * math.sin(b),
        (1.0 + g) * math.sin(a),
    )


# name -> (objective, number of variables, reference point)
PROBLEMS = {
    "zdt1": (zdt(1), 30, (1.1, 1.1)),
    "zdt2": (zdt(2), 30, (1.1, 1.1)),
    "zdt3": (zdt(3), 30, (1.1, 1.1)),
    "dtlz2": (dtlz2, 12, (1.1, 1.1, 1.1)),
}


def nondominated(points):
    """The rows of points (k x m, minimization) no other row dominates;
    duplicates are kept once."""
    points = np.unique(points, axis=0)
    le = np.all(points[:, None, :] <= points[None, :, :], axis=2)
    lt = np.any(points[:, None, :] < points[None, :, :], axis=2)
    dominated = np.any(le & lt, axis=0)  # column j dominated by some row i
    return points[~dominated]


def hv2d(points, ref):
    """Exact 2-D hypervolume of points that all strictly dominate ref."""
    hv, prev_f2 = 0.0, ref[1]
    for f1, f2 in sorted(map(tuple, points)):
        if f2 < prev_f2:
            hv += (ref[0] - f1) * (prev_f2 - f2)
            prev_f2 = f2
    return hv


def hypervolume(values, ref):
    ref = np.asarray(ref, dtype=float)
    pts = np.asarray(values, dtype=float).reshape(-1, len(ref))
    pts = pts[np.all(pts < ref, axis=1)]
    if len(pts) == 0:
        return 0.0
    pts = nondominated(pts)
    if len(ref) == 2:
        return hv2d(pts, ref)
    if len(ref) == 3:
        # Slice along f3: between consecutive f3 levels the dominated region's
        # cross-section is the 2-D hypervolume of the points at or below.
        pts = pts[np.argsort(pts[:, 2], kind="stable")]
        hv = 0.0
        for k in range(len(pts)):
            top = pts[k + 1, 2] if k + 1 < len(pts) else ref[2]
            if top > pts[k, 2]:
                hv += hv2d(pts[: k + 1, :2], ref[:2]) * (top - pts[k, 2])
        return hv
    raise ValueError("only 2 or 3 objectives")


def run(problem, population, generations, seed):
    f, n, ref = PROBLEMS[problem]
    names = [f"x{i}" for i in range(n)]

    def objective(trial):
        return f(np.array([trial.suggest_float(name, 0.0, 1.0) for name in names]))

    study = optuna.create_study(
        directions=["minimize"] * len(ref),
        sampler=optuna.samplers.NSGAIISampler(population_size=population, seed=seed),
    )
    study.optimize(objective, n_trials=population * generations)
    complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    return np.array([t.values for t in complete], dtype=float)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--problem", choices=sorted(PROBLEMS), required=True)
    ap.add_argument("--population", type=int, default=50, help="population size P")
    ap.add_argument("--generations", type=int, default=40, help="generations G (P*G trials)")
    ap.add_argument("--seeds", type=int, default=5, help="seeds 0..S-1")
    ap.add_argument("--check", action="store_true",
                    help="also compare with optuna._hypervolume.compute_hypervolume (stderr)")
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    args = ap.parse_args()
    if args.population < 2 or args.generations < 1 or args.seeds < 1:
        sys.exit("need --population >= 2, --generations >= 1, --seeds >= 1")

    ref = PROBLEMS[args.problem][2]
    hvs = []
    wall0 = time.perf_counter()
    for seed in range(args.seeds):
        t0 = time.perf_counter()
        values = run(args.problem, args.population, args.generations, seed)
        hvs.append(float(hypervolume(values, ref)))
        print(f"{args.problem} seed {seed}: hv {hvs[-1]:.6f} ({len(values)} trials, "
              f"{time.perf_counter() - t0:.1f} s)", file=sys.stderr)
        if args.check:
            from optuna._hypervolume import compute_hypervolume

            inside = values[np.all(values < np.asarray(ref), axis=1)]
            theirs = compute_hypervolume(inside, np.asarray(ref)) if len(inside) else 0.0
            print(f"  optuna compute_hypervolume: {theirs:.6f} "
                  f"(diff {abs(theirs - hvs[-1]):.3g})", file=sys.stderr)
    seconds = time.perf_counter() - wall0

    result = {
        "peer": "optuna",
        "version": optuna.__version__,
        "problem": args.problem,
        "population": args.population,
        "generations": args.generations,
        "seeds": args.seeds,
        "reference": list(ref),
        "median_hv": statistics.median(hvs),
        "hv": hvs,
        "seconds": seconds,
    }
    if args.json:
        print(json.dumps(result), flush=True)
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
