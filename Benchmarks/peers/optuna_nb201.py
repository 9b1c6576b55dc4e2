"""Optuna peer of Hone's NAS benchmark: cell search on the NAS-Bench-201 table.

Table: --table (default /work/shared/data/nas/nb201.csv), one row per cell with
columns arch, cifar10_valid_12ep, ..., cifar10_test_200ep, .... Only ``arch`` and
``cifar10_test_200ep`` are read; the search maximizes cifar10_test_200ep (the
table's optimum is 94.37).

Search space (NAS-Bench-201 cell: 4 nodes, 6 edges j <- i, i < j), six
categorical parameters, each over the operations in this order:

    edge_1_0, edge_2_0, edge_2_1, edge_3_0, edge_3_1, edge_3_2
    none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3

The architecture string is rebuilt from them in the table's format:

    |op~0|+|op~0|op~1|+|op~0|op~1|op~2|

A query is one DISTINCT architecture looked up. Each (sampler, seed) runs an
in-memory Optuna study (direction maximize) trial by trial with ask/tell; a
trial whose architecture was already queried is told the same value again but
is not counted. The study stops once 100 distinct architectures have been
queried, or after 2000 trials at most. Reported: the best accuracy among the
first 50 and the first 100 distinct queries (if the 2000-trial cap is hit
first, the best over the queries made).

Samplers: tpe = optuna.samplers.TPESampler(seed=s) with Optuna's defaults;
random = optuna.samplers.RandomSampler(seed=s). One JSON line per sampler and
seed on stdout:

    {"peer": "optuna", "method": "optuna-tpe", "seed": 100, "best_at_50": ...,
     "best_at_100": ..., "trials": ..., "seconds": ...}

``seconds`` is the wall time of the study loop (table loading excluded).

    .venv-peers/bin/python Benchmarks/peers/optuna_nb201.py --seeds 100-119 --samplers tpe,random
"""

import argparse
import csv
import json
import sys
import time
import warnings

import numpy as np
import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

DEFAULT_TABLE = "/work/shared/data/nas/nb201.csv"
OBJECTIVE = "cifar10_test_200ep"
OPERATIONS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]  # (to, from)
PARAMS = [f"edge_{j}_{i}" for j, i in EDGES]
BUDGET = 100
CHECKPOINTS = (50, 100)
MAX_TRIALS = 2000


def load_table(path):
    """{arch string: cifar10_test_200ep}; no other column is kept."""
    table = {}
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        arch_col = header.index("arch")
        value_col = header.index(OBJECTIVE)
        for row in reader:
            if not row:
                continue
            table[row[arch_col]] = float(row[value_col])
    return table


def arch_string(ops):
    """ops: dict edge param name -> operation; returns the NAS-Bench-201 string."""
    nodes = []
    for j in (1, 2, 3):
        nodes.append("|" + "|".join(f"{ops[f'edge_{j}_{i}']}~{i}" for i in range(j)) + "|")
    return "+".join(nodes)


def make_sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"unknown sampler {name!r}")


def run(table, sampler_name, seed):
    study = optuna.create_study(direction="maximize", sampler=make_sampler(sampler_name, seed))
    seen = {}        # arch -> value, in query order
    history = []     # values of distinct queries, in order
    trials = 0
    start = time.perf_counter()
    while len(history) < BUDGET and trials < MAX_TRIALS:
        trial = study.ask()
        ops = {name: trial.suggest_categorical(name, OPERATIONS) for name in PARAMS}
        arch = arch_string(ops)
        if arch in seen:
            value = seen[arch]
        else:
            if arch not in table:
                raise KeyError(f"architecture not in table: {arch}")
            value = table[arch]
            seen[arch] = value
            history.append(value)
        study.tell(trial, value)
        trials += 1
    seconds = time.perf_counter() - start
    best = np.maximum.accumulate(np.asarray(history, dtype=np.float64))
    result = {"peer": "optuna", "method": f"optuna-{sampler_name}", "seed": seed}
    for k in CHECKPOINTS:
        result[f"best_at_{k}"] = round(float(best[min(k, len(best)) - 1]), 4)
    result["trials"] = trials
    result["seconds"] = round(seconds, 3)
    if len(history) < BUDGET:
        print(f"note: {result['method']} seed {seed} stopped at {MAX_TRIALS} trials with "
              f"only {len(history)} distinct architectures", file=sys.stderr, flush=True)
    return result


def parse_seeds(text):
    seeds = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part[1:]:
            cut = part.index("-", 1)
            lo, hi = int(part[:cut]), int(part[cut + 1:])
            seeds.extend(range(lo, hi + 1) if lo <= hi else range(lo, hi - 1, -1))
        else:
            seeds.append(int(part))
    return seeds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--table", default=DEFAULT_TABLE)
    parser.add_argument("--seeds", default="100-119", help="range 100-119 or list 100,101")
    parser.add_argument("--samplers", default="tpe,random", help="comma list of tpe, random")
    args = parser.parse_args()

    samplers = [s.strip() for s in args.samplers.split(",") if s.strip()]
    for s in samplers:
        if s not in ("tpe", "random"):
            parser.error(f"unknown sampler {s!r} (use tpe, random)")
    seeds = parse_seeds(args.seeds)
    table = load_table(args.table)
    for sampler_name in samplers:
        for seed in seeds:
            print(json.dumps(run(table, sampler_name, seed)), flush=True)


if __name__ == "__main__":
    main()
