"""Study.ask / Study.tell and the Trial methods, against the real hone binary."""

import pytest

import hone
from hone import TrialState


def test_ask_suggest_tell(make_study):
    study = make_study(sampler="random", seed=1)
    trial = study.ask()
    assert trial.number == 0 and trial.params == {}
    x = trial.suggest_float("x", -1, 1)
    n = trial.suggest_int("n", 1, 3)
    assert trial.params == {"x": x, "n": n}
    assert trial.distributions["n"] == {"type": "int", "low": 1, "high": 3, "log": False, "step": 1}
    finished = study.tell(trial, x ** 2 + n)
    assert finished.number == 0 and finished.state == TrialState.COMPLETE
    assert finished.values == [x ** 2 + n] and finished.value == x ** 2 + n
    assert finished.params == {"x": x, "n": n}
    assert study.best_trial.number == 0 and study.best_params == {"x": x, "n": n}


def test_tell_by_number_and_with_states(make_study):
    study = make_study(pruner="median")
    first, second, third = study.ask(), study.ask(), study.ask()
    assert [first.number, second.number, third.number] == [0, 1, 2]
    assert not second.should_prune(), "no report yet"
    second.report(0.5, step=0)
    assert study.tell(2, state="failed").state == TrialState.FAIL
    pruned = study.tell(second, state=TrialState.PRUNED)
    assert pruned.state == TrialState.PRUNED and pruned.values == [0.5], "a pruned trial keeps its last report"
    assert study.tell(0, values=[3.0]).state == TrialState.COMPLETE
    assert study.best_value == 3.0
    with pytest.raises(ValueError):
        study.tell(study.ask())
    with pytest.raises(ValueError):
        study.tell(3, values=1.0, state="pruned")
    with pytest.raises(ValueError):
        study.tell(3, state="running")


def test_telling_a_finished_trial_is_a_server_error(make_study):
    study = make_study()
    trial = study.ask()
    study.tell(trial, 1.0)
    with pytest.raises(hone.HoneError, match="already complete; it cannot be told again"):
        study.tell(trial, 2.0)
    with pytest.raises(hone.HoneError):
        study.tell(99, 1.0)


def test_tell_nan_or_a_wrong_count_fails_the_trial(make_study):
    study = make_study()
    assert study.tell(study.ask(), float("nan")).state == TrialState.FAIL
    assert study.tell(study.ask(), [1.0, 2.0]).state == TrialState.FAIL
    assert study.tell(study.ask(), (4.0,)).state == TrialState.COMPLETE


def test_ask_with_fixed_distributions(make_study):
    study = make_study(sampler="random", seed=2)
    trial = study.ask({"lr": {"type": "float", "low": 1e-4, "high": 1e-1, "log": True},
                       "opt": {"type": "categorical", "choices": ["adam", "sgd"]},
                       "layers": {"type": "int", "low": 1, "high": 4}})
    params = trial.params
    assert set(params) == {"lr", "opt", "layers"}
    assert 1e-4 <= params["lr"] <= 1e-1 and params["opt"] in ("adam", "sgd") and params["layers"] in range(1, 5)
    assert isinstance(params["layers"], int) and isinstance(params["lr"], float)
    # Same distributions again: the known values, without asking the server.
    assert trial.suggest_float("lr", 1e-4, 1e-1, log=True) == params["lr"]
    assert trial.suggest_categorical("opt", ["adam", "sgd"]) == params["opt"]
    assert trial.suggest_int("layers", 1, 4) == params["layers"]
    study.tell(trial, 1.0)
    assert study.trials[0].params == params


def test_the_same_name_with_another_distribution_is_an_error(make_study):
    study = make_study()
    trial = study.ask()
    trial.suggest_float("x", 0, 1)
    with pytest.raises(hone.HoneError, match="'x'"):
        trial.suggest_float("x", 0, 2)


def test_report_and_should_prune(make_study):
    study = make_study(pruner="median", sampler="random", seed=1)
    for value in [1.0, 1.1, 1.2, 1.3, 1.4]:
        trial = study.ask()
        for step in range(3):
            trial.report(value, step)
            assert not trial.should_prune(), "the median pruner waits for 5 complete trials"
        study.tell(trial, value)
    bad = study.ask()
    bad.report(100.0, 0)
    assert bad.should_prune()
    good = study.ask()
    good.report(0.5, 0)
    assert not good.should_prune()
    with pytest.raises(ValueError):
        good.report(float("nan"), 1)


def test_invalid_arguments_are_caught_before_the_server(make_study):
    study = make_study()
    trial = study.ask()
    with pytest.raises(TypeError):
        trial.suggest_int("n", 0.5, 3)
    with pytest.raises(ValueError):
        make_study(direction="minimize", directions=["minimize"])
    with pytest.raises(ValueError):
        make_study(direction="sideways")
