"""``Study``, ``create_study`` and ``load_study``: Optuna's API shape over ``hone serve --stdio``."""

import collections.abc
import json
import logging
import math
import time
import uuid

from ._frozen import FrozenTrial, TrialState
from ._server import Server
from ._trial import Trial, normalize_distribution, value_for
from .exceptions import DuplicatedStudyError, HoneError, TrialPruned

_logger = logging.getLogger("hone")

DEFAULT_STORAGE = "sqlite:///hone.db"


def create_study(storage=DEFAULT_STORAGE, study_name=None, direction=None, directions=None, sampler="auto",
                 pruner="nop", seed=None, load_if_exists=True, hone_path=None, sampler_settings=None,
                 pruner_settings=None):
    """Creates a study — or, with ``load_if_exists`` (the default), loads the one of that name —
    served by a new ``hone serve --stdio`` process.

    - ``storage``: a Hone storage URL: ``sqlite:///relative.db``, ``sqlite:////absolute.db`` or
      ``memory:`` (``None`` means ``memory:``). A relative path is relative to the current directory.
    - ``study_name``: a unique ``no-name-<uuid>`` when None.
    - ``direction`` (``"minimize"`` or ``"maximize"``) or ``directions`` (one per objective); not
      both. When neither is given a new study minimizes and an existing one keeps its directions.
    - ``sampler``: ``auto`` (the default), ``tpe``, ``gp``, ``cmaes``, ``nsga2``, ``bohb``, ``dehb``, ``random`` or ``qmc``; ``pruner``:
      ``nop``, ``median``, ``percentile``, ``patient``, ``asha``, ``hyperband`` or
      ``learning-curve``; ``seed``: the sampler's seed (an int ≥ 0). They serve this study as long
      as the returned ``Study`` is open. ``sampler_settings`` and ``pruner_settings``: their
      catalog settings by name (``hone ask --help`` lists them), e.g.
      ``pruner_settings={"min-resource": 12, "max-resource": 200, "reduction-factor": 3}``.
    - ``hone_path``: the ``hone`` executable; else the ``HONE_BIN`` environment variable, else
      ``hone`` on ``PATH``.

    Raises ``DuplicatedStudyError`` when the study exists and ``load_if_exists`` is false, and
    ``HoneError`` with the server's message for anything the server refuses.
    """
    if direction is not None and directions is not None:
        raise ValueError("give direction or directions, not both")
    given = [direction] if direction is not None else directions
    if given is not None:
        given = [_direction_name(d) for d in given]
        if not given:
            raise ValueError("directions must name at least one direction")
    name = study_name if study_name is not None else f"no-name-{uuid.uuid4()}"
    return Study._open(storage, name, given, sampler, pruner, seed, hone_path, load_if_exists=load_if_exists,
                       settings=(sampler_settings, pruner_settings))


def load_study(study_name=None, storage=DEFAULT_STORAGE, sampler="auto", pruner="nop", seed=None, hone_path=None):
    """Loads an existing study (with its directions) from ``storage``, served by a new
    ``hone serve --stdio`` process; nothing is created.

    With ``study_name=None`` the storage must hold exactly one study. Raises ``KeyError`` when
    the study (or the storage) does not exist. ``memory:`` storage starts empty, so it has no
    study to load.
    """
    storage = _storage_url(storage)
    server = Server(storage, hone_path)
    try:
        names = _study_names(server)
        if study_name is None:
            if len(names) != 1:
                raise ValueError(f"study_name is needed: {storage} holds {len(names)} studies")
            study_name = names[0]
        elif study_name not in names:
            raise KeyError(f"no study named {study_name!r} in {storage}")
        return Study._start(server, study_name, None, sampler, pruner, seed, load_if_exists=True)
    except BaseException:
        server.close()
        raise


def _study_names(server):
    """The names of the studies in the server's storage (``hone study list``)."""
    if server.storage == "memory:":
        return []
    try:
        listing = server.run_command("study", "list")
    except HoneError as error:
        raise KeyError(f"cannot read the studies of {server.storage}: {error}") from None
    return [json.loads(line)["study"] for line in listing.splitlines() if line.strip()]


def _storage_url(storage):
    return "memory:" if storage is None else str(storage)


def _direction_name(direction):
    """``"minimize"`` or ``"maximize"`` from a string (any case) or an enum with such a name."""
    text = getattr(direction, "name", direction)
    if not isinstance(text, str) or text.lower() not in ("minimize", "maximize"):
        raise ValueError(f"a direction is 'minimize' or 'maximize', got {direction!r}")
    return text.lower()


