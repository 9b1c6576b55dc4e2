"""Tables of Benchmarks/compare.sh: per optimizer the mean ± standard deviation over seeds of
Hone's and PyTorch's measurements, the checks the literature suggests (SAM flatter than SGD
on every seed; Shampoo's effective rank against AdamW's; USEFUL's effect on test accuracy),
and the optimizer step cost.

    python3 Benchmarks/compare_table.py OUT_DIR
"""
import glob
import json
import os
import statistics
import sys

out = sys.argv[1]


def mean_sd(values):
    values = [v for v in values if v == v]
    if not values:
        return "—"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4g} ± {sd:.2g}"


def hone_rows(pattern):
    rows = {}
    for path in sorted(glob.glob(os.path.join(out, pattern))):
        seed = int(path.rsplit("-", 1)[1].split(".")[0])
        for s in json.load(open(path))["solutions"]:
            s["seed"] = seed
            s["mean_weight_rank"] = statistics.mean(s["weight_ranks"].values())
            s["sparsity"] = statistics.mean(s["sparsity"].values())
            rows.setdefault(s["optimizer"], {})[seed] = s
    return rows


def torch_rows():
    rows = {}
    for path in sorted(glob.glob(os.path.join(out, "torch-*.jsonl"))):
        for line in open(path):
            if line.strip():
                r = json.loads(line)
                rows.setdefault(r["optimizer"], {})[r["seed"]] = r
    return rows


hone, torch, useful = hone_rows("hone-*.json"), torch_rows(), hone_rows("useful-*.json")
metrics = [("test_accuracy", "test acc"), ("sharpness", "λmax"), ("hessian_trace", "tr H"),
           ("representation_rank", "rank(repr)"), ("mean_weight_rank", "mean rank(W)"), ("sparsity", "sparsity"),
           ("seconds", "train s")]
seeds = sorted({s for rows in hone.values() for s in rows})
print(f"digits, MLP 64-256-256-10, 30 epochs, batch 64, seeds {seeds[0]}–{seeds[-1]} ({len(seeds)}): mean ± sd")
print("| optimizer | impl | " + " | ".join(title for _, title in metrics) + " |")
print("|---|---|" + "---:|" * len(metrics))
for name in hone:
    for impl, rows in (("hone", hone), ("torch", torch)):
        values = rows.get(name, {})
        cells = [mean_sd([r.get(key, float("nan")) for r in values.values()]) for key, _ in metrics]
        print(f"| {name} | {impl} | " + " | ".join(cells) + " |")
    if name in torch:
        ratio = statistics.mean(r["seconds"] for r in hone[name].values()) / statistics.mean(r["seconds"] for r in torch[name].values())
        print(f"| {name} | hone/torch training time | {ratio:.2f}× |" + " |" * (len(metrics) - 1))


def paired(rows, a, b, key):
    common = sorted(set(rows.get(a, {})) & set(rows.get(b, {})))
    return [rows[a][s][key] - rows[b][s][key] for s in common]


print()
for impl, rows in (("hone", hone), ("torch", torch)):
    diffs = paired(rows, "sam-sgd", "sgd", "sharpness")
    if diffs:
        print(f"{impl}: SAM-SGD's λmax below SGD's on {sum(d < 0 for d in diffs)} of {len(diffs)} seeds "
              f"(difference {mean_sd(diffs)})")
    diffs = paired(rows, "shampoo", "adamw", "representation_rank")
    weights = paired(rows, "shampoo", "adamw", "mean_weight_rank")
    if diffs:
        print(f"{impl}: Shampoo − AdamW effective rank: representation {mean_sd(diffs)}, weights {mean_sd(weights)}")
for name in ("sgd", "sam-sgd"):
    common = sorted(set(useful.get(name, {})) & set(hone.get(name, {})))
    diffs = [useful[name][s]["test_accuracy"] - hone[name][s]["test_accuracy"] for s in common]
    if diffs:
        print(f"hone: USEFUL − plain {name} test accuracy over {len(diffs)} seeds: {mean_sd(diffs)} "
              f"(better on {sum(d > 0 for d in diffs)}, worse on {sum(d < 0 for d in diffs)}); "
              f"{statistics.mean(useful[name][s]['upsampled'] for s in common):.0f} examples upsampled on average")

steps = [json.loads(line) for line in open(os.path.join(out, "steps.jsonl")) if line.strip()] if os.path.exists(os.path.join(out, "steps.jsonl")) else []
if steps:
    print()
    print("| optimizer step, MLP 64-256-256-10, batch 64 | hone ms | torch ms | hone/torch |")
    print("|---|---:|---:|---:|")
    by = {(r["impl"], r.get("optimizer", "adam")): r["step_ms"] for r in steps}
    for name in ("adamw", "shampoo"):
        h, t = by.get(("hone", name)), by.get(("torch", name))
        if h is not None and t is not None:
            print(f"| {name} | {h:.3f} | {t:.3f} | {h / t:.2f}× |")
    if ("hone", "shampoo") in by and ("hone", "adamw") in by:
        print(f"Shampoo's step costs {by[('hone', 'shampoo')] / by[('hone', 'adamw')]:.0f}× AdamW's in Hone"
              + (f", {by[('torch', 'shampoo')] / by[('torch', 'adamw')]:.0f}× in torch" if ("torch", "shampoo") in by else ""))
