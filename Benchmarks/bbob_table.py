#!/usr/bin/env python3
"""Reads the JSON lines of Benchmarks/peers/bbob.py on stdin and prints a markdown table: one
row per function and dimension, one column per method with the median regret over its
instances (3 significant digits, the best of the row in bold; a repeated run counts once, with
its last line), then how often hone-auto's
median is no worse than Optuna's GP and than NGOpt (ties count: both reached the same value)."""
import collections
import json
import statistics
import sys

ORDER = ["hone-auto", "hone-gp", "ngopt", "optuna-gp", "optuna-tpe", "optuna-cmaes", "optuna-random", "hebo"]


def main():
    latest = {}  # a repeated run counts once, with its last line
    for line in sys.stdin:
        line = line.strip()
        if line.startswith("{"):
            r = json.loads(line)
            latest[(r["dims"], r["function"], r["method"], r["instance"])] = r["regret"]
    runs = collections.defaultdict(list)
    for (dims, function, method, _), regret in sorted(latest.items()):
        runs[(dims, function, method)].append(regret)
    methods = [m for m in ORDER if any(k[2] == m for k in runs)] + sorted({k[2] for k in runs} - set(ORDER))
    cells = sorted({(k[0], k[1]) for k in runs})
    print("| function | d | " + " | ".join(methods) + " |")
    print("|---|---:|" + "---:|" * len(methods))
    wins = collections.Counter()
    compared = collections.Counter()
    for dims, function in cells:
        medians = {m: statistics.median(runs[(dims, function, m)]) for m in methods if runs.get((dims, function, m))}
        best = min(medians.values())
        row = []
        for m in methods:
            if m not in medians:
                row.append("—")
                continue
            text = f"{medians[m]:.3g}"
            row.append(f"**{text}**" if medians[m] == best else text)
        print(f"| f{function} | {dims} | " + " | ".join(row) + " |")
        for peer in ("optuna-gp", "ngopt"):
            if "hone-auto" in medians and peer in medians:
                compared[peer] += 1
                wins[peer] += medians["hone-auto"] <= medians[peer] * (1 + 1e-9) + 1e-12
    print()
    for peer in ("optuna-gp", "ngopt"):
        if compared[peer]:
            print(f"- hone-auto's median regret ≤ {peer}'s: {wins[peer]} of {compared[peer]} cells "
                  f"({100 * wins[peer] / compared[peer]:.0f}%)")


if __name__ == "__main__":
    main()
