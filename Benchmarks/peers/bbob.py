"""Hone and its peers on the BBOB functions of COCO (Hansen et al. 2021, "COCO: a platform for
comparing continuous optimizers in a black-box setting"), through the `coco-experiment` package.

Problems: cocoex.Suite("bbob", "", "") function f (1..24), dimension d (5 or 10), instance i
(1..5; the instance is the seed of a run and fixes the shift, rotation and optimum value).
Search space: x_j in [-5, 5] (the suite's bounds), float, linear, names x0..x{d-1}.

One run: B = --budget evaluations (default 20·d) of problem(x) in the method's order; the
regret is min f(x) over the run minus f(x_opt), where x_opt is the optimum COCO prints for the
instance (Problem._best_parameter("print"), evaluated on a separate copy of the problem).

Methods (--method), each seeded with the instance number and otherwise at its defaults:

    hone-<sampler>  Hone's Python client (clients/python/src) over the hone binary ($HONE_BIN,
                    else .build/release/hone): hone.create_study(storage=None,
                    sampler="<sampler>", seed=i); study.optimize(objective, n_trials=B);
                    "+setting" switches a sampler setting on (hone-gp+input-warping),
                    "+setting=value" sets one (hone-gp+surrogate=hmc); with --batch k > 1
                    the trials are asked k at a time (the running ones are the sampler's
                    fantasies) and told after, so the model is fitted once per k evaluations
    optuna-gp, optuna-tpe, optuna-cmaes, optuna-random
                    Optuna 5's GPSampler, TPESampler, CmaEsSampler, RandomSampler (seed=i)
    ngopt           nevergrad NGOpt over ng.p.Array(shape=(d,)).set_bounds(-5, 5), budget B,
                    parametrization.random_state = np.random.RandomState(i)
    hebo            HEBO over d num parameters in [-5, 5], np.random.seed(i), torch.manual_seed(i)
    botorch         BoTorch's standard loop (torch.manual_seed(i), float64): 10 scrambled Sobol
                    points, then per evaluation SingleTaskGP (its default priors) on the unit
                    cube with Standardize, fit_gpytorch_mll, LogExpectedImprovement on -f,
                    optimize_acqf(q=1, num_restarts=10, raw_samples=512)

Output with --json, one line per run:
{"function": f, "dims": d, "instance": i, "method": M, "budget": B, "regret": float, "seconds": float}
"""
import argparse
import json
import os
import tempfile
import time

import numpy as np


def parse_range(text):
    values = []
    for part in text.split(","):
        if "-" in part:
            low, high = part.split("-")
            values.extend(range(int(low), int(high) + 1))
        else:
            values.append(int(part))
    return values


def optimum_value(function, dims, instance):
    """f(x_opt) of one instance: COCO writes x_opt to a file in the working directory."""
    import cocoex
    suite = cocoex.Suite("bbob", "", "")
    with tempfile.TemporaryDirectory() as folder:
        here = os.getcwd()
        os.chdir(folder)
        try:
            suite.get_problem_by_function_dimension_instance(function, dims, instance)._best_parameter("print")
            with open("._bbob_problem_best_parameter.txt") as f:
                x_opt = [float(v) for v in f.read().split()]
        finally:
            os.chdir(here)
    fresh = cocoex.Suite("bbob", "", "").get_problem_by_function_dimension_instance(function, dims, instance)
    return float(fresh(np.array(x_opt)))


