"""Opens a study with Optuna and prints it as one JSON object, shaped like `hone trials`:
optuna_read_study.py DB.db STUDY [--continue N]

{"name", "directions": ["minimize", ...], "user_attrs", "system_attrs", "trials": [{"number",
"state" (Hone's names), "values", "params", "distributions" (Hone's search-space JSON),
"intermediate_values" ({"step": value}), "user_attrs", "system_attrs", "constraints" (a list,
in Optuna's order), "datetime_start", "datetime_complete" (Unix seconds)}]}.
Non-finite numbers print as null, as Hone prints them. With --continue N, Optuna then runs N
more trials that suggest every parameter from the distribution the study last used for it
(so the enqueued trials run first), and "continued" lists them as {"number", "state", "params"}.
"""

import json
import math
import os
import sys
import warnings

import optuna
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

STATES = {"COMPLETE": "complete", "PRUNED": "pruned", "FAIL": "failed", "RUNNING": "running", "WAITING": "waiting"}


def plain(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, dict):
        return {str(k): plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    return v


def distribution(d):
    if isinstance(d, FloatDistribution):
        o = {"type": "float", "low": d.low, "high": d.high, "log": d.log}
        if d.step is not None:
            o["step"] = d.step
        return o
    if isinstance(d, IntDistribution):
        return {"type": "int", "low": d.low, "high": d.high, "log": d.log, "step": d.step}
    return {"type": "categorical", "choices": plain(list(d.choices))}


def trial_json(t):
    return {
        "number": t.number,
        "state": STATES[t.state.name],
        "values": plain(t.values),
        "params": plain(t.params),
        "distributions": {k: distribution(d) for k, d in t.distributions.items()},
        "intermediate_values": {str(k): plain(v) for k, v in t.intermediate_values.items()},
        "user_attrs": plain(t.user_attrs),
        "system_attrs": plain(t.system_attrs),
        "constraints": plain(list(t.constraints.values())),
        "datetime_start": t.datetime_start.timestamp() if t.datetime_start else None,
        "datetime_complete": t.datetime_complete.timestamp() if t.datetime_complete else None,
    }


def suggest(trial, name, d):
    if isinstance(d, FloatDistribution):
        return trial.suggest_float(name, d.low, d.high, step=d.step, log=d.log)
    if isinstance(d, IntDistribution):
        return trial.suggest_int(name, d.low, d.high, step=d.step, log=d.log)
    return trial.suggest_categorical(name, d.choices)


def main(path, name, more):
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")
    study = optuna.load_study(study_name=name, storage="sqlite:///" + os.path.abspath(path))
    out = {
        "name": study.study_name,
        "directions": [d.name.lower() for d in study.directions],
        "user_attrs": plain(study.user_attrs),
        "system_attrs": plain(study._storage.get_study_system_attrs(study._study_id)),
        "trials": [trial_json(t) for t in study.get_trials(deepcopy=False)],
    }
    if more:
        space = {}
        for t in study.get_trials(deepcopy=False):
            space.update(t.distributions)
        waiting = {t.number for t in study.get_trials(deepcopy=False) if t.state.name == "WAITING"}
        before = len(out["trials"])

        def objective(trial):
            xs = [suggest(trial, k, d) for k, d in sorted(space.items())]
            total = float(sum(x for x in xs if isinstance(x, (int, float))))
            return total if len(study.directions) == 1 else tuple(total for _ in study.directions)

        study.optimize(objective, n_trials=more)
        out["continued"] = [
            {"number": t.number, "state": STATES[t.state.name], "params": plain(t.params)}
            for t in study.get_trials(deepcopy=False)
            if t.number >= before or t.number in waiting
        ]
    print(json.dumps(out, allow_nan=False))


if __name__ == "__main__":
    args = sys.argv[1:]
    n = 0
    if "--continue" in args:
        i = args.index("--continue")
        n = int(args[i + 1])
        del args[i : i + 2]
    main(args[0], args[1], n)
