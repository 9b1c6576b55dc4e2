"""Reads JSON lines of TrainingBenchmark (impl "hone") and peers/torch_training.py (impl "torch")
and prints a Markdown table: the median samples/s of each over the rounds, the ratio, and
Hone's resident memory after timed epoch 5 and after the last."""
import json
import statistics
import sys

rows = [json.loads(line) for line in sys.stdin if line.strip().startswith("{")]
configs = sorted({(r["model"], r["batch"]) for r in rows}, key=lambda c: (c[0] != "mlp", c[1]))
print("| model | batch | Hone samples/s | PyTorch samples/s | Hone / PyTorch | Hone RSS after epoch 5 → last (MiB) |")
print("|---|---:|---:|---:|---:|---|")
for model, batch in configs:
    mine = [r for r in rows if r["impl"] == "hone" and r["model"] == model and r["batch"] == batch]
    peer = [r for r in rows if r["impl"] == "torch" and r["model"] == model and r["batch"] == batch]
    h = statistics.median(r["samples_per_second"] for r in mine)
    t = statistics.median(r["samples_per_second"] for r in peer)
    name = "MLP 64-256-256-10" if model == "mlp" else "CNN (2 conv + pool)"
    memory = f"{mine[-1]['rss_mb_epoch5']:.1f} → {mine[-1]['rss_mb_last']:.1f} (epoch {mine[-1]['epochs']})"
    print(f"| {name} | {batch} | {h:,.0f} | {t:,.0f} | {h / t:.2f}× | {memory} |")
