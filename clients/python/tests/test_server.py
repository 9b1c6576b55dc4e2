"""Creating and loading studies, server errors, and the lifetime of the hone serve process."""

import gc
import json
import subprocess

import pytest

import hone


def raw_response(hone_bin, *requests):
    """The responses of a fresh `hone serve --stdio --storage memory:` to `requests`."""
    lines = "".join(json.dumps(r) + "\n" for r in requests)
    result = subprocess.run([hone_bin, "serve", "--stdio", "--storage", "memory:"], input=lines,
                            capture_output=True, text=True, timeout=60, check=True)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_server_error_raises_hone_error_with_the_servers_message(make_study, hone_bin):
    space = {"x": {"type": "float", "low": 1.0, "high": 0.0, "log": False}}
    expected = raw_response(hone_bin, {"op": "create_study", "study": "s"},
                            {"op": "ask", "study": "s", "space": space})[1]["error"]
    study = make_study(study_name="s")
    with pytest.raises(hone.HoneError) as caught:
        study.ask(space)
    assert str(caught.value) == expected
    # The connection stays usable after an error.
    assert study.ask().number >= 0


def test_unknown_sampler_and_no_complete_trial(make_study, hone_bin):
    expected = raw_response(hone_bin, {"op": "create_study", "study": "s", "sampler": "nope"})[0]["error"]
    with pytest.raises(hone.HoneError) as caught:
        make_study(sampler="nope")
    assert str(caught.value) == expected and "nope" in expected
    study = make_study()
    with pytest.raises(hone.HoneError, match="no complete trial"):
        study.best_value


def test_a_bad_storage_url_reports_the_servers_message(hone_bin):
    with pytest.raises(hone.HoneError, match="unknown storage URL"):
        hone.create_study(storage="mysql://nowhere", hone_path=hone_bin)
    with pytest.raises(hone.HoneError, match="names no database"):
        hone.create_study(storage="postgres://nowhere", hone_path=hone_bin)


def test_a_missing_binary_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="hone_path"):
        hone.create_study(storage="memory:", hone_path=str(tmp_path / "no-hone"))
    monkeypatch.setenv("HONE_BIN", str(tmp_path / "no-hone"))
    with pytest.raises(FileNotFoundError, match="HONE_BIN"):
        hone.create_study(storage="memory:")


def test_study_names_are_generated_unique(make_study):
    a, b = make_study(), make_study()
    assert a.study_name.startswith("no-name-") and b.study_name.startswith("no-name-")
    assert a.study_name != b.study_name


def test_load_if_exists_and_load_study(make_study, storage, hone_bin):
    first = make_study(study_name="shared", direction="maximize")
    first.tell(first.ask(), 1.0)
    first.tell(first.ask(), 2.0)
    first.close()
    again = make_study(study_name="shared")
    assert again.directions == ["maximize"], "an existing study keeps its directions"
    assert again.ask().number == 2
    with pytest.raises(hone.DuplicatedStudyError):
        make_study(study_name="shared", load_if_exists=False)
    with pytest.raises(hone.HoneError, match="directions"):
        make_study(study_name="shared", direction="minimize")
    with hone.load_study(study_name="shared", storage=storage, hone_path=hone_bin) as loaded:
        assert loaded.direction == "maximize" and loaded.best_value == 2.0
        assert [t.state for t in loaded.trials] == [hone.TrialState.COMPLETE] * 2 + [hone.TrialState.RUNNING]
    with hone.load_study(storage=storage, hone_path=hone_bin) as only:
        assert only.study_name == "shared"
    with pytest.raises(KeyError):
        hone.load_study(study_name="missing", storage=storage, hone_path=hone_bin)
    with pytest.raises(KeyError):
        hone.load_study(study_name="shared", storage=storage.replace("hone.db", "other.db"), hone_path=hone_bin)


def test_memory_storage(hone_bin):
    with hone.create_study(storage=None, hone_path=hone_bin) as study:
        study.tell(study.ask(), 1.5)
        assert study.best_value == 1.5
        with pytest.raises(hone.HoneError, match="memory"):
            study.trials


def test_close_ends_the_server(make_study):
    study = make_study()
    process = study._server._process
    assert process.poll() is None
    study.close()
    assert process.poll() is not None
    study.close()  # twice is fine
    with pytest.raises(hone.HoneError, match="closed"):
        study.ask()


def test_a_with_block_and_garbage_collection_end_the_server(hone_bin, storage):
    with hone.create_study(storage=storage, hone_path=hone_bin) as study:
        process = study._server._process
        study.tell(study.ask(), 1.0)
    assert process.poll() is not None
    study = hone.create_study(storage=storage, hone_path=hone_bin)
    process = study._server._process
    trial = study.ask()  # a running trial refers back to its study
    del study, trial
    gc.collect()
    assert process.poll() is not None


def test_a_server_that_dies_is_reported(make_study):
    study = make_study()
    study._server._process.kill()
    study._server._process.wait()
    with pytest.raises(hone.HoneError, match="hone serve ended"):
        study.ask()
    assert study._server.closed
