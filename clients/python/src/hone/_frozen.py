"""Finished (or stored) trials as plain data: ``TrialState`` and ``FrozenTrial``."""

import datetime
import enum
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


class TrialState(str, enum.Enum):
    """Where a trial is in its life. The values are Hone's state names."""

    RUNNING = "running"
    WAITING = "waiting"
    COMPLETE = "complete"
    PRUNED = "pruned"
    FAIL = "failed"

    def is_finished(self):
        """True for ``COMPLETE``, ``PRUNED`` and ``FAIL``."""
        return self in (TrialState.COMPLETE, TrialState.PRUNED, TrialState.FAIL)

    @classmethod
    def parse(cls, state):
        """A ``TrialState`` from itself or a name: ``"complete"``, ``"pruned"``, ``"failed"``
        (or ``"fail"``), ``"running"``, ``"waiting"``, in any case."""
        if isinstance(state, cls):
            return state
        if isinstance(state, str):
            text = state.lower()
            for member in cls:
                if text in (member.value, member.name.lower()):
                    return member
        raise ValueError(f"unknown trial state {state!r}; use complete, pruned or failed")


def _datetime(text):
    """An ISO 8601 time as written by Hone (``…Z``), or None."""
    if not text:
        return None
    try:
        return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


@dataclass
class FrozenTrial:
    """A trial as stored: its number, state, objective values and parameters.

    Trials from ``Study.tell``, ``best_trial`` and ``best_trials`` carry ``number``, ``state``,
    ``values`` and ``params``; trials from ``Study.trials`` carry every field.
    """

    number: int
    state: TrialState
    values: Optional[List[float]]
    params: Dict[str, Any] = field(default_factory=dict)
    distributions: Dict[str, Dict[str, Any]] = field(default_factory=dict)
    intermediate_values: Dict[int, float] = field(default_factory=dict)
    user_attrs: Dict[str, Any] = field(default_factory=dict)
    system_attrs: Dict[str, Any] = field(default_factory=dict)
    datetime_start: Optional[datetime.datetime] = None
    datetime_complete: Optional[datetime.datetime] = None
    duration: Optional[datetime.timedelta] = None

    @property
    def value(self):
        """The single objective value (None unless complete, or pruned with a reported value).

        Raises ``RuntimeError`` for a trial with several values; use ``values``.
        """
        if self.values is None:
            return None
        if len(self.values) != 1:
            raise RuntimeError(f"trial {self.number} has {len(self.values)} values; use .values")
        return self.values[0]

    @property
    def fail_reason(self):
        """Why the trial failed, when Hone recorded a reason."""
        return self.system_attrs.get("fail_reason")

    @classmethod
    def from_json(cls, o):
        """A trial from one object of ``hone trials --format json``."""
        duration = o.get("duration")
        return cls(
            number=o["number"],
            state=TrialState.parse(o["state"]),
            values=o.get("values"),
            params=o.get("params") or {},
            distributions=o.get("distributions") or {},
            intermediate_values={int(k): v for k, v in (o.get("intermediate_values") or {}).items()},
            user_attrs=o.get("user_attrs") or {},
            system_attrs=o.get("system_attrs") or {},
            datetime_start=_datetime(o.get("datetime_start")),
            datetime_complete=_datetime(o.get("datetime_complete")),
            duration=None if duration is None else datetime.timedelta(seconds=duration),
        )
