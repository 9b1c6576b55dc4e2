"""Reads the JSON lines of peers/hpo_tables.py (one per table, method and seed) on stdin and prints
a markdown table: one row per HPO table, one column per method, the median regret over seeds
(3 significant digits; the lowest median of the row in bold), and when hone-auto ran, a last
column "auto ≤ best Optuna" (hone-auto's median regret ≤ the lowest median of the optuna-*
methods on that table), followed by a line counting the tables where it holds. A (table, method,
seed) given twice counts once, with its last line."""
import json
import statistics
import sys

ORDER = ["hone-auto", "hone-gp", "hone-tpe", "hone-random", "optuna-tpe", "optuna-gp", "optuna-cmaes",
         "optuna-random", "ngopt", "hebo", "smac"]

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
rows = list({(r["table"], r["method"], r["seed"]): r for r in rows}.values())
runs = {}
for row in rows:
    runs.setdefault(row["table"], {}).setdefault(row["method"], []).append(row["regret"])
found = {m for by_method in runs.values() for m in by_method}
methods = [m for m in ORDER if m in found] + sorted(found - set(ORDER))
with_auto = "hone-auto" in found


def fmt(value):
    return f"{value:.3g}"


header = "| table | " + " | ".join(methods) + " |" + (" auto ≤ best Optuna |" if with_auto else "")
print(header)
print("|---|" + "---:|" * len(methods) + ("---|" if with_auto else ""))
holds, compared = 0, 0
for table in sorted(runs):
    medians = {m: statistics.median(v) for m, v in runs[table].items()}
    best = min(medians.values())
    cells = []
    for m in methods:
        if m not in medians:
            cells.append("–")
        elif fmt(medians[m]) == fmt(best):
            cells.append(f"**{fmt(medians[m])}**")
        else:
            cells.append(fmt(medians[m]))
    line = f"| {table} | " + " | ".join(cells) + " |"
    if with_auto:
        optuna = [v for m, v in medians.items() if m.startswith("optuna-")]
        if "hone-auto" in medians and optuna:
            ok = medians["hone-auto"] <= min(optuna)
            compared += 1
            holds += ok
            line += f" {'yes' if ok else 'no'} |"
        else:
            line += " – |"
    print(line)
seeds = sorted({len(v) for by_method in runs.values() for v in by_method.values()})
print()
print(f"Median regret over {'/'.join(map(str, seeds))} seeds (mean-over-seeds loss of the best observed "
      "configuration minus the table's best).")
if with_auto:
    print(f"hone-auto ≤ best Optuna sampler on {holds} of {compared} tables.")
