#!/usr/bin/env python3
"""The time of one `ask` as a study grows, beside Optuna on the same work: a study over two
float parameters in an SQLite file (or the databases given by --hone-storage and
--optuna-storage, which must be empty) is built with the random sampler (ask, then tell x) up to
each checkpoint; there, a fresh server (`hone serve --stdio`) or a fresh `optuna.load_study`
per sampler (random, tpe) asks and tells 21 trials, and the median of the last 20 asks is
reported with the first one (the first read of the study in that process).

Prints one JSON line per tool, checkpoint and sampler:
{"tool": "hone"|"optuna", "storage": "sqlite"|"postgres", "trials": T, "sampler": S, "first_ms": F, "median_ms": M}.
"""
import argparse
import json
import os
import statistics
import subprocess
import tempfile
import time

SPACE = {"x": {"type": "float", "low": 0, "high": 1}, "y": {"type": "float", "low": 0, "high": 1}}


class Server:
    """A `hone serve --stdio` process with study "s"; each ask asks over `space` and tells
    `value(params)` (x by default)."""

    def __init__(self, hone, storage, sampler, space=SPACE, value=lambda params: params["x"]):
        self.process = subprocess.Popen([hone, "serve", "--stdio", "--storage", storage], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, bufsize=1)
        self.space = space
        self.value = value
        self.request({"op": "create_study", "study": "s", "directions": ["minimize"], "sampler": sampler, "seed": 1})

    def request(self, body):
        self.process.stdin.write(json.dumps(body) + "\n")
        self.process.stdin.flush()
        response = json.loads(self.process.stdout.readline())
        if "error" in response:
            raise RuntimeError(response["error"])
        return response

    def ask_tell(self):
        start = time.perf_counter()
        trial = self.request({"op": "ask", "study": "s", "space": self.space})
        elapsed = time.perf_counter() - start
        self.request({"op": "tell", "study": "s", "trial": trial["trial"], "value": self.value(trial["params"])})
        return elapsed

    def close(self):
        self.process.stdin.close()
        self.process.wait()


def optuna_ask_tell(study, distributions):
    start = time.perf_counter()
    trial = study.ask(distributions)
    elapsed = time.perf_counter() - start
    study.tell(trial, trial.params["x"])
    return elapsed


def report(tool, storage, trials, sampler, times):
    print(json.dumps({"tool": tool, "storage": storage.split(":")[0].split("+")[0].replace("postgresql", "postgres"), "trials": trials, "sampler": sampler, "first_ms": round(times[0] * 1000, 2),
                      "median_ms": round(statistics.median(times[1:]) * 1000, 2)}), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hone", required=True)
    parser.add_argument("--checkpoints", default="1000,10000,100000")
    parser.add_argument("--optuna-checkpoints", default="1000,10000")
    parser.add_argument("--hone-storage", help="storage URL of an empty database (default: an SQLite file)")
    parser.add_argument("--optuna-storage", help="SQLAlchemy URL of an empty database (default: an SQLite file)")
    args = parser.parse_args()
    checkpoints = sorted(int(c) for c in args.checkpoints.split(","))
    with tempfile.TemporaryDirectory() as folder:
        storage = args.hone_storage or f"sqlite:///{os.path.join(folder, 'hone.db')}"
        builder = Server(args.hone, storage, "random")
        built = 0
        for checkpoint in checkpoints:
            while built < checkpoint:
                builder.ask_tell()
                built += 1
            for sampler in ("random", "tpe"):
                server = Server(args.hone, storage, sampler)
                times = [server.ask_tell() for _ in range(21)]
                server.close()
                built += 21
                report("hone", storage, checkpoint, sampler, times)
        builder.close()

        optuna_checkpoints = sorted(int(c) for c in args.optuna_checkpoints.split(",") if c)
        if not optuna_checkpoints:
            return
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        distributions = {name: optuna.distributions.FloatDistribution(0.0, 1.0) for name in SPACE}
        storage = args.optuna_storage or f"sqlite:///{os.path.join(folder, 'optuna.db')}"
        optuna.create_study(study_name="s", storage=storage)
        builder = optuna.load_study(study_name="s", storage=storage, sampler=optuna.samplers.RandomSampler(seed=0))
        built = 0
        for checkpoint in optuna_checkpoints:
            while built < checkpoint:
                optuna_ask_tell(builder, distributions)
                built += 1
            for name, sampler in (("random", optuna.samplers.RandomSampler(seed=1)), ("tpe", optuna.samplers.TPESampler(seed=1))):
                study = optuna.load_study(study_name="s", storage=storage, sampler=sampler)
                times = [optuna_ask_tell(study, distributions) for _ in range(21)]
                built += 21
                report("optuna", storage, checkpoint, name, times)


if __name__ == "__main__":
    main()
