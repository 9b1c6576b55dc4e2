"""Studies made by real `hone` processes, and a `hone dashboard` serving them.

Used by the browser tests, `make screenshots` and the dashboard benchmark: every study here is
written the way users write them (`hone tune` running a command, `hone ask`/`hone tell`), so
the dashboard is shown what it will see.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

HOSTILE = "<img src=x onerror=alert(1)>"

TRAIN = textwrap.dedent("""\
    import math, random, sys, time
    lr, layers, act = float(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]))
    best = (math.log10(lr) + 2.5) ** 2 + 0.3 * abs(layers - 3) + (0.2 if act == "tanh" else 0)
    for step in range(1, 9):
        loss = best + 2.0 / step + rng.gauss(0, 0.02)
        print(f"hone: step={step} value={loss}", flush=True)
        print(f"epoch {step}: loss {loss:.4f}", file=sys.stderr, flush=True)
        time.sleep(0.01)
    print(f"hone: value={loss}")
    """)

SPACE = ('{"lr": {"type": "float", "low": 1e-5, "high": 1, "log": true}, "layers": {"type": "int", "low": 1, "high": 6},'
         ' "act": {"type": "categorical", "choices": ["relu", "tanh", "gelu"]}}')


def run(hone: str, *args: str, timeout: float = 120) -> str:
    """Runs `hone args…`; its stdout, or an AssertionError with stderr."""
    done = subprocess.run([hone, *args], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"hone {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


def make_studies(hone: str, folder: Path, tuned_trials: int = 24) -> str:
    """A SQLite storage in `folder` with three studies; returns its URL.

    - `tuned`: `hone tune` over a training script (learning curves, median pruning, logs, 2 workers);
    - `pareto`: two objectives through ask/tell;
    - a study and a parameter named `HOSTILE`.
    """
    url = f"sqlite:///{folder / 'studies.db'}"
    script = folder / "train.py"
    script.write_text(TRAIN)
    run(hone, "tune", "--storage", url, "--study", "tuned", "--space", SPACE, "--trials", str(tuned_trials),
        "--jobs", "2", "--pruner", "median", "--seed", "3", "--log-dir", str(folder / "logs"),
        "--", sys.executable, str(script), "{lr}", "{layers}", "{act}", "{trial}", timeout=300)
    run(hone, "study", "create", "--storage", url, "--study", "pareto", "--direction", "minimize", "--direction", "minimize")
    for _ in range(16):
        trial = ask(hone, url, "pareto", '{"a": {"type": "float", "low": 0, "high": 1}, "b": {"type": "float", "low": 0, "high": 1}}')
        a, b = trial["params"]["a"], trial["params"]["b"]
        run(hone, "tell", "--storage", url, "--study", "pareto", "--trial", str(trial["trial"]), "--values", f"{a},{1 - a ** 0.5 + b}")
    run(hone, "study", "create", "--storage", url, "--study", HOSTILE)
    for k in range(4):
        trial = ask(hone, url, HOSTILE, '{"%s": {"type": "float", "low": 0, "high": 1}}' % HOSTILE.replace('"', '\\"'))
        run(hone, "tell", "--storage", url, "--study", HOSTILE, "--trial", str(trial["trial"]), "--value", str(k + 0.5))
    return url


def ask(hone: str, url: str, study: str, space: str) -> dict:
    """`hone ask`, parsed."""
    return json.loads(run(hone, "ask", "--storage", url, "--study", study, "--space", space, "--sampler", "random"))


class Dashboard:
    """`hone dashboard` on a free port of 127.0.0.1, stopped (SIGINT, then SIGKILL) on exit."""

    def __init__(self, hone: str, url: str, *args: str):
        self.process = subprocess.Popen([hone, "dashboard", "--storage", url, "--port", "0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("http://" in line for line in lines):
            ready, _, _ = select.select([self.process.stdout], [], [], 0.5)
            if ready:
                line = self.process.stdout.readline()
                if not line:
                    break
                lines.append(line)
        found = [re.search(r"http://[^ ]+:(\d+)/", line) for line in lines]
        if not any(found):
            self.stop()
            raise AssertionError(f"hone dashboard did not start: {''.join(lines)} {self.process.stderr.read()[-2000:]}")
        self.port = int(next(m for m in found if m).group(1))
        self.base = f"http://127.0.0.1:{self.port}"
        if "--allow-writes" in args:
            line = self.process.stdout.readline()
            self.token = re.search(r"token=([0-9a-f]+)", line).group(1)

    def study_ids(self) -> dict:
        """The id of each study the dashboard lists, by name."""
        with urllib.request.urlopen(self.base + "/api/studies", timeout=10) as r:
            return {s["name"]: s["id"] for s in json.load(r)["studies"]}

    def __enter__(self) -> "Dashboard":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def hone_binary() -> str | None:
    """$HONE_BIN, else the debug build of this checkout."""
    path = os.environ.get("HONE_BIN") or str(Path(__file__).resolve().parents[2] / ".build" / "debug" / "hone")
    return path if os.access(path, os.X_OK) else None
