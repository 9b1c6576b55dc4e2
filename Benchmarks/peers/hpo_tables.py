"""Hone and its peers on real hyperparameter-optimization tables (HPOBench MLP, HPOLib FCNet).

Tables: ../shared/data/hpo/<NAME>.csv (see ../shared/data/README.md), NAME one of

    hpobench_australian, hpobench_blood_transfusion, hpobench_car, hpobench_credit_g
        five parameters, a full grid of 30,000 configurations, five seed columns
        val_acc_0..4 (maximized); the loss is 1 - val_acc_k
    hpolib_naval_propulsion, hpolib_parkinsons_telemonitoring
        nine parameters, a full grid of 62,208 configurations, four seed columns
        val_loss_0..3; the loss is val_loss_k

Every method minimizes the loss. The parameters are the columns that are not
metrics (train_time_*, val_*, model_size_*).

Encoding (the same for every method). A column with more than three distinct
values, all numbers, is numeric: it is searched on [min, max], on a log scale
when every value is > 0 and max/min >= 16, as an int when every value is an
integer, else as a float. A suggested value is snapped to the nearest value of
the column (nearest in log space on a log scale; the lower one on a tie). Any
other column (three values or fewer, or not numbers) is categorical over its
values in the order they first appear, as they appear (ints, floats or strings).
On these tables this gives:

    hpobench: alpha float log [1e-8, 1], batch_size int log [4, 256],
              depth categorical [1, 2, 3], learning_rate_init float log
              [1e-5, 1], width int log [16, 1024]
    hpolib:   activation_fn_1/2 categorical [relu, tanh], batch_size int
              [8, 64], dropout_1/2 categorical [0.0, 0.3, 0.6], init_lr float
              log [5e-4, 0.1], lr_schedule categorical [cosine, const],
              n_units_1/2 int log [16, 512]

Objective of one run (seed s, budget B = --budget, default 100). rng =
numpy.random.default_rng(s). An evaluation snaps the suggested configuration,
looks its row up, draws one seed column k = rng.integers(K) (K = 5 or 4, a new
draw per evaluation, so the loss is noisy as in real tuning) and returns that
column's loss. B evaluations are made.

Result of one run. The reported configuration is the evaluated configuration
with the lowest observed (noisy) loss (the first one on a tie). Its regret is
the mean over the K seed columns of its loss minus the lowest mean-over-seeds
loss in the whole table (so regret >= 0; 0 means the table's best
configuration). "best_loss" is that lowest observed noisy loss.

Methods (--method), each seeded with s and otherwise at its defaults:

    hone-<sampler>  Hone's Python client (clients/python/src) over the hone
                    binary ($HONE_BIN, else .build/release/hone):
                    hone.create_study(storage=None, sampler="<sampler>", seed=s,
                    direction="minimize"); study.optimize(objective, n_trials=B).
                    <sampler> is the text after "hone-" and goes to the binary
                    as it is: hone-auto, hone-gp, hone-tpe, hone-random, ...;
                    "+setting" switches a catalog setting on (sampler_settings),
                    e.g. hone-gp+input-warping, "+setting=value" sets one, e.g.
                    hone-gp+surrogate=hmc; --batch k > 1 asks k trials at a time
                    (the running ones are the sampler's fantasies) and tells them after
    optuna-tpe      optuna.samplers.TPESampler(seed=s)
    optuna-gp       optuna.samplers.GPSampler(seed=s)
    optuna-cmaes    optuna.samplers.CmaEsSampler(seed=s) (its default: the
                    categorical parameters are sampled independently)
    optuna-random   optuna.samplers.RandomSampler(seed=s)
                    each optuna.create_study(direction="minimize", sampler=...)
                    and study.optimize(objective, n_trials=B)
    ngopt           nevergrad.optimizers.NGOpt(parametrization, budget=B,
                    num_workers=1) over ng.p.Instrumentation of ng.p.Scalar
                    (linear) or ng.p.Log (log scale) bounded to [min, max],
                    with set_integer_casting() for int columns, and
                    ng.p.Choice(values) for categorical ones;
                    parametrization.random_state = np.random.RandomState(s);
                    B rounds of ask / evaluate / tell
    hebo            hebo.optimizers.hebo.HEBO over a DesignSpace with types num
                    (float), int, pow (float, log), pow_int (int, log) and cat
                    (the values' texts); np.random.seed(s), torch.manual_seed(s)
                    and HEBO(space, scramble_seed=s); B rounds of
                    suggest(n_suggestions=1) / evaluate / observe

    smac            SMAC3 2.4's HyperparameterOptimizationFacade (a random forest, log EI,
                    its defaults; deterministic=False, as for a noisy objective, so it
                    may evaluate a configuration again) over a ConfigSpace of Float /
                    Integer (log=...) and Categorical (the values' texts), seed=s,
                    n_trials=B target calls

Hone and Optuna get the same define-by-run objective: trial.suggest_float(name,
low, high, log=...), suggest_int(name, low, high, log=...) or
suggest_categorical(name, values), one call per parameter in column order.

Packages (in .venv-peers): optuna 5.0.0 (GPSampler needs torch and scipy),
nevergrad, and HEBO 0.3.6, whose declared pins (numpy<1.25, pymoo==0.6.0, GPy)
cannot be met beside optuna's numpy and scipy; it runs with the installed
numpy, so it is installed without its pins:

    .venv-peers/bin/pip install --no-deps HEBO
    .venv-peers/bin/pip install pymoo gpytorch catboost disjoint-set scikit-learn

Output with --json, one line per run:

    {"table": NAME, "method": M, "seed": s, "budget": B, "regret": float,
     "best_loss": float, "seconds": float}

"seconds" is the wall time of the run (creating the optimizer through the last
evaluation; loading the table and importing the method's package are excluded,
lazy imports inside a package are not). Seeds are --seed-start ..
--seed-start + --seeds - 1 (defaults 0 and 10). Threads: OMP/MKL/OpenBLAS are
limited to one thread and torch.set_num_threads(1) is called. Python warnings
and Optuna's log messages below ERROR are silenced.

    .venv-peers/bin/python Benchmarks/peers/hpo_tables.py --table hpobench_car \\
        --method optuna-tpe --seeds 10 --budget 100 --json
    HONE_BIN=.build/release/hone .venv-peers/bin/python Benchmarks/peers/hpo_tables.py \\
        --table hpolib_naval_propulsion --method hone-gp --json
"""