def run(method, function, dims, instance, budget, batch=1):
    import cocoex
    problem = cocoex.Suite("bbob", "", "").get_problem_by_function_dimension_instance(function, dims, instance)
    names = [f"x{j}" for j in range(dims)]
    values = []

    def evaluate(x):
        value = float(problem(np.asarray(x, dtype=float)))
        values.append(value)
        return value

    def objective(trial):
        return evaluate([trial.suggest_float(name, -5.0, 5.0) for name in names])

    if method.startswith("hone-"):
        from hpo_tables import hone_sampler, import_hone
        sampler, settings = hone_sampler(method[len("hone-"):])
        study = import_hone().create_study(storage=None, sampler=sampler, seed=instance, direction="minimize",
                                           sampler_settings=settings)
        space = {name: {"type": "float", "low": -5.0, "high": 5.0} for name in names}
        try:
            if batch > 1:
                while len(values) < budget:
                    trials = [study.ask(fixed_distributions=space) for _ in range(min(batch, budget - len(values)))]
                    for trial in trials:
                        study.tell(trial, evaluate([trial.params[name] for name in names]))
            else:
                study.optimize(objective, n_trials=budget)
        finally:
            study.close()
    elif method.startswith("optuna-"):
        import optuna
        optuna.logging.set_verbosity(optuna.logging.WARNING)
        samplers = {"gp": optuna.samplers.GPSampler, "tpe": optuna.samplers.TPESampler,
                    "cmaes": optuna.samplers.CmaEsSampler, "random": optuna.samplers.RandomSampler}
        study = optuna.create_study(direction="minimize", sampler=samplers[method[len("optuna-"):]](seed=instance))
        study.optimize(objective, n_trials=budget)
    elif method == "ngopt":
        import nevergrad as ng
        parametrization = ng.p.Array(shape=(dims,)).set_bounds(-5.0, 5.0)
        parametrization.random_state = np.random.RandomState(instance)
        optimizer = ng.optimizers.NGOpt(parametrization=parametrization, budget=budget, num_workers=1)
        for _ in range(budget):
            candidate = optimizer.ask()
            optimizer.tell(candidate, evaluate(candidate.value))
    elif method == "hebo":
        import pandas as pd
        import torch
        from hebo.design_space.design_space import DesignSpace
        from hebo.optimizers.hebo import HEBO
        np.random.seed(instance)
        torch.manual_seed(instance)
        space = DesignSpace().parse([{"name": name, "type": "num", "lb": -5.0, "ub": 5.0} for name in names])
        optimizer = HEBO(space, scramble_seed=instance)
        for _ in range(budget):
            suggestion = optimizer.suggest(n_suggestions=1)
            value = evaluate([float(suggestion.iloc[0][name]) for name in names])
            optimizer.observe(suggestion, np.array([[value]]))
    elif method == "botorch":
        import torch
        from botorch.acquisition import LogExpectedImprovement
        from botorch.fit import fit_gpytorch_mll
        from botorch.models import SingleTaskGP
        from botorch.models.transforms.outcome import Standardize
        from botorch.optim import optimize_acqf
        from gpytorch.mlls import ExactMarginalLogLikelihood
        torch.manual_seed(instance)
        unit = torch.stack([torch.zeros(dims), torch.ones(dims)]).double()
        xs = torch.quasirandom.SobolEngine(dims, scramble=True, seed=instance).draw(min(10, budget)).double()
        ys = [-evaluate((10 * x - 5).tolist()) for x in xs]
        while len(values) < budget:
            model = SingleTaskGP(xs, torch.tensor(ys, dtype=torch.double).unsqueeze(-1), outcome_transform=Standardize(m=1))
            fit_gpytorch_mll(ExactMarginalLogLikelihood(model.likelihood, model))
            acquisition = LogExpectedImprovement(model, best_f=max(ys))  # the posterior is in the outputs' units
            candidate, _ = optimize_acqf(acquisition, bounds=unit, q=1, num_restarts=10, raw_samples=512)
            ys.append(-evaluate((10 * candidate[0] - 5).tolist()))
            xs = torch.cat([xs, candidate])
    else:
        raise SystemExit(f"unknown method {method}")
    return min(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--method", required=True)
    parser.add_argument("--dims", type=int, default=5)
    parser.add_argument("--functions", default="1-24")
    parser.add_argument("--instances", default="1-5")
    parser.add_argument("--budget", type=int)
    parser.add_argument("--budget-per-dim", type=int, default=20, help="the budget when --budget is not given: this times d")
    parser.add_argument("--batch", type=int, default=1, help="Hone: trials asked at once (fantasies), then told")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    budget = args.budget or args.budget_per_dim * args.dims
    for function in parse_range(args.functions):
        for instance in parse_range(args.instances):
            start = time.perf_counter()
            best = run(args.method, function, args.dims, instance, budget, args.batch)
            seconds = time.perf_counter() - start
            regret = max(best - optimum_value(function, args.dims, instance), 0.0)
            record = {"function": function, "dims": args.dims, "instance": instance, "method": args.method,
                      "budget": budget, "batch": args.batch, "regret": regret, "seconds": round(seconds, 2)}
            print(json.dumps(record) if args.json else
                  f"f{function} {args.dims}-D i{instance} {args.method}: regret {regret:.4g} in {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main()
