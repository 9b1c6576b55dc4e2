"""Reads the JSON lines of demo_study.sh and prints, per configuration, the mean validation and
test accuracy, the worst test accuracy, the mean number of pruned trials and the mean seconds
over the seeds, with Optuna + PyTorch's seconds over Hone's for the same sampler and pruner."""
import json
import statistics
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip()]
groups = {}
for row in rows:
    groups.setdefault((row["who"], row["sampler"], row["pruner"]), []).append(row["result"])
print("| study | sampler | pruner | seeds | val acc (mean) | test acc (mean) | test acc (min) | pruned (mean) | seconds (mean) | peer s / Hone s |")
print("|---|---|---|---:|---:|---:|---:|---:|---:|---:|")
for (who, sampler, pruner), results in groups.items():
    seconds = statistics.mean(r["seconds"] for r in results)
    ratio = ""
    if who == "hone" and ("optuna+torch", sampler, pruner) in groups:
        peer = statistics.mean(r["seconds"] for r in groups[("optuna+torch", sampler, pruner)])
        ratio = f"{peer / seconds:.1f}×"
    print(f"| {who} | {sampler} | {pruner} | {len(results)} | {statistics.mean(r['val_accuracy'] for r in results):.4f} "
          f"| {statistics.mean(r['test_accuracy'] for r in results):.4f} | {min(r['test_accuracy'] for r in results):.4f} "
          f"| {statistics.mean(r['pruned'] for r in results):.1f} | {seconds:.1f} | {ratio} |")
