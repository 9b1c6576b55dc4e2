"""Writes an Optuna study file for the import tests: optuna_make_study.py OUT.db

Study "single" (maximize) covers every trial state, the categorical kinds, log and stepped
ranges, non-finite values, intermediate values, both forms of constraints, user and system
attributes. Study "multi" (minimize, maximize) comes from NSGA-II, which leaves its own
system attributes. Seeded samplers make every run the same but for the datetimes.
"""

import sys
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
from optuna.trial import TrialState, create_trial

optuna.logging.set_verbosity(optuna.logging.ERROR)
warnings.simplefilter("ignore")
storage = "sqlite:///" + sys.argv[1]


def suggest(t):
    return {
        "lr": t.suggest_float("lr", 1e-5, 1e-1, log=True),
        "dropout": t.suggest_float("dropout", 0.0, 0.5, step=0.1),
        "units": t.suggest_int("units", 16, 256, step=16),
        "batch": t.suggest_int("batch", 8, 512, log=True),
        "opt": t.suggest_categorical("opt", ["adam", "sgd"]),
        "width": t.suggest_categorical("width", [1, 2, 4]),
        "bn": t.suggest_categorical("bn", [True, False]),
        "mixed": t.suggest_categorical("mixed", [None, "auto", 2.5]),
    }


sampler = optuna.samplers.TPESampler(seed=3, constraints_func=lambda ft: [ft.params["lr"] - 0.01])
study = optuna.create_study(storage=storage, study_name="single", direction="maximize", sampler=sampler)
study.set_user_attr("dataset", "digits")
study.set_user_attr("meta", {"tags": ["a", "b"], "n": 3, "ok": True})
study.set_metric_names(["accuracy"])

for i in range(3):  # 0-2: complete
    t = study.ask()
    p = suggest(t)
    for step in range(3):
        t.report(0.1 * (i + step), step)
    t.set_user_attr("note", f"trial {i}")
    t.set_user_attr("nested", {"list": [1, 2.5, None, "s"], "unicode": "\u00fc\u2192"})
    study.tell(t, p["units"] / 256 + i)

t = study.ask()  # 3: complete with -inf
suggest(t)
study.tell(t, float("-inf"))

t = study.ask()  # 4: pruned; its value is the last intermediate value
suggest(t)
for step, v in enumerate([0.5, float("inf"), 0.25]):
    t.report(v, step)
study.tell(t, state=TrialState.PRUNED)

t = study.ask()  # 5: pruned, last intermediate value NaN, so no value
suggest(t)
t.report(0.1, 0)
t.report(float("nan"), 5)
study.tell(t, state=TrialState.PRUNED)

t = study.ask()  # 6: failed
suggest(t)
t.set_user_attr("error", "out of memory")
study.tell(t, state=TrialState.FAIL)

t = study.ask()  # 7: running
suggest(t)
t.report(0.7, 0)
t.set_user_attr("host", "worker-1")

study.enqueue_trial({"lr": 0.001, "opt": "sgd", "mixed": None}, user_attrs={"source": "enqueue"})  # 8: waiting

study.add_trial(create_trial(  # 9: added, with named constraints
    params={"lr": 0.01, "opt": "adam", "units": 32},
    distributions={"lr": FloatDistribution(1e-5, 1e-1, log=True), "opt": CategoricalDistribution(["adam", "sgd"]),
                   "units": IntDistribution(16, 256, step=16)},
    value=0.75, intermediate_values={0: 0.5, 10: 0.75},
    user_attrs={"nonfinite": [float("nan"), float("inf")]}, constraints={"mem": 1.5, "time": -1.0}))

multi = optuna.create_study(storage=storage, study_name="multi", directions=["minimize", "maximize"],
                            sampler=optuna.samplers.NSGAIISampler(seed=1, population_size=4))
for i in range(4):
    t = multi.ask()
    a, b = t.suggest_float("a", 0.0, 1.0), t.suggest_int("b", 1, 10)
    c = t.suggest_categorical("c", ["x", "y"])
    multi.tell(t, [(a - 0.3) ** 2, a * b + (0.5 if c == "y" else 0.0)])
t = multi.ask()
t.suggest_float("a", 0.0, 1.0)
multi.tell(t, state=TrialState.FAIL)
