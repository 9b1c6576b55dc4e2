"""Reads the JSON lines of NASBenchmark and peers/optuna_nb201.py (one per method and seed) and
prints the mean best accuracy after 50 and 100 queries per method (± standard error), or for a
multi-objective run the mean hypervolume ratio."""
import json
import statistics
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
methods = {}
for row in rows:
    methods.setdefault(row["method"], []).append(row)


def summary(values):
    mean = statistics.mean(values)
    error = statistics.stdev(values) / len(values) ** 0.5 if len(values) > 1 else 0.0
    return f"{mean:.3f} ± {error:.3f}"


if any("hypervolume_ratio" in r for r in rows):
    print("| method | seeds | hypervolume / exact front's (mean ± s.e.) | trials (mean) | seconds per run |")
    print("|---|---:|---:|---:|---:|")
    for method, runs in methods.items():
        print(f"| {method} | {len(runs)} | {summary([r['hypervolume_ratio'] for r in runs])} "
              f"| {statistics.mean(r['trials'] for r in runs):.0f} | {statistics.mean(r['seconds'] for r in runs):.2f} |")
else:
    print("| method | seeds | best after 50 queries | best after 100 queries | trials for 100 queries (mean) | seconds per run |")
    print("|---|---:|---:|---:|---:|---:|")
    for method, runs in methods.items():
        print(f"| {method} | {len(runs)} | {summary([r['best_at_50'] for r in runs])} | {summary([r['best_at_100'] for r in runs])} "
              f"| {statistics.mean(r['trials'] for r in runs):.0f} | {statistics.mean(r['seconds'] for r in runs):.2f} |")
