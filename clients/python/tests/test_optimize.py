"""Study.optimize against the real hone binary: search, pruning, failures, callbacks, timeouts."""

import math
import time

import pytest

import hone
from hone import TrialState


def quadratic(trial):
    x = trial.suggest_float("x", -5, 5)
    y = trial.suggest_float("y", -5, 5)
    return (x - 2) ** 2 + (y + 1) ** 2


def test_tpe_finds_the_minimum_of_a_quadratic(make_study):
    study = make_study(study_name="quadratic", sampler="tpe", seed=1)
    study.optimize(quadratic, n_trials=30)
    assert study.best_value < 1.0, study.best_trial
    assert abs(study.best_params["x"] - 2) < 1.0 and abs(study.best_params["y"] + 1) < 1.0
    assert isinstance(study.best_params["x"], float)
    trials = study.trials
    assert len(trials) == 30 and all(t.state == TrialState.COMPLETE for t in trials)
    assert study.best_trial.number in [t.number for t in trials]
    assert study.best_value == min(t.value for t in trials)


def test_define_by_run_parameters_have_their_types_and_ranges(make_study):
    seen = []

    def objective(trial):
        kind = trial.suggest_categorical("kind", ["linear", "tree", 3, 0.5, True])
        if kind == "tree":
            depth = trial.suggest_int("depth", 2, 10, step=2)
            assert isinstance(depth, int) and depth in (2, 4, 6, 8, 10)
        else:
            lr = trial.suggest_float("lr", 1e-4, 1e-1, log=True)
            assert isinstance(lr, float) and 1e-4 <= lr <= 1e-1
        units = trial.suggest_int("units", 1, 64, log=True)
        assert isinstance(units, int) and 1 <= units <= 64
        ratio = trial.suggest_float("ratio", 0, 1, step=0.25)
        assert ratio in (0.0, 0.25, 0.5, 0.75, 1.0)
        assert trial.suggest_int("units", 1, 64, log=True) == units, "a second suggest returns the first value"
        seen.append((kind, trial.params))
        return units * ratio

    study = make_study(sampler="random", seed=3)
    study.optimize(objective, n_trials=25)
    for kind, params in seen:
        assert (type(kind), kind) in [(str, "linear"), (str, "tree"), (int, 3), (float, 0.5), (bool, True)]
        assert ("depth" in params) == (kind == "tree") and ("lr" in params) == (kind != "tree")
    stored = {t.number: t.params for t in study.trials}
    assert [p for _, p in seen] == [stored[n] for n in sorted(stored)], "the storage holds what was suggested"


def test_median_pruner_prunes_some_trials(make_study):
    study = make_study(pruner="median", sampler="random", seed=2)
    states = []

    def objective(trial):
        x = trial.suggest_float("x", -5, 5)
        for step in range(8):
            trial.report((x - 1) ** 2 + 1.0 / (step + 1), step)
            if trial.should_prune():
                raise hone.TrialPruned()
        return (x - 1) ** 2

    study.optimize(objective, n_trials=30, callbacks=[lambda s, t: states.append(t.state)])
    assert states.count(TrialState.PRUNED) > 0
    assert states.count(TrialState.COMPLETE) >= 5
    pruned = study.get_trials(states=["pruned"])
    assert len(pruned) == states.count(TrialState.PRUNED)
    assert all(0 < len(t.intermediate_values) <= 8 for t in pruned)
    assert all(t.value == t.intermediate_values[max(t.intermediate_values)] for t in pruned)


def test_an_exception_fails_the_trial_and_is_reraised(make_study):
    study = make_study()

    def objective(trial):
        raise ZeroDivisionError("boom")

    with pytest.raises(ZeroDivisionError, match="boom"):
        study.optimize(objective, n_trials=5)
    trials = study.trials
    assert [t.state for t in trials] == [TrialState.FAIL], "optimize stops at the first uncaught error"


