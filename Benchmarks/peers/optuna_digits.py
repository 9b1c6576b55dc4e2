"""Optuna + PyTorch peer of `hone demo`: the same digits MLP study, run with Optuna.

Data: Sources/HoneNN/Resources/digits.csv (1,797 rows; columns p0..p63 then
``label``, 10 classes). The rows are permuted with numpy default_rng(0) and cut
60/20/20 into train (1,078), validation (359) and test (360) rows (the part sizes
are rounded as Hone's Dataset.split does). Features are standardized with the
training part's mean and population std (std < 1e-6 replaced by 1). float32
tensors, torch.set_num_threads(1).

Each trial suggests

    optimizer     categorical  sgd, adamw, lion, exadam, adamw8bit
    lr            float, log   [1e-4, 0.3]
    weight_decay  float, log   [1e-6, 0.1]
    width         int, log     [64, 512]
    depth         int          [1, 3]
    dropout       float        [0, 0.5]
    batch_size    categorical  32, 64, 128
    schedule      categorical  cosine, cosine-power

and trains an MLP (``depth`` x [Linear(width), ReLU, Dropout], then Linear to 10
classes; default PyTorch init after torch.manual_seed(0)) for up to --epochs
epochs with CrossEntropyLoss(label_smoothing=0.1). Mini-batches come from one
torch.Generator seeded 0 per trial (a fresh permutation every epoch; the last
batch may be smaller).

Optimizers: sgd = SGD(momentum=0.9, weight_decay=wd); adamw = AdamW(weight_decay=wd);
lion = lion_pytorch.Lion if importable, else the Lion below (Chen et al. 2023,
betas (0.9, 0.99), decoupled weight decay); exadam = AdamW (no PyTorch ExAdam
package is used; noted once on stderr); adamw8bit = bitsandbytes.optim.AdamW8bit
if it imports and steps on CPU, else AdamW (noted once on stderr).

Schedules: cosine = CosineAnnealingLR(T_max=epochs*steps_per_epoch, eta_min=0),
stepped after every batch; cosine-power = cosine power annealing (Hundt et al.
2019) set at the start of epoch e = 0..E-1:

    c_e  = (1 + cos(pi*e/(E-1)))/2
    lr_e = min_lr + (max_lr - min_lr)*(p^(c_e+1) - p)/(p^2 - p),  p = 10,
    max_lr = lr, min_lr = lr/1000

After every epoch the validation accuracy is reported (steps numbered from 1) and
the trial is pruned if the pruner says so; the trial's value is its best
validation accuracy (the weights of that epoch are kept). After the study the
best trial is retrained (deterministic: same seeds) with its best epoch's
weights restored and evaluated on the test part once. The last line of stdout
is one JSON object.

    .venv-peers/bin/python Benchmarks/peers/optuna_digits.py --sampler tpe --trials 40 --seed 1
"""

import argparse
import copy
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import optuna
import torch
from torch import nn

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_DATA = os.path.join(ROOT, "Sources", "HoneNN", "Resources", "digits.csv")

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)

OPTIMIZERS = ["sgd", "adamw", "lion", "exadam", "adamw8bit"]

_noted = set()


def note_once(key, message):
    if key not in _noted:
        _noted.add(key)
        print(f"note: {message}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- data

def load_splits(path):
    """(train, validation, test) as (float32 features, int64 labels) tensor pairs."""
    with open(path) as f:
        header = f.readline().strip().split(",")
    raw = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.float64)
    label_col = header.index("label") if "label" in header else len(header) - 1
    features = np.delete(raw, label_col, axis=1)
    labels = raw[:, label_col].astype(np.int64)
    n = len(labels)
    perm = np.random.default_rng(0).permutation(n)
    train_end = int(round(n * 0.6))
    val_end = min(n, train_end + int(round(n * 0.2)))
    parts = [perm[:train_end], perm[train_end:val_end], perm[val_end:]]
    train_x = features[parts[0]]
    mean = train_x.mean(axis=0)
    std = train_x.std(axis=0)  # population std (ddof=0)
    std[std < 1e-6] = 1.0
    out = []
    for idx in parts:
        x = ((features[idx] - mean) / std).astype(np.float32)
        out.append((torch.from_numpy(x), torch.from_numpy(labels[idx])))
    return out, int(labels.max()) + 1


# ----------------------------------------------------------------------------- optimizers

