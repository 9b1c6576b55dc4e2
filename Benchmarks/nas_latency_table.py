"""The table of Benchmarks/nas_latency.sh: for each searcher, the hypervolume of the
(1 − validation accuracy, latency) front of its first N trained cells, mean ± sd over seeds
and as a ratio to random search's on the same seed. The reference point is (1, 1.1 × the
largest latency any run measured)."""
import collections, json, statistics, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith("{")]
reference = (1.0, 1.1 * max(r["latency_ms"] for r in rows))


def hypervolume(points):
    front, best = [], float("inf")
    for e, t in sorted(points):
        if t < best:
            front.append((e, t))
            best = t
    volume, previous = 0.0, reference[1]
    for e, t in front:  # error ascending, latency descending
        if e < reference[0] and t < previous:
            volume += (reference[0] - e) * (previous - t)
            previous = t
    return volume


runs = collections.defaultdict(list)
for r in sorted(rows, key=lambda r: r["query"]):
    runs[(r["peer"], r["method"], r["seed"])].append((1 - r["validation_accuracy"], r["latency_ms"]))
volumes = {key: hypervolume(points) for key, points in runs.items()}
seeds = sorted({key[2] for key in runs})
print(f"reference point: error 1, latency {reference[1]:.3f} ms; {len(next(iter(runs.values())))} trained cells per run")
print()
print("| searcher | hypervolume | ÷ random (same seed) | better than random (seeds) |")
print("|---|---:|---:|---:|")
for key in sorted({(k[0], k[1]) for k in runs}):
    v = [volumes[(key[0], key[1], s)] for s in seeds if (key[0], key[1], s) in volumes]
    ratios = [volumes[(key[0], key[1], s)] / volumes[("hone", "random", s)] for s in seeds
              if (key[0], key[1], s) in volumes and ("hone", "random", s) in volumes]
    print(f"| {key[0]} {key[1]} | {statistics.mean(v):.4f} ± {statistics.stdev(v) if len(v) > 1 else 0:.4f} | "
          f"{statistics.mean(ratios):.3f} | {sum(x > 1 for x in ratios)}/{len(ratios)} |")
