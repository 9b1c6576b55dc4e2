"""Test setup: the source tree on sys.path, the hone binary, a storage in a temporary directory.

The binary is $HONE_BIN, else <repo>/.build/debug/hone, else `hone` on PATH. Without one the
tests are skipped — or fail, when HONE_REQUIRE_BIN=1.
"""

import os
import shutil
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

REPO = HERE.parents[2]  # tests → python → clients → the repository


def _find_binary():
    """The hone executable to test against, or None."""
    from_env = os.environ.get("HONE_BIN")
    if from_env:
        return from_env if os.access(from_env, os.X_OK) else None
    built = REPO / ".build" / "debug" / "hone"
    if os.access(built, os.X_OK):
        return str(built)
    return shutil.which("hone")


@pytest.fixture(scope="session")
def hone_bin():
    """The path of the hone binary (skips or fails the test when there is none)."""
    path = _find_binary()
    if path is None:
        from_env = os.environ.get("HONE_BIN")
        message = (f"no hone binary: HONE_BIN={from_env!r} is not an executable" if from_env else
                   f"no hone binary: HONE_BIN unset, {REPO / '.build/debug/hone'} missing, no hone on PATH")
        if os.environ.get("HONE_REQUIRE_BIN") == "1":
            pytest.fail(message + " (HONE_REQUIRE_BIN=1)", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture
def storage(tmp_path):
    """A sqlite storage URL in a fresh temporary directory (absolute path: four slashes)."""
    return f"sqlite:///{tmp_path / 'hone.db'}"


@pytest.fixture
def make_study(hone_bin, storage, monkeypatch):
    """``make_study(**create_study_arguments)``: a study on the test's storage, closed after the
    test. HONE_BIN is set for code that does not pass hone_path."""
    import hone

    monkeypatch.setenv("HONE_BIN", hone_bin)
    opened = []

    def make(**kwargs):
        kwargs.setdefault("storage", storage)
        kwargs.setdefault("hone_path", hone_bin)
        study = hone.create_study(**kwargs)
        opened.append(study)
        return study

    yield make
    for study in opened:
        study.close()
