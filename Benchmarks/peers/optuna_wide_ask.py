#!/usr/bin/env python3
"""Optuna on the wide-space ask of Benchmarks/cli_wide_ask.sh: a study in an SQLite file whose
trials each hold PARAMS float parameters, built with the random sampler, then the time of one
TPE ask of all PARAMS parameters at each checkpoint (as `hone ask --space-file` does).

Prints one JSON line per checkpoint: {"tool": "optuna", "params": P, "trials": T, "seconds": S}.
"""
import argparse
import json
import os
import tempfile
import time

import optuna


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--params", type=int, default=20000)
    parser.add_argument("--checkpoints", default="1,10,100")
    args = parser.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = {f"p{i}": optuna.distributions.FloatDistribution(0.0, 1.0) for i in range(args.params)}
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    with tempfile.TemporaryDirectory() as folder:
        storage = f"sqlite:///{os.path.join(folder, 'optuna.db')}"
        study = optuna.create_study(study_name="wide", storage=storage)
        built = 0
        for checkpoint in checkpoints:
            random = optuna.load_study(study_name="wide", storage=storage, sampler=optuna.samplers.RandomSampler(seed=built))
            while built < checkpoint:
                trial = random.ask(space)
                random.tell(trial, float(built % 7))
                built += 1
            # A fresh process's view: load the study, then ask once with TPE.
            started = time.perf_counter()
            tpe = optuna.load_study(study_name="wide", storage=storage, sampler=optuna.samplers.TPESampler(seed=1))
            trial = tpe.ask(space)
            seconds = time.perf_counter() - started
            tpe.tell(trial, 0.0)
            built += 1
            print(json.dumps({"tool": "optuna", "params": args.params, "trials": checkpoint, "seconds": round(seconds, 3)}), flush=True)


if __name__ == "__main__":
    main()
