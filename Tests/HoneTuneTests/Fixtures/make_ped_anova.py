"""Regenerates ped_anova.json from Optuna's PedAnovaImportanceEvaluator.

Builds three in-memory studies from ``optuna.trial.create_trial`` (parameter values come
from a seeded numpy generator; no Optuna sampler is involved), then records
``optuna.importance.get_param_importances`` with ``PedAnovaImportanceEvaluator`` both
normalized and raw (``normalize=False``).

Run: /work/main/.venv-peers/bin/python Tests/HoneTuneTests/Fixtures/make_ped_anova.py
"""

import json
import math
import os
import warnings

import numpy as np
import optuna
from optuna.distributions import CategoricalDistribution as Cat
from optuna.distributions import FloatDistribution as Float
from optuna.distributions import IntDistribution as Int

TARGET_QUANTILE, REGION_QUANTILE = 0.1, 1.0  # Optuna's defaults, passed explicitly.


def mixed_minimize(rng):
    d = {"x": Float(-5, 5), "lr": Float(1e-5, 1e-1, log=True), "n": Int(1, 8),
         "k": Int(2, 256, log=True), "s": Float(0, 1, step=0.1), "opt": Cat(["a", "b", "c"])}
    trials = []
    for _ in range(80):
        p = {"x": float(rng.uniform(-5, 5)),
             "lr": float(math.exp(rng.uniform(math.log(1e-5), math.log(1e-1)))),
             "n": int(rng.integers(1, 9)),
             "k": int(min(256, max(2, round(math.exp(rng.uniform(math.log(2), math.log(256))))))),
             "s": round(int(rng.integers(0, 11)) * 0.1, 10),
             "opt": ["a", "b", "c"][int(rng.integers(0, 3))]}
        v = ((p["x"] - 1) ** 2 + 3 * (math.log10(p["lr"]) + 3) ** 2 + 0.1 * p["n"]
             + (0 if p["opt"] == "b" else 2) + 0.01 * float(rng.standard_normal()))
        trials.append((p, v))
    return "minimize", d, trials


def maximize(rng):
    d = {"u": Float(0, 1), "v": Float(0, 1), "c": Cat([1, 2, 3, 4])}
    trials = []
    for _ in range(40):
        p = {"u": float(rng.uniform()), "v": float(rng.uniform()), "c": [1, 2, 3, 4][int(rng.integers(0, 4))]}
        trials.append((p, -(p["u"] - 0.3) ** 2 + 0.01 * p["v"]))
    return "maximize", d, trials


def ties(rng):
    d = {"w": Int(0, 3), "z": Float(0, 1)}
    trials = []
    for _ in range(30):
        p = {"w": int(rng.integers(0, 4)), "z": float(rng.uniform())}
        trials.append((p, float(p["w"])))
    return "minimize", d, trials


def describe(dist):
    if isinstance(dist, Cat):
        return {"type": "categorical", "low": None, "high": None, "log": False, "step": None,
                "choices": list(dist.choices)}
    return {"type": "int" if isinstance(dist, Int) else "float", "low": dist.low, "high": dist.high,
            "log": dist.log, "step": dist.step, "choices": None}


def run_case(name, builder, seed):
    direction, dists, trials = builder(np.random.default_rng(seed))
    study = optuna.create_study(direction=direction)
    for params, value in trials:
        study.add_trial(optuna.trial.create_trial(params=params, distributions=dists, value=value))

    def importances(normalize):
        ev = optuna.importance.PedAnovaImportanceEvaluator(
            target_quantile=TARGET_QUANTILE, region_quantile=REGION_QUANTILE)
        res = optuna.importance.get_param_importances(study, evaluator=ev, normalize=normalize)
        return {k: float(v) for k, v in res.items()}

    return {"name": name, "direction": direction, "target_quantile": TARGET_QUANTILE,
            "region_quantile": REGION_QUANTILE,
            "distributions": {k: describe(v) for k, v in dists.items()},
            "trials": [{"params": p, "value": v} for p, v in trials],
            "importances": importances(True), "raw": importances(False)}


def main():
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.simplefilter("ignore")
    cases = [run_case("mixed_minimize", mixed_minimize, 0),
             run_case("maximize", maximize, 1),
             run_case("ties", ties, 2)]
    # json.dumps writes floats with repr (shortest round-trip). One trial per line keeps it small.
    lines = ['{"optuna_version": %s, "cases": [' % json.dumps(optuna.__version__)]
    for i, c in enumerate(cases):
        head = {k: v for k, v in c.items() if k != "trials"}
        lines.append(" " + json.dumps(head)[:-1] + ', "trials": [')
        lines.append(",\n".join("  " + json.dumps(t) for t in c["trials"]))
        lines.append(" ]}" + ("," if i + 1 < len(cases) else ""))
    lines.append("]}")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ped_anova.json")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    for c in cases:
        print(c["name"], c["importances"], c["raw"])


if __name__ == "__main__":
    main()
