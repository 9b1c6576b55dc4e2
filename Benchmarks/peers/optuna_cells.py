"""Optuna's NSGA-II (population 10) searching NAS-Bench-201 cells on the digits for validation
accuracy and latency, each trial evaluated by `hone nas train` (the same training, split and
latency measurement as Hone's own searches in NASBenchmark --digits-latency). One JSON line
per query, as NASBenchmark prints them."""
import argparse
import json
import os
import subprocess

import optuna

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = ["edge_1_0", "edge_2_0", "edge_2_1", "edge_3_0", "edge_3_1", "edge_3_2"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--queries", type=int, default=30)
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--hone", default=os.path.join(ROOT, ".build", "release", "hone"))
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(directions=["maximize", "minimize"],
                                sampler=optuna.samplers.NSGAIISampler(population_size=10, seed=args.seed))
    seen = {}
    while len(seen) < args.queries:
        trial = study.ask()
        ops = [trial.suggest_categorical(e, OPS) for e in EDGES]
        cell = "|{}~0|+|{}~0|{}~1|+|{}~0|{}~1|{}~2|".format(*ops)
        if cell not in seen:
            out = subprocess.run([args.hone, "nas", "train", cell, "--data", "digits", "--seed", str(args.seed),
                                  "--retrain-epochs", str(args.epochs)], check=True, capture_output=True, text=True).stdout
            result = json.loads(out)
            seen[cell] = (result["validation_accuracy"], result["latency_ms"])
            print(json.dumps({"peer": "optuna", "method": "nsga2", "seed": args.seed, "query": len(seen), "cell": cell,
                              "validation_accuracy": result["validation_accuracy"], "test_accuracy": result["test_accuracy"],
                              "latency_ms": result["latency_ms"], "seconds": result["seconds"]}), flush=True)
        study.tell(trial, list(seen[cell]))


if __name__ == "__main__":
    main()