class Lion(torch.optim.Optimizer):
    """Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms").

        c = beta1*m + (1 - beta1)*g;  p -= lr*wd*p;  p -= lr*sign(c);  m = beta2*m + (1 - beta2)*g
    """

    def __init__(self, params, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, weight_decay=weight_decay))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, wd = group["lr"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad
                state = self.state[p]
                if not state:
                    state["exp_avg"] = torch.zeros_like(p)
                m = state["exp_avg"]
                update = m.mul(beta1).add_(g, alpha=1 - beta1).sign_()
                if wd != 0:
                    p.mul_(1 - lr * wd)
                p.add_(update, alpha=-lr)
                m.mul_(beta2).add_(g, alpha=1 - beta2)
        return loss


def _lion_class():
    try:
        from lion_pytorch import Lion as PackagedLion  # noqa: WPS433
        return PackagedLion, "lion_pytorch.Lion"
    except Exception:  # not installed: the implementation above
        return Lion, "built-in Lion"


_adamw8bit = None  # resolved on first use: the class, or False when unusable


def _adamw8bit_class():
    global _adamw8bit
    if _adamw8bit is None:
        try:
            import bitsandbytes as bnb  # noqa: WPS433
            probe = nn.Linear(4, 4)
            opt = bnb.optim.AdamW8bit(probe.parameters(), lr=1e-3)
            probe(torch.ones(2, 4)).sum().backward()
            opt.step()
            _adamw8bit = bnb.optim.AdamW8bit
        except Exception as error:  # no bitsandbytes, or no CPU backend
            _adamw8bit = False
            note_once("adamw8bit", f"bitsandbytes AdamW8bit unusable on CPU ({type(error).__name__}: {error}); "
                                   "adamw8bit falls back to torch.optim.AdamW")
    return _adamw8bit


def make_optimizer(name, params, lr, wd):
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.9, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if name == "lion":
        cls, _ = _lion_class()
        return cls(params, lr=lr, betas=(0.9, 0.99), weight_decay=wd)
    if name == "exadam":
        note_once("exadam", "no ExAdam implementation for PyTorch is used; exadam runs as torch.optim.AdamW")
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    if name == "adamw8bit":
        cls = _adamw8bit_class()
        if cls:
            return cls(params, lr=lr, weight_decay=wd)
        return torch.optim.AdamW(params, lr=lr, weight_decay=wd)
    raise ValueError(f"unknown optimizer {name!r}")


# ----------------------------------------------------------------------------- training

def cosine_power_rates(epochs, max_lr, min_lr, p=10.0):
    """Cosine power annealing as Hone computes it (Hundt et al. 2019): for epochs e = 1..E,
    q_e = p^(c_e + 1) with c_e = (1 + cos(pi e / E)) / 2, rescaled to [0, 1], so the first
    epoch gets max_lr and the last min_lr."""
    q = [p ** ((1 + math.cos(math.pi * e / epochs)) / 2 + 1) for e in range(1, epochs + 1)]
    low, high = min(q), max(q) - min(q)
    return [min_lr + (max_lr - min_lr) * (v - low) / high for v in q]


def build_model(inputs, classes, width, depth, dropout):
    torch.manual_seed(0)
    layers, size = [], inputs
    for _ in range(depth):
        layers += [nn.Linear(size, width), nn.ReLU(), nn.Dropout(dropout)]
        size = width
    layers.append(nn.Linear(size, classes))
    return nn.Sequential(*layers)


@torch.no_grad()
def accuracy(model, data):
    x, y = data
    model.eval()
    return (model(x).argmax(dim=1) == y).float().mean().item()


def train(params, data, classes, epochs, on_epoch):
    """Trains the model of `params`; returns it with its best validation epoch's weights."""
    (train_x, train_y), validation = data[0], data[1]
    model = build_model(train_x.shape[1], classes, params["width"], params["depth"], params["dropout"])
    lr, batch_size = params["lr"], params["batch_size"]
    optimizer = make_optimizer(params["optimizer"], model.parameters(), lr, params["weight_decay"])
    n = train_x.shape[0]
    steps_per_epoch = (n + batch_size - 1) // batch_size
    if params["schedule"] == "cosine":
        scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * steps_per_epoch, eta_min=0.0)
        epoch_rates = None
    else:
        scheduler = None
        epoch_rates = cosine_power_rates(epochs, lr, lr / 1000)
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    shuffle = torch.Generator().manual_seed(0)
    best_acc, best_state = -1.0, None
    for epoch in range(epochs):
        if epoch_rates is not None:
            for group in optimizer.param_groups:
                group["lr"] = epoch_rates[epoch]
        model.train()
        for idx in torch.randperm(n, generator=shuffle).split(batch_size):
            loss = loss_fn(model(train_x[idx]), train_y[idx])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            if scheduler is not None:
                scheduler.step()
        acc = accuracy(model, validation)
        if acc > best_acc:
            best_acc = acc
            best_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
        on_epoch(epoch + 1, acc)  # may raise optuna.TrialPruned
    model.load_state_dict(best_state)
    return model, best_acc


