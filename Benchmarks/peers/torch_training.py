"""PyTorch side of the training-throughput benchmark (a Swift program does the same work).

Trains an MLP (64-256-256-10) or a small CNN (two 3x3 conv + 2x2 max-pool
blocks, then Linear(128, 10)) on all 1,797 rows of digits.csv, pixels
standardized per column, with Adam(lr=1e-3) (or --optimizer adamw, or shampoo:
torch-optimizer's Shampoo with its inverse roots refreshed every 10 steps) and mean
cross-entropy; the optimizer step alone is also timed (step_ms). Each epoch
shuffles the rows with one torch.Generator seeded 0 (advancing across epochs)
and walks the mini-batches in order (the last one may be smaller). One untimed
warm-up epoch, then --epochs timed epochs; reports samples/second, the mean
loss of the last epoch and the peak resident set size.

    OPENBLAS_NUM_THREADS=1 .venv-peers/bin/python Benchmarks/peers/torch_training.py \
        --model mlp --batch 64 --epochs 20 --threads 1 --json
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_DATA = os.path.join(ROOT, "Sources", "HoneNN", "Resources", "digits.csv")


def load(path):
    """Standardized float32 pixels [N, 64] and int64 labels [N]."""
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    pixels, labels = raw[:, :-1], raw[:, -1].astype(np.int64)
    std = pixels.std(axis=0)  # population std (ddof=0)
    std[std == 0] = 1.0
    x = ((pixels - pixels.mean(axis=0)) / std).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(labels)


def build(kind):
    torch.manual_seed(0)
    nn = torch.nn
    if kind == "mlp":
        return nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(),
                             nn.Linear(256, 10))
    return nn.Sequential(
        nn.Unflatten(1, (1, 8, 8)),
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(128, 10),
    )


STEP_SECONDS = [0.0, 0]  # total seconds in opt.step() and the number of steps


def make_optimizer(name, params):
    if name == "adam":
        return torch.optim.Adam(params, lr=1e-3)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=1e-3)
    import torch_optimizer
    return torch_optimizer.Shampoo(params, lr=1e-3, update_freq=10)


def epoch(model, opt, x, y, batch, gen):
    """One shuffled pass; returns the mean of the per-batch losses."""
    perm = torch.randperm(x.shape[0], generator=gen)
    total, count = 0.0, 0
    for start in range(0, x.shape[0], batch):
        idx = perm[start:start + batch]
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x[idx]), y[idx])
        loss.backward()
        step_start = time.perf_counter()
        opt.step()
        STEP_SECONDS[0] += time.perf_counter() - step_start
        STEP_SECONDS[1] += 1
        total += loss.item()
        count += 1
    return total / count


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=["mlp", "cnn"], required=True)
    ap.add_argument("--batch", type=int, required=True)
    ap.add_argument("--epochs", type=int, default=20, help="timed epochs")
    ap.add_argument("--data", default=DEFAULT_DATA)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--optimizer", choices=["adam", "adamw", "shampoo"], default="adam")
    ap.add_argument("--json", action="store_true", help="print exactly one JSON line")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(args.threads)
    x, y = load(args.data)
    model = build(args.model)
    opt = make_optimizer(args.optimizer, model.parameters())
    gen = torch.Generator().manual_seed(0)

    epoch(model, opt, x, y, args.batch, gen)  # warm-up, untimed
    STEP_SECONDS[:] = [0.0, 0]
    start = time.perf_counter()
    for _ in range(args.epochs):
        final_loss = epoch(model, opt, x, y, args.batch, gen)
    seconds = time.perf_counter() - start

    result = {
        "impl": "torch", "version": torch.__version__, "model": args.model, "optimizer": args.optimizer,
        "step_ms": STEP_SECONDS[0] / max(STEP_SECONDS[1], 1) * 1e3,
        "batch": args.batch, "threads": args.threads, "epochs": args.epochs,
        "samples_per_second": args.epochs * x.shape[0] / seconds,
        "seconds": seconds, "final_loss": final_loss,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"torch {result['version']} {args.model} batch={args.batch} threads={args.threads}: "
              f"{result['samples_per_second']:,.0f} samples/s over {args.epochs} epochs "
              f"({seconds:.3f} s), final loss {final_loss:.4f}, rss {result['rss_mb']:.1f} MB",
              file=sys.stdout)


if __name__ == "__main__":
    main()
