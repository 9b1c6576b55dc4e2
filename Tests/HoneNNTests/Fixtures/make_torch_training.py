"""Write torch_training.json: PyTorch reference vectors for replaying training in Swift.

Trains a small MLP (64-32-16-10, ReLU) on the first 256 rows of digits.csv for
100 mini-batch steps (batch 32) with Adam, AdamW and SGD+momentum, each case
starting from the same seeded initial weights. The JSON holds the raw pixels
(integers 0..16; inputs are pixel/16), labels, the batch indices of every step,
the initial parameters, and per case the loss before each step, the step-0
gradients and the final parameters. float32 values are written via float64 so
they round-trip exactly.

    /work/main/.venv-peers/bin/python Tests/HoneNNTests/Fixtures/make_torch_training.py
"""
import copy
import csv
import json
import os

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
DATA = os.path.join(ROOT, "Sources", "HoneNN", "Resources", "digits.csv")
OUT = os.path.join(HERE, "torch_training.json")

ROWS, BATCH, STEPS, LAYERS = 256, 32, 100, [64, 32, 16, 10]
CASES = {
    "adam": ({"lr": 1e-3, "weight_decay": 0},
             lambda p: torch.optim.Adam(p, lr=1e-3, foreach=False)),
    "adamw": ({"lr": 1e-3, "weight_decay": 1e-2},
              lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=1e-2, foreach=False)),
    "sgd_momentum": ({"lr": 0.05, "momentum": 0.9},
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, foreach=False)),
}


def params(model):
    """state_dict as nested float lists (float32 -> float64, exact)."""
    return {k: v.detach().double().tolist() for k, v in model.state_dict().items()}


def load_rows():
    with open(DATA, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        assert header[-1] == "label" and len(header) == 65
        rows = [[int(v) for v in r] for _, r in zip(range(ROWS), reader)]
    return [r[:64] for r in rows], [r[64] for r in rows]


def make_batches():
    batches, per_epoch = [], ROWS // BATCH
    for t in range(STEPS):
        e, k = divmod(t, per_epoch)
        if k == 0:
            perm = torch.randperm(ROWS, generator=torch.Generator().manual_seed(1000 + e))
        batches.append(perm[k * BATCH:(k + 1) * BATCH].tolist())
    return batches


def main():
    pixels, labels = load_rows()
    x = torch.tensor(pixels, dtype=torch.float32) / 16
    y = torch.tensor(labels, dtype=torch.long)
    batches = make_batches()

    torch.manual_seed(0)
    init = torch.nn.Sequential(
        torch.nn.Linear(64, 32), torch.nn.ReLU(),
        torch.nn.Linear(32, 16), torch.nn.ReLU(),
        torch.nn.Linear(16, 10),
    )

    cases = {}
    for name, (hyper, make_opt) in CASES.items():
        model = copy.deepcopy(init)
        opt = make_opt(model.parameters())
        losses, grads0 = [], None
        for t, b in enumerate(batches):
            idx = torch.tensor(b)
            opt.zero_grad()
            loss = F.cross_entropy(model(x[idx]), y[idx])
            losses.append(loss.item())
            loss.backward()
            if t == 0:
                grads0 = {k: p.grad.double().tolist() for k, p in model.named_parameters()}
            opt.step()
        cases[name] = {**hyper, "losses": losses, "grads_step0": grads0,
                       "final_params": params(model)}

    out = {
        "meta": {"torch": torch.__version__,
                 "note": "MLP 64-32-16-10 ReLU, default torch init after manual_seed(0); "
                         "x = pixel/16 (first 256 rows of digits.csv); cross_entropy mean; "
                         "losses are recorded before each step; foreach=False"},
        "x": pixels, "y": labels, "layers": LAYERS, "batches": batches,
        "initial_params": params(init), "cases": cases,
    }
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes)")
    for name, c in cases.items():
        print(f"{name:13s} losses {c['losses'][:3]} ... {c['losses'][-1]}")


if __name__ == "__main__":
    main()
