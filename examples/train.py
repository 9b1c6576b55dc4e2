#!/usr/bin/env python3
"""A small training script that Hone can tune (standard library only).

Fits a ridge regression by full-batch gradient descent on a fixed synthetic problem (a noisy
linear target of 8 correlated features, 400 training and 200 validation points) and reports
the validation mean squared error after each epoch in the lines Hone reads:

    hone: step=<epoch> value=<validation MSE>     after every epoch
    hone: value=<final validation MSE>            at the end

Run it alone:  python3 train.py --lr 0.1 --l2 1e-4 --epochs 20
Tune it:       hone tune --study logreg --space-file space.json --trials 30 --pruner median \\
                 -- python3 train.py --lr {lr} --l2 {l2} --epochs {epochs}

A learning rate that is too high (above about 0.5 here) makes the loss blow up: the script then says so on stderr
and exits with status 3, which Hone records as a failed trial.
"""
import argparse
import math
import random
import sys
import time


TRUE_WEIGHTS = [1.5, -2.0, 0.0, 0.7, 0.0, -0.3, 1.0, 0.0]


def make_data(n, rng):
    rows = []
    for _ in range(n):
        shared = rng.gauss(0, 1)
        x = [0.6 * shared + 0.8 * rng.gauss(0, 1) for _ in TRUE_WEIGHTS]
        rows.append((x, sum(w * xi for w, xi in zip(TRUE_WEIGHTS, x)) + rng.gauss(0, 0.5)))
    return rows


def mse(weights, bias, rows):
    return sum((bias + sum(w * xi for w, xi in zip(weights, x)) - y) ** 2 for x, y in rows) / len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lr", type=float, required=True)
    parser.add_argument("--l2", type=float, default=0.0)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to sleep per epoch (to mimic a slower model)")
    args = parser.parse_args()

    rng = random.Random(0)
    train, valid = make_data(400, rng), make_data(200, rng)
    weights, bias = [0.0] * 8, 0.0
    loss = mse(weights, bias, valid)
    for epoch in range(1, args.epochs + 1):
        grad_w, grad_b = [0.0] * 8, 0.0
        for x, y in train:
            error = bias + sum(w * xi for w, xi in zip(weights, x)) - y
            for j in range(8):
                grad_w[j] += 2 * error * x[j] / len(train)
            grad_b += 2 * error / len(train)
        weights = [w - args.lr * (g + args.l2 * w) for w, g in zip(weights, grad_w)]
        bias -= args.lr * grad_b
        loss = mse(weights, bias, valid)
        if not math.isfinite(loss) or loss > 1e6:
            print(f"diverged at epoch {epoch}: validation loss {loss}; lower the learning rate", file=sys.stderr)
            sys.exit(3)
        print(f"hone: step={epoch} value={loss:.6f}", flush=True)
        time.sleep(args.delay)
    print(f"hone: value={loss:.6f}")


if __name__ == "__main__":
    main()
