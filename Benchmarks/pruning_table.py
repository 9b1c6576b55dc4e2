"""Reads JSON lines of PruningBenchmark (hone) and optuna_pruning.py (optuna) and prints a
Markdown table per learning-curve file: each pruner's speedup, regret and best-curve kept rate."""
import json
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
print("| curves | pruner | Hone speedup | Hone regret (pts, mean / max) | Hone best kept | Hone ms/decision "
      "| Optuna speedup | Optuna regret | Optuna best kept | Optuna ms/decision |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for h in (r for r in rows if r["peer"] == "hone"):
    o = next((r for r in rows if r["peer"] == "optuna" and r["csv"] == h["csv"] and r["pruner"] == h["pruner"]), None)
    extrapolation = h.get("predictor") == "extrapolation"
    name = h["pruner"] + (f" ({'extrapolation, ' if extrapolation else ''}Δ {h['delta']}, warm-up {h['warmup']}, startup {h['startup']})"
                          if h["pruner"].startswith("learning-curve") else "")
    cells = (f"| {h['csv'].removesuffix('.csv')} ({h['curves']}×{h['epochs']}) | {name} | {h['speedup_mean']:.2f}× "
             f"| {h['regret_mean']:.3f} / {h['regret_max']:.2f} | {h['best_kept_fraction']:.0%} | {h['ms_per_decision']:.3f} ")
    if o:
        cells += (f"| {o['speedup_mean']:.2f}× | {o['regret_mean']:.3f} / {o['regret_max']:.2f} | {o['best_kept_fraction']:.0%} "
                  f"| {o['ms_per_decision']:.3f} |")
    else:
        cells += "| — | | | |"
    print(cells)
