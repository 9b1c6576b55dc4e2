"""Multi-fidelity search replayed on real tables: Hone's Hyperband-driven samplers and the DEHB package.

Problems (--problem):

    nb201   ../shared/data/nas/nb201.csv, CIFAR-10. Six categorical
            parameters edge_1_0, edge_2_0, edge_2_1, edge_3_0, edge_3_1,
            edge_3_2 (edge j <- i of the cell), each one of none,
            skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3; the
            architecture string |op~0|+|op~0|op~1|+|op~0|op~1|op~2| is
            rebuilt from them and looked up. Two fidelities: 12 epochs
            (cifar10_valid_12ep) and 200 epochs (cifar10_test_200ep). Loss =
            100 - accuracy. Maximum fidelity F = 200.
    metaqnn_cifar10, metaqnn_svhn, deep_resnets_cifar10
            ../shared/data/learning-curves/<problem>.csv: one learning
            curve per row, accuracy after every epoch 1..E (E = 20, 20, 50;
            the columns acc_* in epoch order). Parameters: the columns other
            than net, training_dataset and acc_*, encoded as in hpo_tables.py
            (more than three distinct numbers: numeric on [min, max], log when
            all > 0 and max/min >= 16, int when all integers, snapped to the
            nearest column value; otherwise categorical):
              metaqnn_*: num_params int log, depth int, lr float log
              deep_resnets_cifar10: num_params int log, lr categorical
            A configuration is the row nearest the snapped values in the
            encoded space (numeric parameters mapped to [0, 1] on their scale;
            a categorical one adds distance 1 when it differs; Euclidean; the
            first row on a tie). Loss at epoch e = 1 - acc at epoch e. Maximum
            fidelity F = E.

Budget: 100 * F epochs (20,000 for nb201; 2,000 or 5,000 for the curves). An
evaluation that would go past the budget is cut off there: the run ends, the
budget counts as spent and that evaluation does not count.

Trajectory: whenever a configuration is run to the maximum fidelity F, its
loss at F is compared with the best such loss so far; each improvement adds
[epochs spent so far (that evaluation included), regret]. Regret = best loss at
F so far - the lowest loss at F in the whole table (for the curves this
optimum is over all rows, some of which no configuration reaches, since rows
share parameter values). final_regret = the last regret (null when no
evaluation reached F).

Methods (--method), seed s for every one:

    hone-hyperband-random  sampler "random", pruner "hyperband"
    hone-tpe-hyperband     sampler "tpe",    pruner "hyperband"
    hone-bohb              sampler "bohb",   pruner "hyperband"
    hone-dehb              sampler "dehb",   pruner "hyperband"
        Hone's Python client (clients/python/src) over the hone binary
        ($HONE_BIN, else .build/release/hone):
        study = hone.create_study(storage=None, sampler=..., pruner="hyperband",
                                  pruner_settings=SETTINGS, seed=s,
                                  direction="minimize"),
        then ask / tell until the budget is spent. Each trial suggests the
        parameters define-by-run (suggest_categorical, or suggest_int /
        suggest_float with log=...) and trains:
          nb201:  spend 12 epochs, report(loss at 12 epochs, step 12); if
                  should_prune(): tell pruned. Else spend 188 more epochs (a
                  full trial costs 200), report(loss at 200, step 200) and
                  tell that loss.
          curves: for e = 1..E: spend 1 epoch, report(loss at e, step e); for
                  e < E, if should_prune(): tell pruned. Tell the loss at E.
        SETTINGS (--hyperband):
          matched (default): {"min-resource": 12 (nb201) or 1 (curves),
                  "max-resource": F, "reduction-factor": 3}, the fidelities
                  and eta that dehb-package gets. Brackets floor(log_3(R/r))
                  + 1 (3 on nb201, 3 on E = 20, 4 on E = 50); bracket i's
                  rungs at r * 3^(i + k). On nb201 only bracket 0 has a rung
                  (12) before 200, so trials of brackets 1 and 2 always run
                  to 200 epochs.
          defaults: no settings, the binary's defaults (Optuna's): r = 1,
                  R = the largest last reported step of a complete trial (so
                  nothing is pruned before the first trial completes; the
                  200-epoch report is what makes R = 200 on nb201), eta = 3,
                  5 brackets on nb201, whose rungs at 1, 3 and 9 all see
                  the 12-epoch value.
        Either way a trial's bracket is drawn from a hash of its number (not
        of the seed). Every report gets the pruner's answer; the one at the
        last step is not acted on.
    dehb-package           the PyPI package dehb: DEHB(cs=ConfigSpace of the
        same parameters, min_fidelity=12 (nb201) or 1 (curves),
        max_fidelity=F, eta=3, n_workers=1, seed=s, save_freq="end" (no
        state files during the run); ConfigurationSpace(seed=s)), driven by
        ask / tell until the budget is spent (its f is not called; its log
        output is removed). Numeric parameters are
        UniformIntegerHyperparameter / UniformFloatHyperparameter with
        log=..., snapped as above; categorical ones CategoricalHyperparameter
        over the values' texts. A job at fidelity b costs and returns:
          nb201:  b < 200: 12 epochs, the 12-epoch loss; b >= 200: 200 epochs,
                  the 200-epoch loss (DEHB trains from scratch at every
                  fidelity, so a promoted configuration pays again in full).
          curves: e = min(E, max(1, round(b))) epochs, the loss at epoch e.
        tell(job, {"fitness": loss, "cost": epochs}).

Output with --json, one line per run:

    {"problem": P, "method": M, "seed": s, "epochs_budget": 100 * F,
     "final_regret": float | null, "trajectory": [[epochs, regret], ...],
     "epochs_spent": int, "trials": int, "full_evaluations": int,
     "seconds": float, "pruner_settings": SETTINGS (Hone methods only)}

"trials" counts the configurations started (DEHB: jobs). Seeds are --seed-start
.. --seed-start + --seeds - 1 (defaults 0 and 10). --budget-factor scales the
budget (default 100 full evaluations), for quick tests.

    HONE_BIN=.build/release/hone .venv-peers/bin/python Benchmarks/peers/multifidelity.py \\
        --problem nb201 --method hone-hyperband-random --seeds 10 --json
    .venv-peers/bin/python Benchmarks/peers/multifidelity.py --problem metaqnn_svhn \\
        --method dehb-package --json
"""

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hpo_tables import Column, import_hone, parse_cell, read_csv, suggest  # noqa: E402

