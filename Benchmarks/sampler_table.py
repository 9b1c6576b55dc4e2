"""Reads JSON lines of SamplerBenchmark (hone, hone-sampler, hone-univariate) and of the peer
scripts tpe_timing.py, cmaes_peers.py and nsga2_peers.py (optuna, optuna-multivariate, pycma),
and prints a Markdown table for whichever of the three benchmarks the lines hold."""
import json
import statistics
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]


def find(peer, **keys):
    return next((r for r in rows if r["peer"] == peer and all(r.get(k) == v for k, v in keys.items())), None)


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


if any("median_ms" in r for r in rows):
    print("| history | dims | Hone (multivariate) ms | Optuna multivariate ms | Optuna univariate ms | Optuna mv / Hone |")
    print("|---:|---:|---:|---:|---:|---:|")
    for h in (r for r in rows if r["peer"] == "hone" and "median_ms" in r):
        mv = find("optuna-multivariate", trials=h["trials"], dims=h["dims"])
        uv = find("optuna", trials=h["trials"], dims=h["dims"])
        ratio = mv["median_ms"] / h["median_ms"] if mv else None
        print(f"| {h['trials']} | {h['dims']} | {h['median_ms']:.2f} | {fmt(mv and mv['median_ms'], '.2f')} "
              f"| {fmt(uv and uv['median_ms'], '.2f')} | {fmt(ratio, '.1f')}× |")

if any("function" in r for r in rows):
    print("| function (10-D, target 1e-8) | Hone IPOP: solved, median evals | pycma IPOP: solved, median evals "
          "| Hone / pycma | Hone sampler, no restarts | Optuna CmaEsSampler, no restarts |")
    print("|---|---:|---:|---:|---:|---:|")
    for h in (r for r in rows if r["peer"] == "hone" and "function" in r):
        p = find("pycma", function=h["function"])
        s = find("hone-sampler", function=h["function"])
        o = find("optuna", function=h["function"])
        ratio = h["median_evals"] / p["median_evals"] if p and h["median_evals"] and p["median_evals"] else None

        def cell(r):
            return "—" if r is None else f"{r['successes']}/{r['seeds']}, {fmt(r['median_evals'], '.0f')}"
        print(f"| {h['function']} | {cell(h)} | {cell(p)} | {fmt(ratio, '.2f')} | {cell(s)} | {cell(o)} |")

if any("problem" in r for r in rows):
    print("| problem | Hone HV median / mean | Optuna HV median / mean | seconds Hone / Optuna |")
    print("|---|---:|---:|---:|")
    for h in (r for r in rows if r["peer"] == "hone" and "problem" in r):
        o = find("optuna", problem=h["problem"])
        hm = statistics.mean(h["hv"])
        om = statistics.mean(o["hv"]) if o else None
        print(f"| {h['problem']} ({h['population']}×{h['generations']}, {h['seeds']} seeds) | {h['median_hv']:.4f} / {hm:.4f} "
              f"| {fmt(o and o['median_hv'], '.4f')} / {fmt(om, '.4f')} | {h['seconds']:.0f} / {fmt(o and o['seconds'], '.0f')} |")
