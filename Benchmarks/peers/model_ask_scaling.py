#!/usr/bin/env python3
"""The time of one model-based `ask` as a study grows, beside Optuna's GPSampler on the same work.

A study over five float parameters in [-32.768, 32.768] (5-D Ackley, minimized) in an SQLite file
is built with the random sampler (ask, then tell Ackley's value) up to each checkpoint. There:

- `hone ask` as a command (a fresh process that opens the database, reads the study and fits
  its model, as a shell loop or a cluster job runs it), `--sampler S --seed 1`, followed by
  `hone tell`; three times, the median reported (`mode: "cli"`);
- `hone serve --stdio` (a fresh server per checkpoint and sampler): six ask + tell pairs, the
  median of the last five reported (`mode: "serve"`);
- Optuna 5's `GPSampler(seed=1)` (and `TPESampler(seed=1)`) on a copy of the same trials in its
  RDB storage over SQLite, a fresh `load_study`: three ask + tell pairs, the median reported
  (`mode: "optuna"`), at the checkpoints given by --optuna-checkpoints.

One JSON line per measurement:
{"tool": "hone"|"optuna", "mode": M, "trials": T, "sampler": S, "ms": [..], "median_ms": X}.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np

from serve_ask_scaling import Server

BOUND = 32.768
SPACE = {f"x{i}": {"type": "float", "low": -BOUND, "high": BOUND} for i in range(5)}


def ackley(x):
    x = np.asarray(x, dtype=float)
    return float(-20 * math.exp(-0.2 * math.sqrt(np.mean(x * x))) - math.exp(np.mean(np.cos(2 * math.pi * x))) + 20 + math.e)


def value(params):
    return ackley([params[k] for k in SPACE])


def cli_ask_tell(hone, storage, sampler):
    start = time.perf_counter()
    out = subprocess.run([hone, "ask", "--study", "s", "--storage", storage, "--sampler", sampler, "--seed", "1",
                          "--space", json.dumps(SPACE)], check=True, capture_output=True, text=True).stdout
    elapsed = time.perf_counter() - start
    trial = json.loads(out)
    subprocess.run([hone, "tell", "--study", "s", "--storage", storage, "--trial", str(trial["trial"]),
                    "--value", repr(value(trial["params"]))], check=True, capture_output=True)
    return elapsed


def report(tool, mode, trials, sampler, times):
    print(json.dumps({"tool": tool, "mode": mode, "trials": trials, "sampler": sampler,
                      "ms": [round(t * 1000, 1) for t in times], "median_ms": round(statistics.median(times) * 1000, 1)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hone", required=True)
    parser.add_argument("--checkpoints", default="100,1000,2000,10000")
    parser.add_argument("--samplers", default="gp,auto")
    parser.add_argument("--optuna-checkpoints", default="100,1000,2000")
    args = parser.parse_args()
    samplers = args.samplers.split(",")
    built = 0
    with tempfile.TemporaryDirectory() as folder:
        storage = f"sqlite:///{os.path.join(folder, 'hone.db')}"
        builder = Server(args.hone, storage, "random", space=SPACE, value=value)
        for checkpoint in sorted(int(c) for c in args.checkpoints.split(",")):
            while built < checkpoint:
                builder.ask_tell()
                built += 1
            for sampler in samplers:
                report("hone", "cli", checkpoint, sampler, [cli_ask_tell(args.hone, storage, sampler) for _ in range(3)])
                server = Server(args.hone, storage, sampler, space=SPACE, value=value)
                times = [server.ask_tell() for _ in range(6)][1:]
                server.close()
                report("hone", "serve", checkpoint, sampler, times)
                built += 9  # the timed asks' trials count towards the next checkpoint
        builder.close()

        optuna_checkpoints = sorted(int(c) for c in args.optuna_checkpoints.split(",") if c)
        if not optuna_checkpoints:
            return
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        distributions = {k: optuna.distributions.FloatDistribution(-BOUND, BOUND) for k in SPACE}
        rng = np.random.default_rng(0)
        ostorage = f"sqlite:///{os.path.join(folder, 'optuna.db')}"
        study = optuna.create_study(study_name="s", storage=ostorage)
        built = 0
        for checkpoint in optuna_checkpoints:
            rows = []
            while built < checkpoint:
                x = rng.uniform(-BOUND, BOUND, size=5)
                rows.append(optuna.trial.create_trial(params=dict(zip(SPACE, x)), distributions=distributions, value=ackley(x)))
                built += 1
            study.add_trials(rows)
            for name, sampler in (("gp", optuna.samplers.GPSampler(seed=1)), ("tpe", optuna.samplers.TPESampler(seed=1))):
                loaded = optuna.load_study(study_name="s", storage=ostorage, sampler=sampler)
                times = []
                for _ in range(3):
                    start = time.perf_counter()
                    trial = loaded.ask(distributions)
                    times.append(time.perf_counter() - start)
                    loaded.tell(trial, ackley([trial.params[k] for k in SPACE]))
                    built += 1
                report("optuna", "optuna", checkpoint, name, times)


if __name__ == "__main__":
    main()