# The shared data folder beside the project (../shared/data).
SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "..", "shared", "data")
NB201 = os.path.join(SHARED, "nas", "nb201.csv")
CURVES = os.path.join(SHARED, "learning-curves")
PROBLEMS = ["nb201", "metaqnn_cifar10", "metaqnn_svhn", "deep_resnets_cifar10"]
OPERATIONS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]  # (to, from)
HONE_METHODS = {"hone-hyperband-random": "random", "hone-tpe-hyperband": "tpe", "hone-bohb": "bohb",
                "hone-dehb": "dehb"}
METHODS = list(HONE_METHODS) + ["dehb-package"]


class BudgetSpent(Exception):
    """The epoch budget ran out in the middle of an evaluation."""


class Ledger:
    """Epochs spent, and the best loss at the maximum fidelity so far."""

    def __init__(self, budget, optimum):
        self.budget = budget
        self.optimum = optimum
        self.spent = 0
        self.best = math.inf
        self.trajectory = []
        self.trials = 0
        self.full = 0

    def spend(self, epochs):
        if self.spent + epochs > self.budget:
            self.spent = self.budget
            raise BudgetSpent
        self.spent += epochs

    def exhausted(self):
        return self.spent >= self.budget

    def record_full(self, loss):
        self.full += 1
        if loss < self.best:
            self.best = loss
            self.trajectory.append([self.spent, float(loss - self.optimum)])

    def final_regret(self):
        return None if math.isinf(self.best) else float(self.best - self.optimum)


# ---------------------------------------------------------------- problems

class NB201:
    """Six categorical edges; fidelities 12 and 200 epochs; loss = 100 - accuracy."""

    max_fidelity = 200
    min_fidelity = 12

    def __init__(self, path=NB201):
        header, rows = read_csv(path)
        arch, low, high = header.index("arch"), header.index("cifar10_valid_12ep"), header.index("cifar10_test_200ep")
        self.losses = {r[arch]: (100.0 - float(r[low]), 100.0 - float(r[high])) for r in rows}
        self.columns = [Column(f"edge_{j}_{i}", OPERATIONS) for j, i in EDGES]
        self.optimum = min(v[1] for v in self.losses.values())

    def key(self, config):
        nodes = []
        for j in (1, 2, 3):
            nodes.append("|" + "|".join(f"{config[f'edge_{j}_{i}']}~{i}" for i in range(j)) + "|")
        return "+".join(nodes)

    def hone_trial(self, trial, config, ledger):
        """Runs one Hone trial; returns the final loss, or None when it was pruned."""
        low, high = self.losses[self.key(config)]
        ledger.spend(12)
        trial.report(low, 12)
        if trial.should_prune():
            return None
        ledger.spend(188)
        trial.report(high, 200)
        ledger.record_full(high)
        return high

    def job(self, config, fidelity, ledger):
        """One DEHB job: (loss, epochs)."""
        low, high = self.losses[self.key(config)]
        if fidelity < self.max_fidelity - 1e-9:
            ledger.spend(12)
            return low, 12
        ledger.spend(200)
        ledger.record_full(high)
        return high, 200


