"""PyTorch's latency of the cell networks `hone nas latency --json` measured: each network
(stem 3×3 conv + BN, 3 cells of 8 channels, BN-ReLU-global pool-linear; NAS-Bench-201's
operations) in evaluation mode under torch.no_grad, one thread, 5 warm-up passes then the
median of 30 timed ones, on a [batch, 1, 8, 8] input. Prints {"median_ms": [...]} in the
order of the input's cells."""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
EDGES = [(1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2)]
C, CELLS = 8, 3


def make_op(name):
    if name == "skip_connect":
        return nn.Identity()
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=True)
    if name == "none":
        return None
    k = 1 if name == "nor_conv_1x1" else 3
    return nn.Sequential(nn.ReLU(), nn.Conv2d(C, C, k, padding=k // 2, bias=False), nn.BatchNorm2d(C))


class Network(nn.Module):
    def __init__(self, ops):
        super().__init__()
        self.ops = ops
        self.stem = nn.Sequential(nn.Conv2d(1, C, 3, padding=1, bias=False), nn.BatchNorm2d(C))
        self.cells = nn.ModuleList(nn.ModuleList(make_op(o) or nn.Identity() for o in ops) for _ in range(CELLS))
        self.head = nn.Sequential(nn.BatchNorm2d(C), nn.ReLU())
        self.classifier = nn.Linear(C, 10)

    def forward(self, x):
        x = self.stem(x)
        for cell in self.cells:
            nodes = [x]
            for j in range(1, 4):
                total = None
                for e, (to, frm) in enumerate(EDGES):
                    if to == j and self.ops[e] != "none":
                        out = cell[e](nodes[frm])
                        total = out if total is None else total + out
                nodes.append(total if total is not None else torch.zeros_like(x))
            x = nodes[-1]
        return self.classifier(self.head(x).mean((2, 3)))


def parse(cell):
    return [part.split("~")[0] for node in cell.split("+") for part in node.strip("|").split("|")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", required=True, help="the JSON of hone nas latency --json")
    ap.add_argument("--batch", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(1)
    cells = [c["cell"] for c in json.load(open(args.cells))["cells"]]
    x = torch.randn(args.batch, 1, 8, 8)
    medians = []
    with torch.no_grad():
        for cell in cells:
            net = Network(parse(cell)).eval()
            for _ in range(5):
                net(x)
            times = []
            for _ in range(30):
                start = time.perf_counter()
                net(x)
                times.append(time.perf_counter() - start)
            medians.append(statistics.median(times) * 1e3)
    print(json.dumps({"median_ms": medians}))


if __name__ == "__main__":
    main()
