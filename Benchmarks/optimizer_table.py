"""Reads JSON result lines of OptimizerBenchmark (hone.*) and optim_step.py (peers) for one
thread count, possibly several runs of each, and prints a Markdown table: Hone's step beside
its peers, each the median over the runs, with ratios."""
import json
import statistics
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
runs = {}
for r in rows:
    runs.setdefault(r["peer"], []).append(r)
by = {}
for name, rs in runs.items():
    seconds = statistics.median(r["seconds"] for r in rs)
    by[name] = dict(rs[0], seconds=seconds, mparams_per_s=rs[0]["n"] / seconds / 1e6,
                    gb_per_s=rs[0]["bytes_per_param"] * rs[0]["n"] / seconds / 1e9, runs=len(rs))
threads = rows[0]["threads"]
copy = by["hone.copy"]
copy_runs = copy["runs"]
peers = {
    "hone.SGD momentum": ["torch.SGD(momentum,foreach)"],
    "hone.Adam": ["torch.Adam(fused)", "torch.Adam(foreach)"],
    "hone.Lion": [],
    "hone.EXAdam": [],
    "hone.Adam8bit": ["bnb.Adam8bit"],
}
print(f"| {threads} thread(s), median of {copy_runs} runs | ms | Mparam/s | GB/s | vs copy GB/s | peer | peer ms | peer GB/s | speed-up |")
print("|---|---:|---:|---:|---:|---|---:|---:|---:|")
print(f"| copy (Hone) | {copy['seconds']*1e3:.2f} | {copy['mparams_per_s']:,.0f} | {copy['gb_per_s']:.1f} | 100% "
      f"| torch copy_ | {by['copy']['seconds']*1e3:.2f} | {by['copy']['gb_per_s']:.1f} | {by['copy']['seconds']/copy['seconds']:.2f}× |")
for name, peer_names in peers.items():
    h = by[name]
    cells = f"| {name[5:]} | {h['seconds']*1e3:.2f} | {h['mparams_per_s']:,.0f} | {h['gb_per_s']:.1f} | {h['gb_per_s']/copy['gb_per_s']:.0%} "
    if not peer_names:
        print(cells + "| — | | | |")
    for p in peer_names:
        r = by[p]
        print(cells + f"| {p} | {r['seconds']*1e3:.2f} | {r['gb_per_s']:.1f} | {r['seconds']/h['seconds']:.2f}× |")
