#!/usr/bin/env python3
"""A small client for `hone serve --stdio` (standard library only).

    from hone_client import HoneClient
    with HoneClient(storage="sqlite:///hone.db") as hone:
        hone.create_study("quadratic", directions=["minimize"], sampler="tpe", pruner="median")
        trial, params = hone.ask("quadratic", {"x": {"type": "float", "low": -5, "high": 5}})
        if hone.report("quadratic", trial, step=1, value=params["x"] ** 2):
            hone.tell("quadratic", trial, state="pruned")
        else:
            hone.tell("quadratic", trial, value=params["x"] ** 2)

Run as a script, it minimizes (x - 2)^2 + (y + 1)^2 in 30 trials with intermediate reports and
prints the best trial as one JSON line.
"""
import argparse
import json
import subprocess


class HoneError(RuntimeError):
    """An error response from Hone."""


class HoneClient:
    """One `hone serve --stdio` process; each method sends one request and returns its response."""

    def __init__(self, hone="hone", storage="sqlite:///hone.db"):
        self._process = subprocess.Popen([hone, "serve", "--stdio", "--storage", storage],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)

    def request(self, op, **fields):
        self._process.stdin.write(json.dumps({"op": op, **fields}) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        if not line:
            raise HoneError("hone serve ended")
        response = json.loads(line)
        if "error" in response:
            raise HoneError(response["error"])
        return response

    def create_study(self, study, directions=("minimize",), sampler="tpe", pruner="nop", seed=None):
        fields = {"study": study, "directions": list(directions), "sampler": sampler, "pruner": pruner}
        if seed is not None:
            fields["seed"] = seed
        return self.request("create_study", **fields)

    def ask(self, study, space):
        response = self.request("ask", study=study, space=space)
        return response["trial"], response["params"]

    def report(self, study, trial, step, value):
        """Reports an intermediate value; True when the trial should be pruned."""
        return self.request("report", study=study, trial=trial, step=step, value=value)["prune"]

    def tell(self, study, trial, value=None, values=None, state=None):
        fields = {"study": study, "trial": trial}
        for key, given in (("value", value), ("values", values), ("state", state)):
            if given is not None:
                fields[key] = given
        return self.request("tell", **fields)

    def enqueue(self, study, params):
        return self.request("enqueue", study=study, params=params)["trial"]

    def best(self, study):
        return self.request("best", study=study)

    def close(self):
        self._process.stdin.close()
        self._process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def main():
    parser = argparse.ArgumentParser(description="Minimize a quadratic through hone serve.")
    parser.add_argument("--hone", default="hone", help="path of the hone executable")
    parser.add_argument("--storage", default="sqlite:///hone.db")
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()
    space = {"x": {"type": "float", "low": -5, "high": 5}, "y": {"type": "float", "low": -5, "high": 5}}
    with HoneClient(args.hone, args.storage) as hone:
        hone.create_study("quadratic", sampler="tpe", pruner="median", seed=1)
        hone.enqueue("quadratic", {"x": 2.0, "y": 0.0})
        for _ in range(args.trials):
            trial, p = hone.ask("quadratic", space)
            loss = (p["x"] - 2) ** 2 + (p["y"] + 1) ** 2
            pruned = False
            for step in range(1, 4):
                if hone.report("quadratic", trial, step, loss * (1 + 1 / step)):
                    pruned = True
                    break
            hone.tell("quadratic", trial, state="pruned") if pruned else hone.tell("quadratic", trial, value=loss)
        print(json.dumps(hone.best("quadratic")))


if __name__ == "__main__":
    main()
