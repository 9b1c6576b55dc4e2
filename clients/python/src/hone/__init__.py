"""Hone from Python: Optuna's API shape over ``hone serve --stdio`` (standard library only).

    import hone

    def objective(trial):
        x = trial.suggest_float("x", -10, 10)
        return (x - 2) ** 2

    study = hone.create_study(storage="sqlite:///hone.db")
    study.optimize(objective, n_trials=30)
    print(study.best_params)

Each study runs its own ``hone serve`` process (the ``hone`` executable from ``hone_path=``,
the ``HONE_BIN`` environment variable, or ``PATH``); ``study.close()`` or a ``with`` block ends it.
"""

from ._frozen import FrozenTrial, TrialState
from ._study import Study, create_study, load_study
from ._trial import Trial
from .exceptions import DuplicatedStudyError, HoneError, TrialPruned

__version__ = "0.1.0"

__all__ = [
    "DuplicatedStudyError",
    "FrozenTrial",
    "HoneError",
    "Study",
    "Trial",
    "TrialPruned",
    "TrialState",
    "create_study",
    "load_study",
]