class Curves:
    """Learning curves: parameters from the columns, accuracy per epoch; loss = 1 - accuracy."""

    min_fidelity = 1

    def __init__(self, name, folder=CURVES):
        header, rows = read_csv(os.path.join(folder, name + ".csv"))
        acc = sorted((int(re.fullmatch(r"acc_(\d+)", h).group(1)), i) for i, h in enumerate(header)
                     if re.fullmatch(r"acc_(\d+)", h))
        params = [i for i, h in enumerate(header) if h not in ("net", "training_dataset") and not h.startswith("acc_")]
        self.losses = 1.0 - np.array([[float(r[i]) for _, i in acc] for r in rows])
        self.max_fidelity = self.losses.shape[1]
        self.columns = [Column(header[i], [parse_cell(r[i]) for r in rows]) for i in params]
        self.encoded = np.array([self.encode([parse_cell(r[i]) for i in params]) for r in rows])
        self.optimum = float(self.losses[:, -1].min())
        self._rows = {}

    def encode(self, values):
        return [x for c, v in zip(self.columns, values) for x in c.encode(v)]

    def row(self, config):
        values = tuple(c.snap(config[c.name]) for c in self.columns)
        if values not in self._rows:
            distance = np.sum((self.encoded - np.array(self.encode(values))) ** 2, axis=1)
            self._rows[values] = int(np.argmin(distance))
        return self._rows[values]

    def reachable_optimum(self):
        """The lowest loss at E over the rows some configuration maps to."""
        grids = [c.values if not c.numeric else list(c._grid_values) for c in self.columns]
        rows = set()

        def walk(prefix):
            if len(prefix) == len(grids):
                rows.add(self.row(dict(zip((c.name for c in self.columns), prefix))))
                return
            for v in grids[len(prefix)]:
                walk(prefix + [v])
        walk([])
        return float(min(self.losses[r, -1] for r in rows)), len(rows)

    def hone_trial(self, trial, config, ledger):
        curve = self.losses[self.row(config)]
        for epoch in range(1, self.max_fidelity + 1):
            ledger.spend(1)
            trial.report(float(curve[epoch - 1]), epoch)
            if epoch < self.max_fidelity and trial.should_prune():
                return None
        ledger.record_full(float(curve[-1]))
        return float(curve[-1])

    def job(self, config, fidelity, ledger):
        epochs = min(self.max_fidelity, max(1, int(round(fidelity))))
        ledger.spend(epochs)
        loss = float(self.losses[self.row(config), epochs - 1])
        if epochs == self.max_fidelity:
            ledger.record_full(loss)
        return loss, epochs


def load_problem(name):
    return NB201() if name == "nb201" else Curves(name)


# ---------------------------------------------------------------- methods

def hyperband_settings(problem, choice):
    """The Hyperband pruner's settings for ``--hyperband choice``: matched or defaults (none)."""
    if choice == "defaults":
        return {}
    return {"min-resource": problem.min_fidelity, "max-resource": problem.max_fidelity, "reduction-factor": 3}


def run_hone(problem, ledger, sampler, seed, settings, sampler_settings=None):
    hone = import_hone()
    extra = {"pruner_settings": settings} if settings else {}
    if sampler_settings:
        extra["sampler_settings"] = sampler_settings
    study = hone.create_study(storage=None, sampler=sampler, pruner="hyperband", seed=seed, direction="minimize",
                              **extra)
    try:
        while not ledger.exhausted():
            trial = study.ask()
            ledger.trials += 1
            config = {c.name: suggest(trial, c) for c in problem.columns}
            try:
                loss = problem.hone_trial(trial, config, ledger)
            except BudgetSpent:
                break
            if loss is None:
                study.tell(trial, state="pruned")
            else:
                study.tell(trial, loss)
    finally:
        study.close()


def dehb_space(columns, seed):
    import ConfigSpace as CS
    space = CS.ConfigurationSpace(seed=seed)
    for c in columns:
        if not c.numeric:
            space.add(CS.CategoricalHyperparameter(c.name, [str(v) for v in c.values]))
        elif c.integer:
            space.add(CS.UniformIntegerHyperparameter(c.name, lower=c.low, upper=c.high, log=c.log))
        else:
            space.add(CS.UniformFloatHyperparameter(c.name, lower=float(c.low), upper=float(c.high), log=c.log))
    return space


