"""Reads JSON lines of BayesBenchmark (peers "hone-gp", its defaults; "hone-gp-nei", noisy EI;
"hone-gp-deterministic") and peers/optuna_bo.py ("optuna-gp",
"optuna-tpe", "random") and prints Markdown tables: the median final simple regret per
function × dimension cell, which of Hone's medians are no worse than Optuna GP's and better
than TPE's and random's; and, for timing lines, the median ms per suggestion by history."""
import json
import statistics
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
regret = [r for r in rows if "regret" in r]
timing = [r for r in rows if r.get("mode") == "timing"]
peers = ["hone-gp", "hone-gp-nei", "hone-gp-deterministic", "optuna-gp", "optuna-tpe", "random"]


def median(peer, cell):
    values = [r["regret"] for r in regret if r["peer"] == peer and (r["function"], r["dims"]) == cell]
    return (statistics.median(values), len(values)) if values else (None, 0)


if regret:
    cells = sorted({(r["function"], r["dims"]) for r in regret}, key=lambda c: (c[1], c[0]))
    print("| function | d | budget | Hone GP | Hone GP, noisy EI | Hone GP, deterministic | Optuna GP | Optuna TPE | random | Hone GP ≤ Optuna GP |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|:-:|")
    no_worse = better_tpe = better_random = compared = det_no_worse = det_compared = nei_no_worse = nei_compared = 0
    for cell in cells:
        meds = {p: median(p, cell) for p in peers}
        budget = next(r["budget"] for r in regret if (r["function"], r["dims"]) == cell)
        fmt = lambda m: "—" if m[0] is None else (f"{m[0]:.3g}" + (f" ({m[1]} seeds)" if m[1] != 10 else ""))
        hone, nei, deterministic, gp, tpe, rnd = (meds[p][0] for p in peers)
        if nei is not None and gp is not None:
            nei_compared += 1
            nei_no_worse += nei <= gp * 1.0000001 + 1e-12
        if deterministic is not None and gp is not None:
            det_compared += 1
            det_no_worse += deterministic <= gp * 1.0000001 + 1e-12
        verdict = "—"
        if hone is not None and gp is not None:
            compared += 1
            ok = hone <= gp * 1.0000001 + 1e-12
            no_worse += ok
            verdict = "yes" if ok else "no"
        if hone is not None and tpe is not None and hone < tpe:
            better_tpe += 1
        if hone is not None and rnd is not None and hone < rnd:
            better_random += 1
        print(f"| {cell[0]} | {cell[1]} | {budget} | {fmt(meds['hone-gp'])} | {fmt(meds['hone-gp-nei'])} | "
              f"{fmt(meds['hone-gp-deterministic'])} | {fmt(meds['optuna-gp'])} | "
              f"{fmt(meds['optuna-tpe'])} | {fmt(meds['random'])} | {verdict} |")
    print()
    print(f"Hone GP no worse than Optuna GP in {no_worse}/{compared} cells; better than TPE in "
          f"{better_tpe}/{len(cells)}, better than random in {better_random}/{len(cells)}."
          + (f" With noisy EI: no worse than Optuna GP in {nei_no_worse}/{nei_compared}." if nei_compared else "")
          + (f" With a deterministic objective: no worse than Optuna GP in {det_no_worse}/{det_compared}." if det_compared else ""))

if timing:
    print()
    print("| function | d | history | Hone GP ms | Optuna GP ms | Optuna / Hone |")
    print("|---|---:|---:|---:|---:|---:|")
    for h in sorted({(r["function"], r["dims"], r["history"]) for r in timing}, key=lambda c: c[2]):
        mine = [r["median_ms"] for r in timing if r["peer"] == "hone-gp" and (r["function"], r["dims"], r["history"]) == h]
        theirs = [r["median_ms"] for r in timing if r["peer"] == "optuna-gp" and (r["function"], r["dims"], r["history"]) == h]
        a = statistics.median(mine) if mine else None
        b = statistics.median(theirs) if theirs else None
        ratio = f"{b / a:.1f}×" if a and b else "—"
        print(f"| {h[0]} | {h[1]} | {h[2]} | {a:.2f} | {b:.2f} | {ratio} |" if a and b else f"| {h[0]} | {h[1]} | {h[2]} | {a} | {b} | — |")
