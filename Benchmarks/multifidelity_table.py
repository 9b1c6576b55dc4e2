"""Reads the JSON lines of peers/multifidelity.py (one per problem, method and seed) on stdin and
prints, per problem, a markdown table.

The target regret of a problem is the median final regret of hone-hyperband-random. For each
method: the lower median over seeds (statistics.median_low: with an even number of seeds, the lower
of the two middle values, so that a method reaching the target in exactly half of its seeds, as
hone-hyperband-random does by construction, gets a finite value) of the epochs spent until its
best-so-far regret first reached the target or below (a seed that never reaches it counts as
infinite; "not reached" when that median is infinite), as a fraction of the epoch budget; and the median final regret (a run with no
full-fidelity evaluation counts as infinite). For hone-bohb and hone-dehb two more columns:
"≤ 1/3 budget" (that median fraction ≤ 1/3) and "final ≤ dehb-package" (its median final regret ≤
dehb-package's). A (problem, method, seed) given twice counts once, with its last line."""
import json
import math
import statistics
import sys

ORDER = ["hone-hyperband-random", "hone-tpe-hyperband", "hone-bohb", "hone-dehb", "dehb-package"]
CHECKED = ("hone-bohb", "hone-dehb")


def final(row):
    return math.inf if row["final_regret"] is None else row["final_regret"]


def epochs_to(row, target):
    """Epochs spent when the best-so-far regret first was ≤ target (infinite if never)."""
    for epochs, regret in row["trajectory"]:
        if regret <= target + 1e-12:
            return epochs
    return math.inf


def fmt(value, digits=3):
    return "∞" if math.isinf(value) else f"{value:.{digits}g}"


rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
rows = list({(r["problem"], r["method"], r["seed"]): r for r in rows}.values())
problems = {}
for row in rows:
    problems.setdefault(row["problem"], {}).setdefault(row["method"], []).append(row)

for problem in sorted(problems):
    by_method = problems[problem]
    methods = [m for m in ORDER if m in by_method] + sorted(set(by_method) - set(ORDER))
    budget = by_method[methods[0]][0]["epochs_budget"]
    print(f"### {problem} (budget {budget} epochs)")
    print()
    if "hone-hyperband-random" not in by_method:
        print("no hone-hyperband-random runs: no target regret")
        print()
        continue
    target = statistics.median(final(r) for r in by_method["hone-hyperband-random"])
    package = (statistics.median(final(r) for r in by_method["dehb-package"])
               if "dehb-package" in by_method else None)
    print(f"Target regret (median final regret of hone-hyperband-random): {fmt(target, 4)}")
    print()
    print("| method | seeds | epochs to target / budget (lower median) | final regret (median) "
          "| ≤ 1/3 budget | final ≤ dehb-package |")
    print("|---|---:|---:|---:|---|---|")
    for m in methods:
        runs = by_method[m]
        fraction = statistics.median_low([epochs_to(r, target) for r in runs]) / budget
        regret = statistics.median(final(r) for r in runs)
        third = within = "–"
        if m in CHECKED:
            third = "yes" if fraction <= 1 / 3 else "no"
            if package is not None:
                within = "yes" if regret <= package else "no"
        reach = "not reached" if math.isinf(fraction) else f"{fraction:.3f}"
        print(f"| {m} | {len(runs)} | {reach} | {fmt(regret, 4)} | {third} | {within} |")
    print()
