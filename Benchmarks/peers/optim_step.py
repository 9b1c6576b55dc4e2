"""Peer timings for one optimizer step, to print beside Hone's Swift numbers.

Times a single optimizer step on one float32 tensor of N parameters (random
normal params and grads, seeded) for PyTorch's Adam (fused and foreach), SGD
with momentum (foreach) and bitsandbytes' 8-bit Adam, all on the CPU, plus a
plain torch copy of N floats as a memory-bandwidth reference. Each peer gets
2 warm-up steps (the first allocates the optimizer state), then --repeats timed
steps; the median is reported.

    PY="$(Benchmarks/peers/setup.sh | tail -n 1)"
    "$PY" Benchmarks/peers/optim_step.py --threads 1 --json
"""
import argparse
import contextlib
import json
import os
import statistics
import sys
import time

# Bytes moved per parameter by one step, counting each tensor element read or
# written once (float32 = 4 bytes, 8-bit state = 1 byte); gb_per_s = B * N / s.
BYTES_PER_PARAM = {
    "adam32": 28,  # read p, g, m, v (16) + write p, m, v (12)
    "sgd_momentum": 20,  # read p, g, m (12) + write p, m (8)
    "adam8": 16,  # p read+write (8) + g (4) + two 1-byte states read+write (4)
    "copy": 8,  # read src (4) + write dst (4)
}
WARMUP = 2
BNB_MAX_REPEATS = 3  # bnb's CPU Adam8bit is far slower than the rest: cap it

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("--n", type=int, default=10_000_000, help="parameters (default 10M)")
ap.add_argument("--threads", type=int, help="intra-op threads (default: torch's)")
ap.add_argument("--repeats", type=int, default=10, help="timed steps (default 10)")
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--json", action="store_true", help="one JSON line per peer")
args = ap.parse_args()

# OpenMP/MKL read their thread counts when torch loads, so set them first.
if args.threads:
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(args.threads)

import torch  # noqa: E402

with contextlib.redirect_stdout(sys.stderr):  # keep stdout for results only
    try:
        import bitsandbytes as bnb
    except Exception as e:  # still time the torch peers
        bnb = None
        print(f"optim_step.py: bitsandbytes unavailable: {e}", file=sys.stderr)

if args.threads:
    torch.set_num_threads(args.threads)
threads = torch.get_num_threads()
n = args.n

gen = torch.Generator().manual_seed(args.seed)
params0 = torch.randn(n, generator=gen)
grad0 = torch.randn(n, generator=gen)


def median_seconds(step, repeats):
    """Median wall time of `step` over `repeats` calls, after WARMUP calls."""
    for _ in range(WARMUP):
        step()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def optimizer_step(make):
    """A step() for a fresh optimizer `make([p])` on a copy of the params."""
    p = torch.nn.Parameter(params0.clone())
    p.grad = grad0.clone()
    return make([p]).step


src, dst = params0.clone(), torch.empty_like(params0)
peers = [  # (label, byte-count key, step function factory, repeat cap)
    ("copy", "copy", lambda: (lambda: dst.copy_(src)), None),
    ("torch.Adam(fused)", "adam32",
     lambda: optimizer_step(lambda ps: torch.optim.Adam(ps, lr=1e-3, fused=True)), None),
    ("torch.Adam(foreach)", "adam32",
     lambda: optimizer_step(lambda ps: torch.optim.Adam(ps, lr=1e-3, foreach=True)), None),
    ("torch.SGD(momentum,foreach)", "sgd_momentum",
     lambda: optimizer_step(lambda ps: torch.optim.SGD(ps, lr=1e-3, momentum=0.9, foreach=True)), None),
]
if bnb is not None:
    peers.append(("bnb.Adam8bit", "adam8",
                  lambda: optimizer_step(lambda ps: bnb.optim.Adam8bit(ps, lr=1e-3)), BNB_MAX_REPEATS))

if not args.json:
    print(f"torch {torch.__version__}, bitsandbytes {bnb.__version__ if bnb else '-'}; "
          f"n={n:,}, threads={threads}, median of {args.repeats} steps after {WARMUP} warm-up")
    print(f"{'peer':<30}{'ms':>10}{'Mparam/s':>12}{'B/param':>9}{'GB/s':>8}")
for label, key, make, cap in peers:
    repeats = min(args.repeats, cap) if cap else args.repeats
    seconds = median_seconds(make(), repeats)
    b = BYTES_PER_PARAM[key]
    note = f"repeats capped at {cap} (slow on CPU)" if repeats < args.repeats else None
    if args.json:
        row = {"peer": label, "n": n, "threads": threads, "seconds": seconds,
               "mparams_per_s": n / seconds / 1e6, "bytes_per_param": b,
               "gb_per_s": b * n / seconds / 1e9, "repeats": repeats}
        if note:
            row["note"] = note
        print(json.dumps(row), flush=True)
    else:
        print(f"{label:<30}{seconds * 1e3:>10.2f}{n / seconds / 1e6:>12.1f}{b:>9}"
              f"{b * n / seconds / 1e9:>8.2f}" + (f"  ({note})" if note else ""), flush=True)