class Study:
    """One optimization problem in a Hone storage, driven through its own ``hone serve`` process.

    Get one from ``hone.create_study`` or ``hone.load_study``. Close it with ``close()`` or a
    ``with`` block (the process is also ended when the study is garbage collected, or at exit).
    """

    def __init__(self, server, study_name, directions):
        """Use ``hone.create_study`` or ``hone.load_study``."""
        self._server = server
        self._name = study_name
        self._directions = list(directions)
        self._running = {}
        self._stop_requested = False

    @classmethod
    def _open(cls, storage, name, directions, sampler, pruner, seed, hone_path, load_if_exists, settings=(None, None)):
        server = Server(_storage_url(storage), hone_path)
        try:
            return cls._start(server, name, directions, sampler, pruner, seed, load_if_exists, settings)
        except BaseException:
            server.close()
            raise

    @classmethod
    def _start(cls, server, name, directions, sampler, pruner, seed, load_if_exists, settings=(None, None)):
        fields = {"study": name, "sampler": sampler, "pruner": pruner}
        for key, given in zip(("sampler_settings", "pruner_settings"), settings):
            if given:
                fields[key] = dict(given)
        if directions is not None:
            fields["directions"] = directions
        if seed is not None:
            fields["seed"] = seed
        response = server.request("create_study", **fields)
        if not response["created"] and not load_if_exists:
            raise DuplicatedStudyError(f"study {name!r} already exists in {server.storage}; "
                                       "pass load_if_exists=True to load it")
        return cls(server, response["study"], response["directions"])

    # MARK: names and directions

    @property
    def study_name(self):
        """The study's unique name in its storage."""
        return self._name

    @property
    def directions(self):
        """One direction per objective: ``"minimize"`` or ``"maximize"``."""
        return list(self._directions)

    @property
    def direction(self):
        """The direction of a single-objective study; ``RuntimeError`` for several objectives."""
        if len(self._directions) != 1:
            raise RuntimeError(f"study {self._name!r} has {len(self._directions)} objectives; use .directions")
        return self._directions[0]

    def _request(self, op, **fields):
        return self._server.request(op, study=self._name, **fields)

    # MARK: ask and tell

    def ask(self, fixed_distributions=None):
        """Starts a trial — an enqueued one if there is one — and returns it. Its parameters are
        suggested later, one at a time, by ``trial.suggest_*``; ``fixed_distributions``
        (``{name: {"type": "float", "low": 0, "high": 1}, ...}``, Hone's search-space JSON) are
        suggested at once."""
        fields = {}
        distributions = {}
        if fixed_distributions:
            distributions = {name: normalize_distribution(d) for name, d in fixed_distributions.items()}
            fields["space"] = distributions
        response = self._request("ask", **fields)
        params = {name: value_for(distributions[name], value) for name, value in response["params"].items()
                  if name in distributions}
        trial = Trial(self, response["trial"], params, distributions)
        self._running[trial.number] = trial
        return trial

    def tell(self, trial, values=None, state=None):
        """Finishes a trial (a ``Trial`` or its number) and returns it as a ``FrozenTrial``.

        - ``values``: a number, or one per objective; the trial is complete. A NaN or infinite
          value, a value that is not a number, or the wrong number of values make it failed
          instead (with a warning), as in Optuna.
        - ``state``: ``"pruned"`` or ``"failed"`` (or ``TrialState.PRUNED`` / ``FAIL``) without
          values; ``"complete"`` needs values.

        Raises ``HoneError`` for a trial already finished, or unknown.
        """
        number = trial.number if isinstance(trial, Trial) else trial
        number = int(number)
        state = None if state is None else TrialState.parse(state)
        if state is None:
            if values is None:
                raise ValueError("tell needs values, or state='pruned' or 'failed'")
            state = TrialState.COMPLETE
        if state == TrialState.COMPLETE:
            if values is None:
                raise ValueError("a complete trial needs values")
            return self._tell_values(number, values)
        if state not in (TrialState.PRUNED, TrialState.FAIL):
            raise ValueError(f"tell a trial complete, pruned or failed, not {state.value}")
        if values is not None:
            raise ValueError(f"a {state.value} trial takes no values")
        return self._finish(number, state=state.value)

    def _tell_values(self, number, values):
        """Completes trial ``number`` with ``values``, or fails it when they are not valid."""
        checked, problem = self._check_values(values)
        if problem is not None:
            _logger.warning("trial %d failed: %s", number, problem)
            return self._finish(number, state=TrialState.FAIL.value)
        return self._finish(number, values=checked)

    def _check_values(self, values):
        """``(floats, None)`` for valid objective values, ``(None, why)`` for invalid ones."""
        if values is None:
            return None, "the objective returned None"
        many = isinstance(values, collections.abc.Sequence) and not isinstance(values, (str, bytes))
        floats = []
        for item in values if many else [values]:
            try:
                if isinstance(item, (str, bytes)):
                    raise TypeError
                floats.append(float(item))
            except (TypeError, ValueError):
                return None, f"the objective value {item!r} is not a number"
        if len(floats) != len(self._directions):
            return None, (f"the study has {len(self._directions)} objective(s) but {len(floats)} "
                          f"value(s) were returned: {values!r}")
        bad = next((v for v in floats if not math.isfinite(v)), None)
        if bad is not None:
            return None, f"the objective value is {bad}"
        return floats, None

    def _finish(self, number, **fields):
        response = self._request("tell", trial=number, **fields)
        trial = self._running.pop(number, None)
        return FrozenTrial(number=response["trial"], state=TrialState.parse(response["state"]),
                           values=response.get("values"), params=trial.params if trial else {},
                           distributions=trial.distributions if trial else {})

    def enqueue_trial(self, params):
        """Enqueues a trial with fixed parameters (``{name: value}``); the next ``ask`` (or
        ``optimize``'s next trial) takes it, and suggesting those names returns these values.
        Other parameters are sampled as usual. Returns the waiting trial's number."""
        return self._request("enqueue", params=dict(params))["trial"]

    # MARK: optimize

    def optimize(self, objective, n_trials=None, timeout=None, catch=(), callbacks=None):
        """Runs ``objective(trial)`` on new trials until ``n_trials`` have run, ``timeout``
        seconds have passed (checked before each trial), or ``stop()`` is called.

        The objective returns a number (or one per objective). Raising ``hone.TrialPruned``
        records the trial as pruned; returning None, NaN or a wrong number of values records it
        as failed. Any other exception fails the trial and is re-raised — unless it is an instance
        of a type in ``catch``, then the study goes on. Each ``callback(study, frozen_trial)`` is
        called after each trial. ``KeyboardInterrupt`` fails the running trial and propagates.
        """
        if n_trials is not None and n_trials < 0:
            raise ValueError(f"n_trials must be >= 0, got {n_trials}")
        catch = (catch,) if isinstance(catch, type) else tuple(catch)
        callbacks = list(callbacks or ())
        deadline = None if timeout is None else time.monotonic() + timeout
        self._stop_requested = False
        done = 0
        while not self._stop_requested:
            if n_trials is not None and done >= n_trials:
                break
            if deadline is not None and time.monotonic() >= deadline:
                break
            frozen = self._run_trial(objective, catch)
            done += 1
            for callback in callbacks:
                callback(self, frozen)

    def _run_trial(self, objective, catch):
        """One trial, from ask to tell."""
        trial = self.ask()
        try:
            result = objective(trial)
        except TrialPruned:
            return self.tell(trial, state=TrialState.PRUNED)
        except Exception as error:
            frozen = self.tell(trial, state=TrialState.FAIL)
            _logger.warning("trial %d failed: %s: %s", trial.number, type(error).__name__, error)
            if isinstance(error, catch):
                return frozen
            raise
        except BaseException:
            self.tell(trial, state=TrialState.FAIL)
            raise
        return self._tell_values(trial.number, result)

    def stop(self):
        """Asks a running ``optimize`` to start no more trials (call it from a callback or the
        objective)."""
        self._stop_requested = True

    # MARK: results

    @property
    def best_trial(self):
        """The complete trial with the best value (single objective; ``RuntimeError`` for
        several). ``HoneError`` when no trial is complete yet."""
        if len(self._directions) != 1:
            raise RuntimeError(f"study {self._name!r} has {len(self._directions)} objectives; use best_trials")
        return _best(self._request("best"))

    @property
    def best_value(self):
        """The best trial's objective value."""
        return self.best_trial.value

    @property
    def best_params(self):
        """The best trial's parameters."""
        return self.best_trial.params

    @property
    def best_trials(self):
        """The Pareto-optimal complete trials (several objectives), or ``[best_trial]`` for one."""
        if len(self._directions) == 1:
            return [self.best_trial]
        return [_best(o) for o in self._request("best")["trials"]]

    @property
    def trials(self):
        """Every trial of the study, in number order, with all their fields.

        Read with ``hone trials`` from the storage, so this needs a sqlite storage (``memory:``
        lives in the server process only)."""
        return self.get_trials()

    def get_trials(self, states=None):
        """The trials in ``states`` (``TrialState`` members or names; all when None)."""
        if self._server.storage == "memory:":
            raise HoneError("the trials of a memory: study cannot be read from another process; use sqlite storage")
        text = self._server.run_command("trials", "--study", self._name, "--format", "json")
        trials = [FrozenTrial.from_json(o) for o in json.loads(text)]
        if states is not None:
            wanted = {TrialState.parse(s) for s in states}
            trials = [t for t in trials if t.state in wanted]
        return trials

    # MARK: lifetime

    def close(self):
        """Ends the study's ``hone serve`` process. Trials still running stay running in storage."""
        self._server.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def __repr__(self):
        return f"Study(study_name={self._name!r}, directions={self._directions!r})"


def _best(o):
    """A ``FrozenTrial`` from one object of the ``best`` response."""
    return FrozenTrial(number=o["trial"], state=TrialState.COMPLETE, values=o["values"], params=o["params"])
