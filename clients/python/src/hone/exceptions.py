"""The exceptions of the Hone client."""


class HoneError(RuntimeError):
    """An error answered by ``hone serve`` (``str(error)`` is the server's message), or the
    server process ending unexpectedly."""


class DuplicatedStudyError(HoneError):
    """``create_study(load_if_exists=False)`` named a study that already exists."""


class TrialPruned(Exception):
    """Raise from an objective to stop its trial early; ``Study.optimize`` records it as pruned.

    Usually raised right after ``trial.should_prune()`` returned true.
    """
