"""The table of Benchmarks/darts.sh: per search method, the retrained cell's test accuracy
(mean ± sd over seeds), the best-of-random cell's, the paired difference, and the compute
against the random cells' (multiply–accumulates × examples)."""
import glob, json, os, statistics, sys

out = sys.argv[1]
seeds = sorted(int(p.split("-")[-1].split(".")[0]) for p in glob.glob(os.path.join(out, "random-*.jsonl")))

def mean_sd(xs):
    return f"{statistics.mean(xs):.4f} ± {statistics.stdev(xs) if len(xs) > 1 else 0:.4f}"

random = {}
for s in seeds:
    rows = [json.loads(l) for l in open(os.path.join(out, f"random-{s}.jsonl")) if l.strip()]
    best = max(rows, key=lambda r: (r["validation_accuracy"], -r["multiply_accumulates"]))
    random[s] = dict(test=best["test_accuracy"], cell=best["cell"], compute=sum(r["multiply_accumulates"] for r in rows),
                     seconds=sum(r["seconds"] for r in rows), count=len(rows))

print(f"best of {random[seeds[0]]['count']} random cells: test accuracy {mean_sd([random[s]['test'] for s in seeds])}, "
      f"compute {statistics.mean(random[s]['compute'] for s in seeds):.3g} MAC×examples, {statistics.mean(random[s]['seconds'] for s in seeds):.0f} s")
print()
print("| method | test acc | best random | paired diff | ≥ random (seeds) | compute / random | s (search + retrain) |")
print("|---|---:|---:|---:|---:|---:|---:|")
for method in ["first", "second", "sharp", "torch"]:
    runs = {}
    for s in seeds:
        path = os.path.join(out, f"{method}-{s}.json")
        if os.path.exists(path) and os.path.getsize(path) > 0:
            runs[s] = json.load(open(path))
    if not runs:
        continue
    test = [runs[s]["retrained"]["test_accuracy"] for s in runs]
    diff = [runs[s]["retrained"]["test_accuracy"] - random[s]["test"] for s in runs]
    ratio = [runs[s]["multiply_accumulates"] / random[s]["compute"] for s in runs]
    seconds = [runs[s]["search"]["seconds"] + runs[s]["retrained"]["seconds"] for s in runs]
    print(f"| {method} | {mean_sd(test)} | {mean_sd([random[s]['test'] for s in runs])} | {statistics.mean(diff):+.4f} | "
          f"{sum(d >= 0 for d in diff)}/{len(diff)} | {statistics.mean(ratio):.3f} (max {max(ratio):.3f}) | {statistics.mean(seconds):.1f} |")
print()
for method in ["first", "second", "sharp", "torch"]:
    for s in seeds:
        path = os.path.join(out, f"{method}-{s}.json")
        if os.path.exists(path) and os.path.getsize(path) > 0:
            print(f"{method} seed {s}: {json.load(open(path))['cell']}")
for s in seeds:
    print(f"best random seed {s}: {random[s]['cell']}")
