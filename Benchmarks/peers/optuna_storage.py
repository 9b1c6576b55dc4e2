"""Optuna peer of Hone's storage throughput benchmark.

Measures how many ask/tell cycles per second Optuna sustains, either with its
in-memory storage (one process) or with an SQLite file shared by P worker
processes. One cycle is exactly what the Swift side does:

    trial = study.ask()
    x = trial.suggest_float("x", -10, 10)
    y = trial.suggest_int("y", 0, 100)
    c = trial.suggest_categorical("c", ["a", "b", "c"])
    study.tell(trial, x * x + y)

with a RandomSampler and direction "minimize". After the run it counts the
COMPLETE trials and checks that trial numbers are exactly 0..N-1.

Run it with the venv made by setup.sh (which pins optuna==5.0.0):

    PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
    "$PY" Benchmarks/peers/optuna_storage.py --mode memory --trials 500 --json
    "$PY" Benchmarks/peers/optuna_storage.py --mode sqlite --trials 200 --processes 4 --json
"""

import argparse
import json
import multiprocessing as mp
import os
import queue
import sys
import tempfile
import time
import warnings

import optuna

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

STUDY_NAME = "bench"
MAX_RETRIES = 5  # extra attempts for a step that failed with "database is locked"


def is_locked(exc):
    """True if exc or anything it was raised from says "database is locked".

    Optuna wraps SQLAlchemy's OperationalError in a StorageInternalError whose own
    message does not mention the lock, so the whole cause chain is checked.
    """
    while exc is not None:
        if "database is locked" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def run_cycles(study, n, counts):
    """Do n ask/tell cycles; a step failing with a locked database is retried."""

    def step(fn, *args):
        for attempt in range(MAX_RETRIES + 1):
            try:
                return fn(*args)
            except Exception as e:
                if not is_locked(e) or attempt == MAX_RETRIES:
                    raise
                counts["locked_errors"] += 1

    for _ in range(n):
        try:
            # Each step is one storage transaction, so retrying it alone is safe
            # (a failed ask() leaves no trial behind; a failed tell() leaves it RUNNING).
            trial = step(study.ask)
            x = step(trial.suggest_float, "x", -10, 10)
            y = step(trial.suggest_int, "y", 0, 100)
            step(trial.suggest_categorical, "c", ["a", "b", "c"])
            step(study.tell, trial, x * x + y)
        except Exception as e:
            if is_locked(e):
                counts["locked_errors"] += 1
            else:
                counts["other_errors"] += 1
            counts.setdefault("first_error", repr(e))


def worker(index, url, n, seed, results):
    counts = {"locked_errors": 0, "other_errors": 0}
    try:
        study = optuna.load_study(
            study_name=STUDY_NAME,
            storage=url,
            sampler=optuna.samplers.RandomSampler(seed=seed + index),
        )
        run_cycles(study, n, counts)
    except Exception as e:  # e.g. load_study itself failed
        counts["other_errors"] += 1
        counts.setdefault("first_error", repr(e))
    finally:
        results.put(counts)


def check(study, n):
    trials = study.get_trials(deepcopy=False)
    complete = sum(t.state == optuna.trial.TrialState.COMPLETE for t in trials)
    numbers = sorted(t.number for t in trials)
    return complete, numbers == list(range(n))


def bench_memory(args):
    study = optuna.create_study(
        storage=None, direction="minimize", sampler=optuna.samplers.RandomSampler(seed=args.seed)
    )
    counts = {"locked_errors": 0, "other_errors": 0}
    start = time.perf_counter()
    run_cycles(study, args.trials, counts)
    seconds = time.perf_counter() - start
    return study, seconds, [counts]


def remove_db(path):
    for p in (path, path + "-journal", path + "-wal", path + "-shm"):
        if os.path.exists(p):
            os.remove(p)


def bench_rdb(args):
    """SQLite file or PostgreSQL database (RDBStorage), shared by the worker processes."""
    if args.mode == "sqlite":
        url = f"sqlite:///{args.db}"
        remove_db(args.db)
    else:
        url = args.url
    optuna.create_study(study_name=STUDY_NAME, storage=url, direction="minimize")

    # Split N trials over P workers; the remainder goes to the first workers.
    base, extra = divmod(args.trials, args.processes)
    ctx = mp.get_context(args.start_method)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(i, url, base + (i < extra), args.seed, results))
        for i in range(args.processes)
    ]

    start = time.perf_counter()
    for p in procs:
        p.start()
    reports = []
    while len(reports) < len(procs):  # read the queue before join() so no worker blocks
        try:
            reports.append(results.get(timeout=1))
        except queue.Empty:
            if not any(p.is_alive() for p in procs) and results.empty():
                break
    for p in procs:
        p.join()
    seconds = time.perf_counter() - start

    # A worker that died without reporting counts as one error.
    reports += [{"locked_errors": 0, "other_errors": 1}] * (len(procs) - len(reports))
    return optuna.load_study(study_name=STUDY_NAME, storage=url), seconds, reports


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", choices=["memory", "sqlite", "postgres"], required=True)
    ap.add_argument("--trials", type=int, required=True, help="total trials")
    ap.add_argument("--processes", type=int, default=1, help="worker processes (sqlite)")
    ap.add_argument("--db", help="sqlite file (deleted first; default: a temp file)")
    ap.add_argument("--url", help="postgres: SQLAlchemy URL of an empty database (postgresql+psycopg2://…)")
    ap.add_argument("--seed", type=int, default=0, help="sampler seed (worker i uses seed+i)")
    ap.add_argument("--start-method", choices=["fork", "spawn"], default="fork",
                    help="multiprocessing start method (spawn adds an optuna import per worker)")
    ap.add_argument("--json", action="store_true", help="print one JSON line")
    args = ap.parse_args()
    if args.trials < 1 or args.processes < 1:
        ap.error("--trials and --processes must be at least 1")
    if args.mode == "memory" and args.processes != 1:
        ap.error("memory mode runs in one process")

    temp_db = args.db is None
    if temp_db:
        args.db = os.path.join(tempfile.gettempdir(), f"hone-optuna-bench-{os.getpid()}.db")

    try:
        if args.mode == "postgres" and not args.url:
            ap.error("--mode postgres needs --url")
        bench = bench_memory if args.mode == "memory" else bench_rdb
        study, seconds, reports = bench(args)
        complete, dense = check(study, args.trials)
    finally:
        if temp_db:
            remove_db(args.db)

    out = {
        "peer": "optuna",
        "version": optuna.__version__,
        "mode": args.mode,
        "processes": args.processes,
        "trials": args.trials,
        "seconds": seconds,
        "trials_per_second": args.trials / seconds,
        "complete": complete,
        "numbers_dense": dense,
        "locked_errors": sum(r["locked_errors"] for r in reports),
        "other_errors": sum(r["other_errors"] for r in reports),
    }
    if args.json:
        print(json.dumps(out))
    else:
        print(
            f"optuna {out['version']} {args.mode} x{args.processes}: {args.trials} trials in "
            f"{seconds:.3f}s = {out['trials_per_second']:.1f} trials/s; complete={complete} "
            f"numbers_dense={dense} locked_errors={out['locked_errors']} "
            f"other_errors={out['other_errors']}"
        )
    for r in reports:  # surface the first error of each worker, but keep stdout to one line
        if "first_error" in r:
            print(f"first error: {r['first_error']}", file=sys.stderr)


if __name__ == "__main__":
    main()
