#!/usr/bin/env python3
"""hone dashboard beside optuna-dashboard on the same study of 100,000 trials, in the same run.

DashboardBenchmark writes the study into a Hone SQLite file; `hone study export` copies it into an
Optuna SQLite file, so both dashboards serve the same trials. Then, for each:

- study page: Hone's /studies/<id> (every plot drawn on the server, in the page) against the two
  requests optuna-dashboard's study page makes for its data (/api/studies/<id>, every trial as
  JSON, and /api/studies/<id>/param_importances); first request (5 s after both answer), then warm, then
  right after a new trial (Hone redraws);
- trial table: a page of 50 rows sorted by value; optuna-dashboard's table is drawn from the
  same /api/studies/<id> answer;
- new trial visible: headless Chromium holds Hone's study page open while `hone tell` finishes a
  new trial; the time until the page shows it (needs chromium);
- load: C clients for S seconds on each dashboard's pages; errors, p50/p99 and the server's peak
  resident memory.

Prints one JSON line per figure: {"peer", "figure", ...}.
"""
import argparse
import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "Tests", "browser"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, timeout=300):
    """Seconds for one GET (fresh connection, whole body read), the status and the body."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return time.perf_counter() - started, response.status, body


def wait_ready(port, path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            return get(port, path, timeout=timeout)
        except OSError:
            time.sleep(0.1)
    sys.exit(f"no server on port {port}")


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return None


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


RESULTS = []


def emit(**fields):
    RESULTS.append(fields)
    print(json.dumps(fields), flush=True)


def print_table():
    """The figures side by side: Hone, optuna-dashboard, and optuna-dashboard's time over Hone's."""
    rows = [("study page, first request", "study page: HTML with every plot, first request (5 s after start)",
             "study page: trials (JSON), first request (5 s after start)"),
            ("study page", "study page: HTML with every plot", "study page: trials (JSON)"),
            ("trial table page (50 rows by value)", "trial table page (50 rows by value)", "trial table page (50 rows by value)")]
    found = {(r["peer"], r["figure"]): r for r in RESULTS}
    print("\n| figure | Hone ms | optuna-dashboard ms | ratio |\n|---|---:|---:|---:|")
    for label, hone, peer in rows:
        h, o = found.get(("hone", hone), {}).get("ms"), found.get(("optuna-dashboard", peer), {}).get("ms")
        ratio = f"{o / h:.0f}×" if h and o else "—"
        print(f"| {label} | {h if h is None else f'{h:.1f}'} | {o if o is None else f'{o:.1f}'} | {ratio} |")


WRK_SCRIPT = """
-- One request per call, its path drawn from PATHS (each entry a function of the trial count).
local n = %(trials)d
local paths = { %(paths)s }
math.randomseed(%(seed)d)
request = function()
  return wrk.format("GET", paths[math.random(#paths)]())
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK {"requests": %%d, "errors": %%d, "non_2xx_or_3xx": %%d, "p50_ms": %%.2f, "p99_ms": %%.2f, "seconds": %%.2f}\\n',
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.duration / 1e6))
end
"""


def wrk_load(port, lua_paths, clients, seconds, trials):
    """`clients` connections on 2 threads of wrk for `seconds`, each request's path drawn from `lua_paths`."""
    if shutil.which("wrk") is None:
        sys.exit("the load needs wrk (Benchmarks/dashboard.sh installs it with apt-get as root)")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"trials": trials, "paths": ", ".join(lua_paths), "seed": 7})
    try:
        done = subprocess.run(["wrk", "-t2", f"-c{clients}", f"-d{seconds:g}s", "--timeout", f"{seconds:g}s", "-s", script.name,
                               f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 120)
    finally:
        os.unlink(script.name)
    line = next((l for l in done.stdout.splitlines() if l.startswith("WRK ")), None)
    if line is None:
        sys.exit(f"wrk gave no summary: {done.stdout} {done.stderr}")
    result = json.loads(line[4:])
    result["errors"] += result.pop("non_2xx_or_3xx")
    result["requests_per_second"] = result["requests"] / result.pop("seconds")
    result["client"] = "wrk -t2"
    return result


def tell_one(hone, url):
    asked = json.loads(subprocess.run([hone, "ask", "--storage", url, "--study", "big", "--sampler", "random", "--space",
                                       '{"lr": {"type": "float", "low": 1e-5, "high": 1, "log": true}}'],
                                      check=True, capture_output=True, text=True).stdout)
    subprocess.run([hone, "tell", "--storage", url, "--study", "big", "--trial", str(asked["trial"]), "--value", "0.5"],
                   check=True, capture_output=True)
    return asked["trial"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--hone", required=True)
    parser.add_argument("--bench", required=True, help="the DashboardBenchmark executable")
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--load-only", action="store_true", help="only the load figures (optuna-dashboard's pages take minutes)")
    parser.add_argument("--settle", type=float, default=5, help="seconds between the servers answering and the first page")
    parser.add_argument("--hone-only", action="store_true", help="Hone's figures alone, without optuna-dashboard")
    parser.add_argument("--deadline", type=float, default=180, help="seconds a peer request may take before it counts as unanswered")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="hone-dashboard-bench-")
    hone_db, optuna_db = os.path.join(folder, "hone.db"), os.path.join(folder, "optuna.db")
    made = json.loads(subprocess.run([args.bench, "--path", hone_db, "--trials", str(args.trials)],
                                     check=True, capture_output=True, text=True).stdout)
    emit(peer="hone", figure="study written", trials=args.trials, seconds=made["seconds"])
    url = f"sqlite:///{hone_db}"
    subprocess.run([args.hone, "study", "export", "--to", "optuna", "--storage", url, "--study", "big", "--output", optuna_db],
                   check=True, capture_output=True)

    hone_port, optuna_port = free_port(), free_port()
    servers = {
        "hone": subprocess.Popen([args.hone, "dashboard", "--storage", url, "--port", str(hone_port)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        "optuna-dashboard": subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "optuna-dashboard"), f"sqlite:///{optuna_db}", "--port",
                                              str(optuna_port), "--host", "127.0.0.1", "--quiet"],
                                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
    }
    try:
        # Hone's study id is 1 in a new file; so is Optuna's.
        wait_ready(hone_port, "/static/dashboard.js")
        wait_ready(optuna_port, "/api/meta")
        time.sleep(args.settle)
        ports = {"hone": hone_port, "optuna-dashboard": optuna_port}
        # What each study page needs before it is complete, by part.
        # (optuna-dashboard's importances come last: it answers one request at a time, and
        # a slow one would hold up every later measurement.)
        parts = {"hone": {"HTML with every plot": "/studies/1"},
                 "optuna-dashboard": {"trials (JSON)": "/api/studies/1?after=0"}}
        table = {"hone": "/studies/1/trials?sort=value&page={page}", "optuna-dashboard": "/api/studies/1?after=0"}
        answered = {}
        peers = ("hone",) if args.hone_only else ("hone", "optuna-dashboard")
        for peer in () if args.load_only else peers:
            port = ports[peer]
            for part, path in parts[peer].items():
                try:
                    seconds, status, body = get(port, path, timeout=args.deadline)
                    answered[path] = True
                    emit(peer=peer, figure=f"study page: {part}, first request ({args.settle:g} s after start)", trials=args.trials,
                         ms=seconds * 1000, status=status, bytes=len(body))
                except (OSError, http.client.HTTPException) as error:
                    answered[path] = False
                    emit(peer=peer, figure=f"study page: {part}, first request ({args.settle:g} s after start)", trials=args.trials, ms=None,
                         error=f"no answer within {args.deadline:g} s ({type(error).__name__})")
                    continue
                warm = [get(port, path, timeout=args.deadline)[0] for _ in range(5)]
                emit(peer=peer, figure=f"study page: {part}", trials=args.trials, ms=median(warm) * 1000)
            if answered.get(table[peer].split("{")[0]) is not False:
                pages = [get(port, table[peer].format(page=random.randint(1, args.trials // 50)), timeout=args.deadline)[0]
                         for _ in range(5)]
                emit(peer=peer, figure="trial table page (50 rows by value)", trials=args.trials, ms=median(pages) * 1000)
        changed, changed_table = [], []
        for k in range(0 if args.load_only else 5):
            tell_one(args.hone, url)
            time.sleep(0.3)
            changed.append(get(hone_port, "/studies/1")[0])
            changed_table.append(get(hone_port, f"/studies/1/trials?sort=value&page={k + 1}")[0])
        if not args.load_only:
            emit(peer="hone", figure="study page right after a new trial", trials=args.trials, ms=median(changed) * 1000)
            emit(peer="hone", figure="trial table page right after a new trial", trials=args.trials, ms=median(changed_table) * 1000)
            emit(peer="hone", figure="new trial visible", trials=args.trials, seconds=browser_latency(args.hone, url, hone_port))
        else:
            # The load measures a running dashboard: the study read once, as the pages above do.
            get(hone_port, "/studies/1")
            get(hone_port, "/studies/1/trials?sort=value")
            answered["/api/studies/1?after=0"] = True

        n = args.trials + 5
        lua = {
            "hone": ['function() return "/studies/1" end',
                     'function() return "/studies/1/trials?sort=value&page=" .. math.random(1, math.floor(n / 50)) end',
                     'function() return "/studies/1/trials/" .. math.random(0, n - 1) end',
                     'function() return "/api/studies/1/changes?since=1000000000" end', 'function() return "/" end'],
            "optuna-dashboard": ['function() return "/api/studies/1?after=0" end',
                                 'function() return "/api/studies/1?after=" .. (n - 5) end', 'function() return "/api/studies" end'],
        }
        if not answered.get("/api/studies/1?after=0"):
            lua["optuna-dashboard"] = lua["optuna-dashboard"][1:]
        for peer in peers:
            result = wrk_load(ports[peer], lua[peer], args.clients, args.seconds, n)
            emit(peer=peer, figure=f"load: {args.clients} clients for {args.seconds:g} s", trials=n,
                 peak_rss_mib=peak_rss_mib(servers[peer].pid), **result)
        if not args.load_only and not args.hone_only:
            try:
                seconds, status, _ = get(optuna_port, "/api/studies/1/param_importances", timeout=args.deadline)
                emit(peer="optuna-dashboard", figure="study page: importances (JSON), first request", trials=n, ms=seconds * 1000,
                     status=status)
            except (OSError, http.client.HTTPException) as error:
                emit(peer="optuna-dashboard", figure="study page: importances (JSON), first request", trials=n, ms=None,
                     error=f"no answer within {args.deadline:g} s ({type(error).__name__})")
    finally:
        for server in servers.values():
            server.send_signal(signal.SIGINT)
        for server in servers.values():
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        subprocess.run(["rm", "-rf", folder])
    print_table()


def browser_latency(hone, url, port):
    """Seconds from a `hone tell` to Hone's open study page showing the trial; None without Chromium."""
    import cdp
    if cdp.find_chromium() is None:
        return None
    with cdp.Browser() as browser:
        browser.navigate(f"http://127.0.0.1:{port}/studies/1", timeout=60)
        before = int(browser.evaluate("document.querySelector('#counts').dataset.trials"))
        told = time.monotonic()
        tell_one(hone, url)
        browser.wait_for(f"document.querySelector('#counts').dataset.trials === '{before + 1}'", timeout=30)
        return time.monotonic() - told


if __name__ == "__main__":
    main()