def test_catch_records_failures_and_goes_on(make_study):
    study = make_study()

    def objective(trial):
        if trial.number % 2 == 1:
            raise ValueError("odd trial")
        return float(trial.number)

    study.optimize(objective, n_trials=6, catch=(ValueError,))
    assert [t.state for t in study.trials] == [TrialState.COMPLETE, TrialState.FAIL] * 3

    def other(trial):
        raise KeyError("not caught")

    with pytest.raises(KeyError):
        study.optimize(other, n_trials=3, catch=ValueError)
    assert study.trials[-1].state == TrialState.FAIL and len(study.trials) == 7


@pytest.mark.parametrize("result", [float("nan"), None, math.inf, "text", (1.0, 2.0)])
def test_an_invalid_result_fails_the_trial_without_raising(make_study, result):
    study = make_study()
    finished = []
    study.optimize(lambda trial: result, n_trials=2, callbacks=[lambda s, t: finished.append(t)])
    assert [t.state for t in finished] == [TrialState.FAIL] * 2
    assert [t.state for t in study.trials] == [TrialState.FAIL] * 2


def test_callbacks_see_each_trial_and_can_stop_the_study(make_study):
    study = make_study(sampler="random", seed=5)
    numbers = []

    def callback(s, trial):
        numbers.append(trial.number)
        assert trial.state == TrialState.COMPLETE and trial.value == trial.params["x"] ** 2
        if len(numbers) == 4:
            s.stop()

    study.optimize(lambda t: t.suggest_float("x", -1, 1) ** 2, n_trials=100, callbacks=[callback])
    assert numbers == [0, 1, 2, 3]


def test_timeout_stops_the_study(make_study):
    study = make_study()
    started = time.monotonic()
    study.optimize(lambda trial: time.sleep(0.2) or 1.0, timeout=1.0)
    elapsed = time.monotonic() - started
    count = len(study.trials)
    assert 1.0 <= elapsed < 3.0
    assert 3 <= count <= 7, count
    assert all(t.state == TrialState.COMPLETE for t in study.trials)


def test_several_objectives_give_a_pareto_front(make_study):
    study = make_study(directions=["minimize", "minimize"], sampler="nsga2", seed=4)

    def objective(trial):
        x = trial.suggest_float("x", 0, 2)
        return x ** 2, (x - 2) ** 2

    study.optimize(objective, n_trials=20)
    front = study.best_trials
    assert front and all(len(t.values) == 2 for t in front)
    for a in front:
        for b in front:
            dominates = all(u <= v for u, v in zip(b.values, a.values)) and b.values != a.values
            assert not dominates, (a, b)
        assert a.values == pytest.approx([a.params["x"] ** 2, (a.params["x"] - 2) ** 2])
    with pytest.raises(RuntimeError):
        study.best_trial
    with pytest.raises(RuntimeError):
        study.direction
    assert study.directions == ["minimize", "minimize"]


def test_maximize(make_study):
    study = make_study(direction="maximize", sampler="random", seed=1)
    study.optimize(lambda t: -(t.suggest_float("x", -3, 3) ** 2), n_trials=15)
    assert study.direction == "maximize"
    assert study.best_value == max(t.value for t in study.trials)


def test_enqueued_trials_run_first(make_study):
    study = make_study(sampler="random", seed=1)
    assert study.enqueue_trial({"x": 1.5, "kind": "b"}) == 0
    study.enqueue_trial({"x": -2.0})

    def objective(trial):
        x = trial.suggest_float("x", -3, 3)
        kind = trial.suggest_categorical("kind", ["a", "b"])
        return x ** 2 + (kind == "a")

    study.optimize(objective, n_trials=3)
    trials = study.trials
    assert trials[0].params == {"x": 1.5, "kind": "b"}
    assert trials[1].params["x"] == -2.0 and trials[1].params["kind"] in ("a", "b")
    assert len(trials) == 3 and all(t.state == TrialState.COMPLETE for t in trials)
