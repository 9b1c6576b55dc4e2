"""PyTorch side of `hone compare`: the same optimizers on the same model and data, measured the same way.

Digits (digits.csv), a seeded 60/20/20 split (numpy permutation; pixels standardized on the
training part), MLP 64-256-256-10 with ReLU (or --activation tanh) from torch's default initialization seeded by
--seed, 30 epochs of shuffled batches of 64, mean cross-entropy. The optimizers and their
learning rates are `hone compare`'s defaults:

    sgd      torch.optim.SGD(lr=0.05, momentum=0.9)
    adamw    torch.optim.AdamW(lr=1e-3, weight_decay=0.01)
    lion     lion_pytorch.Lion(lr=1e-4)
    shampoo  torch_optimizer.Shampoo(lr=1e-3, update_freq=10); it has no grafting, and at lr 3e-3,
             0.01 and its default 0.1 it diverged on seed 0 (a non-finite factor stops its SVD)
    sam-sgd  SAM (Foret et al. 2021, rho=0.05) around SGD(lr=0.05, momentum=0.9), written here

Measured at the end, as Hone measures: test accuracy and loss, the mean training loss, the top
Hessian eigenvalue of the training loss (power iteration, 20 steps, Hessian-vector products by
double back-propagation), Hutchinson's trace (20 Rademacher vectors), the effective rank
(exp of the entropy of normalized singular values) of the penultimate representation of the
test set and the mean over the weight matrices, and the fraction of zero hidden activations.
One JSON line per optimizer.

    OPENBLAS_NUM_THREADS=1 .venv-peers/bin/python Benchmarks/peers/torch_compare.py --seed 0 --json
"""
import argparse
import json
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DATA = os.path.join(ROOT, "Sources", "HoneNN", "Resources", "digits.csv")
RATES = {"sgd": 0.05, "adamw": 1e-3, "lion": 1e-4, "shampoo": 1e-3, "sam-sgd": 0.05}


def split(seed):
    raw = np.loadtxt(DATA, delimiter=",", skiprows=1)
    x, y = raw[:, :-1], raw[:, -1].astype(np.int64)
    order = np.random.RandomState(seed).permutation(len(y))
    a, b = int(round(0.6 * len(y))), int(round(0.8 * len(y)))
    parts = [order[:a], order[a:b], order[b:]]
    mean, std = x[parts[0]].mean(0), x[parts[0]].std(0)
    std[std < 1e-12] = 1
    return [(torch.tensor((x[p] - mean) / std, dtype=torch.float32), torch.tensor(y[p])) for p in parts]


def make_optimizer(name, params):
    if name in ("sgd", "sam-sgd"):
        return torch.optim.SGD(params, lr=RATES[name], momentum=0.9)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=RATES[name], weight_decay=0.01)
    if name == "lion":
        import lion_pytorch
        return lion_pytorch.Lion(params, lr=RATES[name])
    import torch_optimizer
    return torch_optimizer.Shampoo(params, lr=RATES[name], update_freq=10)


def train(name, model, x, y, epochs, batch, seed):
    params = list(model.parameters())
    opt = make_optimizer(name, params)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        perm = torch.randperm(len(y), generator=gen)
        for start in range(0, len(y), batch):
            idx = perm[start:start + batch]
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            if name == "sam-sgd":
                grads = [p.grad.clone() for p in params]
                norm = torch.norm(torch.stack([g.norm() for g in grads]))
                scale = 0.05 / (norm + 1e-12)
                with torch.no_grad():
                    for p, g in zip(params, grads):
                        p.add_(g * scale)
                opt.zero_grad(set_to_none=True)
                F.cross_entropy(model(x[idx]), y[idx]).backward()
                with torch.no_grad():
                    for p, g in zip(params, grads):
                        p.sub_(g * scale)
            opt.step()


def hvp(model, x, y, v):
    params = list(model.parameters())
    loss = F.cross_entropy(model(x), y)
    grads = torch.autograd.grad(loss, params, create_graph=True)
    dot = sum((g * u).sum() for g, u in zip(grads, v))
    return torch.autograd.grad(dot, params)


def sharpness(model, x, y, seed, iterations=20, samples=20):
    gen = torch.Generator().manual_seed(seed)
    params = list(model.parameters())
    v = [torch.randn(p.shape, generator=gen) for p in params]
    norm = torch.sqrt(sum((u * u).sum() for u in v))
    v = [u / norm for u in v]
    value = 0.0
    for _ in range(iterations):
        hv = hvp(model, x, y, v)
        value = sum((a * b).sum() for a, b in zip(hv, v)).item()
        norm = torch.sqrt(sum((u * u).sum() for u in hv))
        v = [u / norm for u in hv]
    trace = []
    for _ in range(samples):
        z = [torch.randint(0, 2, p.shape, generator=gen).float() * 2 - 1 for p in params]
        trace.append(sum((a * b).sum() for a, b in zip(hvp(model, x, y, z), z)).item())
    return value, float(np.mean(trace))


def effective_rank(m):
    s = torch.linalg.svdvals(m.double())
    p = s / s.sum()
    p = p[p > 0]
    return float(torch.exp(-(p * p.log()).sum()))


def run(name, seed, epochs, batch, activation):
    (xtr, ytr), _, (xte, yte) = split(seed)
    torch.manual_seed(seed)
    nn = torch.nn
    act = nn.ReLU if activation == "relu" else nn.Tanh
    model = nn.Sequential(nn.Linear(64, 256), act(), nn.Linear(256, 256), act(), nn.Linear(256, 10))
    start = time.perf_counter()
    train(name, model, xtr, ytr, epochs, batch, seed)
    seconds = time.perf_counter() - start
    with torch.no_grad():
        logits = model(xte)
        hidden1 = model[1](model[0](xte))
        hidden2 = model[3](model[2](hidden1))
        result = {
            "impl": "torch", "optimizer": name, "seed": seed, "seconds": seconds,
            "test_accuracy": (logits.argmax(1) == yte).float().mean().item(),
            "test_loss": F.cross_entropy(logits, yte).item(),
            "train_loss": F.cross_entropy(model(xtr), ytr).item(),
            "representation_rank": effective_rank(hidden2),
            "mean_weight_rank": float(np.mean([effective_rank(m.weight) for m in (model[0], model[2], model[4])])),
            "sparsity": float(np.mean([(h == 0).float().mean().item() for h in (hidden1, hidden2)])),
        }
    result["sharpness"], result["hessian_trace"] = sharpness(model, xtr, ytr, seed)
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--optimizers", default="sgd,adamw,lion,shampoo,sam-sgd")
    ap.add_argument("--activation", choices=["relu", "tanh"], default="relu")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    for name in args.optimizers.split(","):
        result = run(name, args.seed, args.epochs, args.batch, args.activation)
        print(json.dumps(result) if args.json else result, flush=True)


if __name__ == "__main__":
    main()
