"""Browser tests of `hone dashboard`: real `hone` processes write the studies, headless
Chromium (driven by cdp.py) reads the pages. Without a hone binary or Chromium the tests are
skipped with a message — or fail, when HONE_REQUIRE_BIN=1 (make test sets it, and installs
Chromium where it can).
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import cdp  # noqa: E402
import studies  # noqa: E402


def _require(what: str):
    if os.environ.get("HONE_REQUIRE_BIN") == "1" and what.startswith("no hone"):
        pytest.fail(what + " (HONE_REQUIRE_BIN=1)", pytrace=False)
    pytest.skip(what)


@pytest.fixture(scope="session")
def hone():
    path = studies.hone_binary()
    if path is None:
        _require("no hone binary: set HONE_BIN or build with swift build")
    return path


@pytest.fixture(scope="session")
def storage(hone, tmp_path_factory):
    """The URL of a storage with the three studies of `studies.make_studies`."""
    return studies.make_studies(hone, tmp_path_factory.mktemp("dashboard"))


@pytest.fixture(scope="session")
def dashboard(hone, storage):
    """A dashboard that takes writes with its token, serving `storage`."""
    with studies.Dashboard(hone, storage, "--allow-writes") as running:
        yield running


@pytest.fixture()
def browser():
    if cdp.find_chromium() is None:
        pytest.skip("no Chromium: the browser tests need chromium (make test installs it with apt-get as root)")
    with cdp.Browser(width=1280, height=900) as b:
        yield b