import os

for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "NUMEXPR_NUM_THREADS",
             "VECLIB_MAXIMUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import csv  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The shared data folder beside the project (../shared/data).
SHARED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "..", "shared", "data")
DATA = os.path.join(SHARED, "hpo")
TABLES = ["hpobench_australian", "hpobench_blood_transfusion", "hpobench_car", "hpobench_credit_g",
          "hpolib_naval_propulsion", "hpolib_parkinsons_telemonitoring"]
METHODS = ["hone-auto", "hone-gp", "hone-tpe", "hone-random", "optuna-tpe", "optuna-gp", "optuna-cmaes",
           "optuna-random", "ngopt", "hebo", "smac"]
METRIC_PREFIXES = ("train_time_", "val_", "model_size_")


# ---------------------------------------------------------------- encoding

def parse_cell(text):
    """A table cell as an int, else a float, else the string itself."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class Column:
    """One searched parameter: numeric (low, high, log, integer, grid) or categorical (choices).

    ``index_of(value)`` is the position of a snapped value among ``values`` (the distinct
    values in order of first appearance), the key of a configuration in a table."""

    def __init__(self, name, cells):
        self.name = name
        self.values = []
        position = {}
        for cell in cells:
            if cell not in position:
                position[cell] = len(self.values)
                self.values.append(cell)
        self._position = position
        numbers = all(is_number(v) for v in self.values)
        self.numeric = numbers and len(self.values) > 3
        if self.numeric:
            grid = sorted(float(v) for v in self.values)
            self.low, self.high = grid[0], grid[-1]
            self.log = self.low > 0 and self.high / self.low >= 16
            self.integer = all(float(v).is_integer() for v in self.values)
            if self.integer:
                self.low, self.high = int(self.low), int(self.high)
            self.grid = np.asarray(grid)
            self._grid_keys = np.log(self.grid) if self.log else self.grid
            self._grid_values = [self._as_cell(g) for g in grid]
        else:
            self.log = False
            self.integer = False

    def _as_cell(self, number):
        """The table's own value (same type) equal to ``number``."""
        for v in self.values:
            if float(v) == number:
                return v
        raise KeyError(number)

    def snap(self, value):
        """The column value nearest ``value`` (numeric), or ``value`` itself (categorical)."""
        if not self.numeric:
            return value
        x = float(value)
        key = math.log(max(x, 1e-300)) if self.log else x
        return self._grid_values[int(np.argmin(np.abs(self._grid_keys - key)))]

    def index_of(self, value):
        return self._position[value]

    def encode(self, value):
        """The value in [0, 1] (numeric, on its scale) or a one-hot vector scaled so that two
        different choices are at distance 1 (categorical)."""
        if self.numeric:
            if self.log:
                return [(math.log(float(value)) - math.log(self.low)) / (math.log(self.high) - math.log(self.low))]
            return [(float(value) - self.low) / (self.high - self.low)]
        vector = [0.0] * len(self.values)
        vector[self.index_of(value)] = math.sqrt(0.5)
        return vector

    def describe(self):
        if self.numeric:
            kind = "int" if self.integer else "float"
            return f"{self.name}: {kind}{' log' if self.log else ''} [{self.low}, {self.high}]"
        return f"{self.name}: categorical {self.values}"


