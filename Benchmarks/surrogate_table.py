#!/usr/bin/env python3
"""Reads the JSON lines of Benchmarks/peers/bbob.py (the GP sampler with each surrogate, and
Optuna's GPSampler) on stdin and prints a markdown table: one row per function and dimension,
one column per surrogate with the median regret over the instances (3 significant digits, the
best of the row in bold; a repeated run counts once, with its last line) and the mean seconds
per evaluation; then the cells where the infinite-width surrogate's median is below the
Matérn GP's, and the network surrogates' average rank (1 = lowest median in the cell, ties
share the mean rank)."""
import collections
import json
import statistics
import sys

NETWORKS = ["dkl", "hmc", "ensemble", "laplace"]


def label(method):
    return method.split("surrogate=")[1] if "surrogate=" in method else method


def main():
    latest = {}
    for line in sys.stdin:
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            latest[(r["dims"], r["function"], label(r["method"]), r["instance"])] = (r["regret"], r["seconds"] / r["budget"])
    runs = collections.defaultdict(list)
    for (dims, function, method, _), value in sorted(latest.items()):
        runs[(dims, function, method)].append(value)
    order = ["matern", "infinite-width"] + NETWORKS + ["optuna-gp", "botorch", "hone-random"]
    methods = [m for m in order if any(k[2] == m for k in runs)]
    cells = sorted({(k[0], k[1]) for k in runs})
    print("| function | d | " + " | ".join(methods) + " |")
    print("|---|---:|" + "---:|" * len(methods))
    wins = compared = 0
    ranks = collections.defaultdict(list)
    seconds = collections.defaultdict(list)
    for dims, function in cells:
        medians = {m: statistics.median(v[0] for v in runs[(dims, function, m)]) for m in methods if runs.get((dims, function, m))}
        for m in medians:
            seconds[(m, dims)].extend(v[1] for v in runs[(dims, function, m)])
        best = min(medians.values())
        row = [("**%.3g**" if medians[m] == best else "%.3g") % medians[m] if m in medians else "—" for m in methods]
        print(f"| f{function} | {dims} | " + " | ".join(row) + " |")
        if "matern" in medians and "infinite-width" in medians:
            compared += 1
            wins += medians["infinite-width"] < medians["matern"]
        networks = {m: medians[m] for m in NETWORKS if m in medians}
        for m, value in networks.items():
            below = sum(v < value for v in networks.values())
            equal = sum(v == value for v in networks.values())
            ranks[m].append(below + (equal + 1) / 2)
    print()
    if compared:
        print(f"- infinite-width's median regret < the Matérn GP's: {wins} of {compared} cells")
    if ranks:
        print("- network surrogates' average rank: " +
              ", ".join(f"{m} {statistics.mean(r):.2f}" for m, r in sorted(ranks.items(), key=lambda kv: statistics.mean(kv[1]))))
    dims_seen = sorted({d for _, d in seconds})
    print("- seconds per evaluation (mean over runs, fit and suggestion; the networks fit once per batch): " +
          "; ".join(f"{m} " + ", ".join(f"{statistics.mean(seconds[(m, d)]):.3g} s at {d}-D" for d in dims_seen if seconds.get((m, d)))
                    for m in methods))


if __name__ == "__main__":
    main()
