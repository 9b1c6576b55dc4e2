"""``Trial``: a running trial, with define-by-run suggestions, reports and pruning decisions."""

import math
import numbers

# Distributions are kept in the JSON form of Hone's search spaces:
#   {"type": "float", "low": 1e-5, "high": 0.1, "log": true, "step": null-or-number}
#   {"type": "int", "low": 1, "high": 4, "log": false, "step": 1}
#   {"type": "categorical", "choices": ["adam", "sgd"]}


def _integer(value, what):
    """``value`` as an int; integral floats are accepted, anything else is a ``TypeError``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or int(value) != value:
        raise TypeError(f"{what} must be an integer, got {value!r}")
    return int(value)


def float_distribution(low, high, step=None, log=False):
    """The JSON distribution of ``suggest_float``."""
    d = {"type": "float", "low": float(low), "high": float(high), "log": bool(log)}
    if step is not None:
        d["step"] = float(step)
    return d


def int_distribution(low, high, step=1, log=False):
    """The JSON distribution of ``suggest_int``."""
    return {"type": "int", "low": _integer(low, "low"), "high": _integer(high, "high"),
            "log": bool(log), "step": _integer(step, "step")}


def categorical_distribution(choices):
    """The JSON distribution of ``suggest_categorical``."""
    return {"type": "categorical", "choices": list(choices)}


def normalize_distribution(d):
    """A distribution given as JSON (as in ``Study.ask(fixed_distributions=...)``), in the same
    canonical form the ``suggest_*`` methods build, so that equal distributions compare equal."""
    kind = d.get("type")
    if kind == "float":
        return float_distribution(d["low"], d["high"], d.get("step"), d.get("log", False))
    if kind == "int":
        return int_distribution(d["low"], d["high"], d.get("step", 1), d.get("log", False))
    if kind == "categorical":
        return categorical_distribution(d["choices"])
    raise ValueError(f"unknown distribution type {kind!r} in {d!r}; use float, int or categorical")


def _same_choice(a, b):
    """Equal as parameter values: bools only equal bools (``True != 1`` here)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return a == b


def value_for(distribution, value):
    """A value from the server as the Python type of its distribution: a float, an int, or the
    very object among the choices."""
    kind = distribution["type"]
    if kind == "float":
        return float(value)
    if kind == "int":
        return int(value)
    return next((c for c in distribution["choices"] if _same_choice(c, value)), value)


class Trial:
    """A running trial of a ``Study``, handed to the objective.

    Parameters are suggested one at a time, where the objective needs them (define-by-run):
    each ``suggest_*`` call asks the server for one value, which is stored at once. Suggesting a
    name again with the same distribution returns the same value without a request; another
    distribution for the same name is an error (``HoneError``).
    """

    def __init__(self, study, number, params=None, distributions=None):
        self._study = study
        self._number = number
        self._params = dict(params or {})
        self._distributions = dict(distributions or {})
        self._prune = False

    @property
    def number(self):
        """The trial's number within its study (0, 1, 2, …)."""
        return self._number

    @property
    def study(self):
        """The study the trial belongs to."""
        return self._study

    @property
    def params(self):
        """The parameters suggested so far, ``{name: value}`` (a copy)."""
        return dict(self._params)

    @property
    def distributions(self):
        """The distributions of the parameters suggested so far, as JSON objects (a copy)."""
        return {name: dict(d) for name, d in self._distributions.items()}

    def suggest_float(self, name, low, high, *, step=None, log=False):
        """A float in [low, high]: uniform, log-uniform with ``log=True``, or on the grid
        low + k·step with ``step`` (``step`` and ``log`` cannot be combined)."""
        return self._suggest(name, float_distribution(low, high, step, log))

    def suggest_int(self, name, low, high, *, step=1, log=False):
        """An integer in [low, high] on the grid low + k·step; log-uniform with ``log=True``."""
        return self._suggest(name, int_distribution(low, high, step, log))

    def suggest_categorical(self, name, choices):
        """One of ``choices`` (strings, ints, floats or bools), returned as the very object."""
        return self._suggest(name, categorical_distribution(choices))

    def _suggest(self, name, distribution):
        if not isinstance(name, str):
            raise TypeError(f"a parameter name must be a string, got {name!r}")
        if name in self._params and self._distributions.get(name) == distribution:
            return self._params[name]
        response = self._study._request("suggest", trial=self._number, space={name: distribution})
        value = value_for(distribution, response["params"][name])
        self._params[name] = value
        self._distributions[name] = distribution
        return value

    def report(self, value, step):
        """Reports an intermediate objective value at ``step`` (an epoch, say, ≥ 0) and asks the
        study's pruner about it; ``should_prune()`` then tells the answer. A second report at the
        same step is ignored, as in Optuna. Single-objective studies only.

        Raises ``ValueError`` for a NaN or infinite value, which Hone's JSON protocol cannot carry.
        """
        value = float(value)
        if not math.isfinite(value):
            raise ValueError(f"trial {self._number}: cannot report {value} at step {step}; "
                             "intermediate values must be finite")
        response = self._study._request("report", trial=self._number, step=_integer(step, "step"), value=value)
        self._prune = bool(response["prune"])

    def should_prune(self):
        """Whether the pruner, at the last ``report``, said this trial should stop; raise
        ``hone.TrialPruned`` from the objective when it does. False before any report."""
        return self._prune

    def __repr__(self):
        return f"Trial(number={self._number}, params={self._params!r})"