# ----------------------------------------------------------------------------- study

def suggest(trial):
    return {
        "optimizer": trial.suggest_categorical("optimizer", OPTIMIZERS),
        "lr": trial.suggest_float("lr", 1e-4, 0.3, log=True),
        "weight_decay": trial.suggest_float("weight_decay", 1e-6, 0.1, log=True),
        "width": trial.suggest_int("width", 64, 512, log=True),
        "depth": trial.suggest_int("depth", 1, 3),
        "dropout": trial.suggest_float("dropout", 0.0, 0.5),
        "batch_size": trial.suggest_categorical("batch_size", [32, 64, 128]),
        "schedule": trial.suggest_categorical("schedule", ["cosine", "cosine-power"]),
    }


def make_sampler(name, seed):
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise ValueError(f"unknown sampler {name!r}")


def make_pruner(name):
    if name == "median":
        return optuna.pruners.MedianPruner()
    if name == "nop":
        return optuna.pruners.NopPruner()
    raise ValueError(f"unknown pruner {name!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sampler", choices=["gp", "tpe", "random"], default="gp")
    parser.add_argument("--pruner", choices=["median", "nop"], default="median")
    parser.add_argument("--trials", type=int, default=40)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", default=DEFAULT_DATA, help="digits CSV (default: the bundled one)")
    parser.add_argument("--quiet", action="store_true", help="no per-trial lines on stderr")
    args = parser.parse_args()
    if args.trials < 1:
        parser.error("--trials must be at least 1")
    if args.epochs < 2:
        parser.error("--epochs must be at least 2 (cosine-power needs it)")

    started = time.perf_counter()
    torch.set_num_threads(1)
    data, classes = load_splits(args.data)

    def objective(trial):
        params = suggest(trial)

        def on_epoch(epoch, acc):
            trial.report(acc, epoch)
            if trial.should_prune():
                raise optuna.TrialPruned()

        _, best = train(params, data, classes, args.epochs, on_epoch)
        return best

    def progress(study, trial):
        if args.quiet:
            return
        steps = max(trial.intermediate_values) if trial.intermediate_values else 0
        value = "" if trial.value is None else f" value {trial.value:.4f}"
        print(f"trial {trial.number}: {trial.state.name.lower()} after {steps} epochs{value} "
              f"({time.perf_counter() - started:.1f}s)", file=sys.stderr, flush=True)

    study = optuna.create_study(direction="maximize", sampler=make_sampler(args.sampler, args.seed),
                                pruner=make_pruner(args.pruner))
    study.optimize(objective, n_trials=args.trials, callbacks=[progress])

    best = study.best_trial
    model, retrained_val = train(best.params, data, classes, args.epochs, lambda e, a: None)
    test_acc = accuracy(model, data[2])
    seconds = time.perf_counter() - started

    if abs(retrained_val - best.value) > 1e-9:
        print(f"warning: the retrained best validation accuracy {retrained_val:.6f} differs from "
              f"the trial's {best.value:.6f}", file=sys.stderr)
    if "lion" in [t.params.get("optimizer") for t in study.trials]:
        note_once("lion", f"lion runs as {_lion_class()[1]}")
    if not args.quiet:
        print(f"best trial #{best.number}: " + " ".join(f"{k}={best.params[k]}" for k in sorted(best.params)),
              file=sys.stderr)

    trials = study.get_trials(deepcopy=False)
    pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in trials)
    print(json.dumps({
        "peer": "optuna+torch", "sampler": args.sampler, "seed": args.seed, "best_trial": best.number,
        "val_accuracy": best.value, "test_accuracy": test_acc, "trials": len(trials), "pruned": pruned,
        "seconds": round(seconds, 3),
    }), flush=True)


if __name__ == "__main__":
    main()