def run_dehb(problem, ledger, seed, output_path):
    from dehb import DEHB
    from loguru import logger
    logger.remove()  # the package logs INFO lines to stdout, which carries the JSON lines
    space = dehb_space(problem.columns, seed)
    optimizer = DEHB(cs=space, min_fidelity=problem.min_fidelity, max_fidelity=problem.max_fidelity, eta=3,
                     n_workers=1, seed=seed, output_path=output_path, save_freq="end")
    by_text = {c.name: {str(v): v for v in c.values} for c in problem.columns if not c.numeric}
    try:
        while not ledger.exhausted():
            job = optimizer.ask()
            ledger.trials += 1
            values = dict(job["config"])
            config = {c.name: by_text[c.name][str(values[c.name])] if not c.numeric else values[c.name]
                      for c in problem.columns}
            try:
                loss, epochs = problem.job(config, job["fidelity"], ledger)
            except BudgetSpent:
                break
            optimizer.tell(job, {"fitness": float(loss), "cost": float(epochs)})
    finally:
        logger.remove()  # the file sink each DEHB adds


def prepare(method):
    """Imports what ``method`` needs (outside the timed run) and silences warnings."""
    warnings.filterwarnings("ignore")
    if method == "dehb-package":
        importlib.import_module("dehb")
        from loguru import logger
        logger.remove()
    else:
        import_hone()


def run_method(problem_name, problem, method, seed, budget_factor, output_path, hyperband="matched", sampler_settings=None):
    budget = budget_factor * problem.max_fidelity
    ledger = Ledger(budget, problem.optimum)
    start = time.perf_counter()
    settings = hyperband_settings(problem, hyperband)
    if method in HONE_METHODS:
        run_hone(problem, ledger, HONE_METHODS[method], seed, settings, sampler_settings)
    elif method == "dehb-package":
        run_dehb(problem, ledger, seed, output_path)
    else:
        raise ValueError(f"unknown method {method!r}")
    seconds = time.perf_counter() - start
    result = {"problem": problem_name, "method": method, "seed": seed, "epochs_budget": budget,
            "final_regret": ledger.final_regret(), "trajectory": ledger.trajectory, "epochs_spent": ledger.spent,
            "trials": ledger.trials, "full_evaluations": ledger.full, "seconds": round(seconds, 3)}
    if method in HONE_METHODS:
        result["pruner_settings"] = settings
        if sampler_settings:
            result["sampler_settings"] = sampler_settings
            result["method"] = method + "".join(f"+{k}={v}" for k, v in sorted(sampler_settings.items()))
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problem", required=True, choices=PROBLEMS)
    parser.add_argument("--method", required=True, choices=METHODS)
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    parser.add_argument("--seed-start", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--budget-factor", type=int, default=100,
                        help="budget in full evaluations' epochs (default 100)")
    parser.add_argument("--sampler-settings", type=json.loads, default=None,
                        help='a Hone sampler\'s catalog settings as JSON, e.g. \'{"random-fraction": 0}\' (the method '
                             'is then reported as hone-bohb+random-fraction=0)')
    parser.add_argument("--hyperband", choices=["matched", "defaults"], default="matched",
                        help="Hone's Hyperband settings: matched to dehb-package's fidelities (default) "
                             "or the binary's defaults")
    parser.add_argument("--dehb-output", default=None,
                        help="folder for the dehb package's files (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="one JSON line per run")
    parser.add_argument("--describe", action="store_true", help="print the encoded space and exit")
    args = parser.parse_args()

    problem = load_problem(args.problem)
    if args.describe:
        for c in problem.columns:
            print(c.describe())
        line = f"max fidelity {problem.max_fidelity}, optimum loss {problem.optimum:.6g}"
        if isinstance(problem, Curves):
            reachable, count = problem.reachable_optimum()
            line += f", {count} reachable rows of {len(problem.losses)}, reachable optimum {reachable:.6g}"
        print(line)
        return
    prepare(args.method)
    import tempfile
    with tempfile.TemporaryDirectory(prefix="dehb-") as scratch:
        for seed in range(args.seed_start, args.seed_start + args.seeds):
            output = os.path.join(args.dehb_output or scratch, f"{args.problem}-{seed}")
            result = run_method(args.problem, problem, args.method, seed, args.budget_factor, output,
                                args.hyperband, args.sampler_settings)
            if args.json:
                print(json.dumps(result), flush=True)
            else:
                regret = result["final_regret"]
                print(f"{args.problem} {args.method} seed {seed}: final regret "
                      f"{'none' if regret is None else f'{regret:.4g}'} after {result['epochs_spent']} of "
                      f"{result['epochs_budget']} epochs, {result['trials']} trials, "
                      f"{result['full_evaluations']} at full fidelity, {result['seconds']:.1f} s", flush=True)


if __name__ == "__main__":
    main()
