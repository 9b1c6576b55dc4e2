"""The README's examples: the quick start as written, and the PyTorch example's code path
without torch (same hone calls, a pure-Python model)."""

import math
import random
import re
from pathlib import Path

import hone
from hone import TrialState

README = Path(__file__).resolve().parents[1] / "README.md"


def python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_quick_start_runs_as_written(make_study, tmp_path, monkeypatch, capsys):
    code = python_blocks()[0]
    assert "suggest_float" in code and 'storage="sqlite:///hone.db"' in code
    monkeypatch.chdir(tmp_path)  # make_study set HONE_BIN; the relative sqlite file lands here
    exec(compile(code, str(README), "exec"), {})
    best_value, _ = capsys.readouterr().out.split(" ", 1)
    assert float(best_value) < 2.0
    assert (tmp_path / "hone.db").exists()


def test_the_pytorch_example_readme_block_uses_what_the_mirror_tests():
    code = python_blocks()[1]
    for call in ['suggest_float("lr", 1e-4, 1e-1, log=True)', 'suggest_int("hidden", 8, 128, log=True)',
                 'suggest_categorical("optimizer", ["adam", "sgd"])', "trial.report(accuracy, epoch)",
                 "trial.should_prune()", "raise hone.TrialPruned()", 'direction="maximize"', 'pruner="median"',
                 "study.optimize(objective, n_trials=40)", "study.best_params",
                 "study.get_trials(states=[hone.TrialState.PRUNED])"]:
        assert call in code, call


def make_data(seed=0):
    """A linearly separable-ish problem like the README's: label = sum of 5 inputs > 0."""
    rng = random.Random(seed)
    rows = [[rng.gauss(0, 1) for _ in range(20)] for _ in range(240)]
    labels = [int(sum(r[:5]) > 0) for r in rows]
    return rows[:180], labels[:180], rows[180:], labels[180:]


def test_the_pytorch_example_code_path_without_torch(make_study, capsys):
    train_x, train_y, valid_x, valid_y = make_data()

    def objective(trial):
        lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
        hidden = trial.suggest_int("hidden", 8, 128, log=True)  # unused by the linear model, as a stand-in
        optimizer_name = trial.suggest_categorical("optimizer", ["adam", "sgd"])
        assert 8 <= hidden <= 128
        weights = [0.0] * 20
        momentum = [0.0] * 20
        beta = 0.9 if optimizer_name == "adam" else 0.0
        for epoch in range(20):
            gradient = [0.0] * 20
            for x, y in zip(train_x, train_y):
                p = 1 / (1 + math.exp(-sum(w * v for w, v in zip(weights, x))))
                for i, v in enumerate(x):
                    gradient[i] += (p - y) * v / len(train_x)
            momentum = [beta * m + g for m, g in zip(momentum, gradient)]
            weights = [w - 10 * lr * m for w, m in zip(weights, momentum)]
            accuracy = sum((sum(w * v for w, v in zip(weights, x)) > 0) == bool(y)
                           for x, y in zip(valid_x, valid_y)) / len(valid_y)
            trial.report(accuracy, epoch)
            if trial.should_prune():
                raise hone.TrialPruned()
        return accuracy

    study = make_study(study_name="mlp", direction="maximize", sampler="tpe", pruner="median", seed=1)
    with study:
        study.optimize(objective, n_trials=20)
        print(f"best accuracy {study.best_value:.3f} with {study.best_params}")
        pruned = study.get_trials(states=[hone.TrialState.PRUNED])
        print(f"{len(pruned)} of {len(study.trials)} trials were pruned")
        assert study.best_value >= 0.8
        assert set(study.best_params) == {"lr", "hidden", "optimizer"}
        assert len(study.trials) == 20
        assert all(t.state in (TrialState.COMPLETE, TrialState.PRUNED) for t in study.trials)
    assert "trials were pruned" in capsys.readouterr().out
