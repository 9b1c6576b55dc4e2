"""First-order DARTS in PyTorch on the digits, the same search and retraining as
`hone nas darts` (Benchmarks/darts.sh): NAS-Bench-201's five operations on a 3-cell, 8-channel
cell network (stem 3×3 conv + BN, cells, BN-ReLU-global pool-linear), architecture weights
shared by the cells; weights by SGD (0.025 cosine to 0.001 per step, momentum 0.9, weight decay
3e-4, gradient norm clipped at 5) on half the training part, α by Adam (betas 0.5/0.999, weight
decay 1e-3) on the other half, one step each per batch of 64; the cell (argmax per edge, none
left out) retrained with SGD (0.05 cosine, momentum 0.9, weight decay 5e-4), the epoch of best
validation accuracy kept, then tested. Digits (digits.csv), a seeded 60/20/20 split (numpy
permutation; pixels standardized on the training part), one thread. Prints one JSON document.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

import torch_compare

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]
C, CELLS, AREA = 8, 3, 64


def split(seed):
    """The digits' split of torch_compare.py, as [N, 1, 8, 8] images."""
    return [(x.view(-1, 1, 8, 8), y) for x, y in torch_compare.split(seed)]


class Zero(nn.Module):
    def forward(self, x):
        return x * 0


def make_op(name, affine):
    if name == "none":
        return Zero()
    if name == "skip_connect":
        return nn.Identity()
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=True)
    k = 1 if name == "nor_conv_1x1" else 3
    return nn.Sequential(nn.ReLU(), nn.Conv2d(C, C, k, padding=k // 2, bias=False), nn.BatchNorm2d(C, affine=affine))


def op_macs(name):
    return {"none": 0, "skip_connect": 0, "nor_conv_1x1": C * C * AREA, "nor_conv_3x3": 9 * C * C * AREA, "avg_pool_3x3": 9 * C * AREA}[name]


def network_macs(edge_ops):
    return 9 * C * AREA + CELLS * sum(op_macs(o) for ops in edge_ops for o in ops) + C * 10


class Network(nn.Module):
    """The cell network; `edge_ops` holds each edge's candidates (one for a discrete cell)."""

    def __init__(self, edge_ops, affine):
        super().__init__()
        self.edge_ops = edge_ops
        self.stem = nn.Sequential(nn.Conv2d(1, C, 3, padding=1, bias=False), nn.BatchNorm2d(C, affine=affine))
        self.cells = nn.ModuleList(
            nn.ModuleList(nn.ModuleList(make_op(o, affine) for o in ops) for ops in edge_ops) for _ in range(CELLS))
        self.head = nn.Sequential(nn.BatchNorm2d(C, affine=affine), nn.ReLU())
        self.classifier = nn.Linear(C, 10)

    def forward(self, x, weights=None):
        x = self.stem(x)
        for cell in self.cells:
            nodes = [x]
            for j in range(1, 4):
                total = 0
                for e, (to, frm) in enumerate(EDGES):
                    if to != j:
                        continue
                    for k, (name, op) in enumerate(zip(self.edge_ops[e], cell[e])):
                        if name == "none":
                            continue
                        out = op(nodes[frm])
                        total = total + (out if weights is None else weights[e, k] * out)
                nodes.append(total if torch.is_tensor(total) else torch.zeros_like(x))
            x = nodes[-1]
        return self.classifier(self.head(x).mean((2, 3)))


def cosine(step, total, lr, final):
    return final + (lr - final) * 0.5 * (1 + math.cos(math.pi * min(step, total) / total))


def search(x, y, seed, epochs, arch_lr):
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(len(y), generator=gen)
    half = len(y) // 2
    (xw, yw), (xa, ya) = (x[order[:half]], y[order[:half]]), (x[order[half:]], y[order[half:]])
    net = Network([OPS] * 6, affine=False)
    alpha = (1e-3 * torch.randn(6, len(OPS), generator=gen)).requires_grad_()
    w_opt = torch.optim.SGD(net.parameters(), lr=0.025, momentum=0.9, weight_decay=3e-4)
    a_opt = torch.optim.Adam([alpha], lr=arch_lr, betas=(0.5, 0.999), weight_decay=1e-3)
    steps_per_epoch = math.ceil(half / 64)
    macs, compute, step = network_macs([OPS] * 6), 0.0, 0
    for _ in range(epochs):
        net.train()
        perm_w = torch.randperm(half, generator=gen)
        perm_a = torch.randperm(len(ya), generator=gen)
        for b in range(steps_per_epoch):
            iw = perm_w[b * 64:(b + 1) * 64]
            ia = perm_a[(b * 64) % len(ya):(b * 64) % len(ya) + 64]
            a_opt.zero_grad()
            F.cross_entropy(net(xa[ia], F.softmax(alpha, 1)), ya[ia]).backward()
            a_opt.step()
            for g in w_opt.param_groups:
                g["lr"] = cosine(step, epochs * steps_per_epoch, 0.025, 0.001)
            w_opt.zero_grad()
            F.cross_entropy(net(xw[iw], F.softmax(alpha, 1).detach()), yw[iw]).backward()
            nn.utils.clip_grad_norm_(net.parameters(), 5)
            w_opt.step()
            compute += macs * (len(ia) + len(iw))
            step += 1
    rows = alpha.detach()
    cell = [OPS[1 + int(torch.argmax(r[1:]))] for r in rows]
    return cell, compute


def retrain(cell, data, seed, epochs):
    torch.manual_seed(seed)
    (xtr, ytr), (xva, yva), (xte, yte) = data
    net = Network([[o] for o in cell], affine=True)
    opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    steps, step = epochs * math.ceil(len(ytr) / 64), 0
    best, best_state = -1.0, None
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(len(ytr))
        for b in range(0, len(ytr), 64):
            i = perm[b:b + 64]
            for g in opt.param_groups:
                g["lr"] = cosine(step, steps, 0.05, 0.0)
            opt.zero_grad()
            F.cross_entropy(net(xtr[i]), ytr[i]).backward()
            opt.step()
            step += 1
        net.eval()
        with torch.no_grad():
            accuracy = (net(xva).argmax(1) == yva).float().mean().item()
        if accuracy > best:
            best, best_state = accuracy, {k: v.clone() for k, v in net.state_dict().items()}
    net.load_state_dict(best_state)
    net.eval()
    with torch.no_grad():
        test = (net(xte).argmax(1) == yte).float().mean().item()
    return test, best, network_macs([[o] for o in cell]) * len(ytr) * epochs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=15)
    ap.add_argument("--arch-lr", type=float, default=3e-3)
    ap.add_argument("--retrain-epochs", type=int, default=10)
    args = ap.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    data = split(args.seed)
    start = time.perf_counter()
    cell, search_compute = search(*data[0], args.seed, args.epochs, args.arch_lr)
    search_seconds = time.perf_counter() - start
    start = time.perf_counter()
    test, validation, retrain_compute = retrain(cell, data, args.seed, args.retrain_epochs)
    cell_string = "|{}~0|+|{}~0|{}~1|+|{}~0|{}~1|{}~2|".format(*cell)
    print(json.dumps({"cell": cell_string, "multiply_accumulates": search_compute + retrain_compute,
                      "search": {"seconds": search_seconds, "multiply_accumulates": search_compute},
                      "retrained": {"test_accuracy": test, "validation_accuracy": validation, "seconds": time.perf_counter() - start,
                                    "multiply_accumulates": retrain_compute}}))


if __name__ == "__main__":
    main()