def suggest(trial, column):
    """The define-by-run suggestion of Hone's and Optuna's trials for ``column`` (unsnapped)."""
    if not column.numeric:
        return trial.suggest_categorical(column.name, list(column.values))
    if column.integer:
        return trial.suggest_int(column.name, column.low, column.high, log=column.log)
    return trial.suggest_float(column.name, float(column.low), float(column.high), log=column.log)


def read_csv(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = [row for row in reader if row]
    return header, rows


# ---------------------------------------------------------------- tables

class Table:
    """A full grid of configurations and K seed columns of losses."""

    def __init__(self, name, data_dir=DATA):
        self.name = name
        header, rows = read_csv(os.path.join(data_dir, name + ".csv"))
        params = [i for i, h in enumerate(header) if not h.startswith(METRIC_PREFIXES)]
        if name.startswith("hpobench"):
            seeds = [i for i, h in enumerate(header) if h.startswith("val_acc_")]
            self.losses = 1.0 - np.array([[float(r[i]) for i in seeds] for r in rows])
        else:
            seeds = [i for i, h in enumerate(header) if h.startswith("val_loss_")]
            self.losses = np.array([[float(r[i]) for i in seeds] for r in rows])
        self.columns = [Column(header[i], [parse_cell(r[i]) for r in rows]) for i in params]
        self.row_of_key = {}
        for n, r in enumerate(rows):
            key = tuple(c.index_of(parse_cell(r[i])) for c, i in zip(self.columns, params))
            self.row_of_key.setdefault(key, n)
        self.mean_losses = self.losses.mean(axis=1)
        self.best_mean = float(self.mean_losses.min())

    def row(self, config):
        """The row of ``config`` ({name: value}), after snapping every value."""
        key = tuple(c.index_of(c.snap(config[c.name])) for c in self.columns)
        return self.row_of_key[key]


class Run:
    """The evaluations of one run: noisy losses, and the best observed configuration."""

    def __init__(self, table, seed):
        self.table = table
        self.rng = np.random.default_rng(seed)
        self.best_loss = math.inf
        self.best_row = None
        self.evaluations = 0

    def evaluate(self, config):
        row = self.table.row(config)
        k = int(self.rng.integers(self.table.losses.shape[1]))
        loss = float(self.table.losses[row, k])
        self.evaluations += 1
        if loss < self.best_loss:
            self.best_loss, self.best_row = loss, row
        return loss

    def regret(self):
        return float(self.table.mean_losses[self.best_row] - self.table.best_mean)


# ---------------------------------------------------------------- methods

def import_hone():
    sys.path.insert(0, os.path.join(ROOT, "clients", "python", "src"))
    if not os.environ.get("HONE_BIN"):
        os.environ["HONE_BIN"] = os.path.join(ROOT, ".build", "release", "hone")
    import hone
    return hone


def hone_sampler(name):
    """"gp+input-warping+surrogate=hmc" → ("gp", {"input-warping": "true", "surrogate": "hmc"}): a
    sampler and its settings (a bare name switches a setting on)."""
    sampler, *switches = name.split("+")
    return sampler, dict(switch.split("=", 1) if "=" in switch else (switch, "true") for switch in switches)


def run_hone(table, run, sampler, seed, budget, batch=1):
    """With batch > 1 the trials are asked `batch` at a time, suggested in order (each sees the
    ones before it running: the sampler's fantasies) and told after."""
    hone = import_hone()
    name, settings = hone_sampler(sampler)
    study = hone.create_study(storage=None, sampler=name, seed=seed, direction="minimize", sampler_settings=settings)
    try:
        if batch > 1:
            done = 0
            while done < budget:
                trials = [study.ask() for _ in range(min(batch, budget - done))]
                losses = [run.evaluate({c.name: suggest(trial, c) for c in table.columns}) for trial in trials]
                for trial, loss in zip(trials, losses):
                    study.tell(trial, loss)
                done += len(trials)
        else:
            study.optimize(lambda trial: run.evaluate({c.name: suggest(trial, c) for c in table.columns}),
                           n_trials=budget)
    finally:
        study.close()


def run_optuna(table, run, sampler_name, seed, budget):
    import optuna
    samplers = {"tpe": optuna.samplers.TPESampler, "gp": optuna.samplers.GPSampler,
                "cmaes": optuna.samplers.CmaEsSampler, "random": optuna.samplers.RandomSampler}
    study = optuna.create_study(direction="minimize", sampler=samplers[sampler_name](seed=seed))
    study.optimize(lambda trial: run.evaluate({c.name: suggest(trial, c) for c in table.columns}),
                   n_trials=budget)


def run_ngopt(table, run, seed, budget):
    import nevergrad as ng
    params = {}
    for c in table.columns:
        if not c.numeric:
            params[c.name] = ng.p.Choice(list(c.values))
            continue
        p = ng.p.Log(lower=float(c.low), upper=float(c.high)) if c.log else ng.p.Scalar(lower=float(c.low),
                                                                                        upper=float(c.high))
        params[c.name] = p.set_integer_casting() if c.integer else p
    parametrization = ng.p.Instrumentation(**params)
    parametrization.random_state = np.random.RandomState(seed)
    optimizer = ng.optimizers.NGOpt(parametrization=parametrization, budget=budget, num_workers=1)
    for _ in range(budget):
        candidate = optimizer.ask()
        optimizer.tell(candidate, run.evaluate(candidate.kwargs))


def run_smac(table, run, seed, budget):
    import shutil
    import tempfile
    from ConfigSpace import Categorical, ConfigurationSpace, Float, Integer
    from smac import HyperparameterOptimizationFacade, Scenario
    space = ConfigurationSpace(seed=seed)
    for c in table.columns:
        if not c.numeric:
            # ConfigSpace takes texts; the values travel back through their texts.
            space.add(Categorical(c.name, [str(v) for v in c.values]))
        elif c.integer:
            space.add(Integer(c.name, (int(c.low), int(c.high)), log=c.log))
        else:
            space.add(Float(c.name, (float(c.low), float(c.high)), log=c.log))
    texts = {c.name: {str(v): v for v in c.values} for c in table.columns if not c.numeric}

    def target(config, seed=0):
        return run.evaluate({name: texts[name][config[name]] if name in texts else config[name]
                             for name in (c.name for c in table.columns)})

    folder = tempfile.mkdtemp(prefix="smac-")
    try:
        scenario = Scenario(space, deterministic=False, n_trials=budget, seed=seed, output_directory=folder)
        HyperparameterOptimizationFacade(scenario, target, overwrite=True, logging_level=40).optimize()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def hebo_space(columns):
    """HEBO's DesignSpace for ``columns``; categorical values travel as their texts."""
    from hebo.design_space.design_space import DesignSpace
    spec = []
    for c in columns:
        if not c.numeric:
            spec.append({"name": c.name, "type": "cat", "categories": [str(v) for v in c.values]})
        elif c.integer:
            spec.append({"name": c.name, "type": "pow_int" if c.log else "int", "lb": c.low, "ub": c.high})
        else:
            spec.append({"name": c.name, "type": "pow" if c.log else "num", "lb": c.low, "ub": c.high})
    return DesignSpace().parse(spec)


def hebo_config(columns, record):
    """{name: value} from one row of HEBO's suggestion (categorical texts mapped back)."""
    config = {}
    for c in columns:
        value = record[c.name]
        if not c.numeric:
            value = next(v for v in c.values if str(v) == str(value))
        config[c.name] = value
    return config


def run_hebo(table, run, seed, budget):
    import torch
    from hebo.optimizers.hebo import HEBO
    np.random.seed(seed)
    torch.manual_seed(seed)
    optimizer = HEBO(hebo_space(table.columns), scramble_seed=seed)
    # HEBO prints its GP's jitter increases; they go to stderr, so stdout stays JSON lines.
    with contextlib.redirect_stdout(sys.stderr):
        for _ in range(budget):
            suggestion = optimizer.suggest(n_suggestions=1)
            loss = run.evaluate(hebo_config(table.columns, suggestion.iloc[0]))
            optimizer.observe(suggestion, np.array([[loss]]))


def prepare(method):
    """Imports what ``method`` needs (outside the timed run) and silences its logs and warnings."""
    warnings.filterwarnings("ignore")
    if method.startswith("hone-"):
        import_hone()
        return
    import torch
    torch.set_num_threads(1)
    if method.startswith("optuna-"):
        import optuna
        optuna.logging.set_verbosity(optuna.logging.ERROR)
    elif method == "ngopt":
        importlib.import_module("nevergrad")
    elif method == "hebo":
        importlib.import_module("hebo.optimizers.hebo")
    elif method == "smac":
        importlib.import_module("smac")


def run_method(table, method, seed, budget, batch=1):
    run = Run(table, seed)
    start = time.perf_counter()
    if method.startswith("hone-"):
        run_hone(table, run, method[len("hone-"):], seed, budget, batch)
    elif method.startswith("optuna-"):
        run_optuna(table, run, method[len("optuna-"):], seed, budget)
    elif method == "ngopt":
        run_ngopt(table, run, seed, budget)
    elif method == "hebo":
        run_hebo(table, run, seed, budget)
    elif method == "smac":
        run_smac(table, run, seed, budget)
    else:
        raise ValueError(f"unknown method {method!r}")
    seconds = time.perf_counter() - start
    return {"table": table.name, "method": method, "seed": seed, "budget": budget, "regret": run.regret(),
            "best_loss": run.best_loss, "seconds": round(seconds, 3)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", required=True, choices=TABLES)
    parser.add_argument("--method", required=True,
                        help="hone-<sampler> (hone-auto, hone-gp, hone-tpe, hone-random), optuna-tpe, "
                             "optuna-gp, optuna-cmaes, optuna-random, ngopt, hebo, smac")
    parser.add_argument("--seeds", type=int, default=10, help="number of seeds (default 10)")
    parser.add_argument("--seed-start", type=int, default=0, help="first seed (default 0)")
    parser.add_argument("--budget", type=int, default=100, help="evaluations per run (default 100)")
    parser.add_argument("--batch", type=int, default=1, help="Hone: trials asked at once (fantasies), then told")
    parser.add_argument("--data", default=DATA, help="folder of the tables")
    parser.add_argument("--json", action="store_true", help="one JSON line per run")
    parser.add_argument("--describe", action="store_true", help="print the encoded space and exit")
    args = parser.parse_args()
    known = args.method.startswith("hone-") or args.method in METHODS
    if not known:
        parser.error(f"unknown method {args.method!r}")

    table = Table(args.table, args.data)
    if args.describe:
        for c in table.columns:
            print(c.describe())
        print(f"rows {len(table.mean_losses)}, seeds {table.losses.shape[1]}, best mean loss {table.best_mean:.6g}")
        return
    prepare(args.method)
    for seed in range(args.seed_start, args.seed_start + args.seeds):
        result = run_method(table, args.method, seed, args.budget, args.batch)
        if args.json:
            print(json.dumps(result), flush=True)
        else:
            print(f"{result['table']} {result['method']} seed {seed}: regret {result['regret']:.4g} "
                  f"(best observed loss {result['best_loss']:.4g}) in {result['seconds']:.1f} s", flush=True)


if __name__ == "__main__":
    main()
