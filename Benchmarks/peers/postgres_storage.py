#!/usr/bin/env python3
"""Hone's PostgreSQL storage beside Optuna's RDBStorage on the same server, in the same run.

Starts a throwaway PostgreSQL cluster with durable settings (fsync and synchronous_commit on;
initdb as the `postgres` user when run as root), then for each worker count runs
StorageBenchmark (Hone) and optuna_storage.py (Optuna 5, postgresql+psycopg2) on fresh
databases, every worker a separate process, while sampling pg_stat_activity every 20 ms for
the peak number of connections to that database. Then, unless --no-scaling, the time of one
ask as the study grows (serve_ask_scaling.py) on PostgreSQL for both.

Prints the server settings, then one JSON line per run:
{"peer", "mode": "postgres", "processes", "trials", "trials_per_second", "complete",
 "numbers_dense", "other_errors", "peak_connections", "connections_per_process"}.
"""
import argparse
import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import psycopg2

HERE = os.path.dirname(os.path.abspath(__file__))


class Cluster:
    """A throwaway cluster in a temporary folder, on a free loopback port, removed at the end."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not bins:
            sys.exit("PostgreSQL is not installed (apt-get install postgresql)")
        self.bin = os.path.dirname(bins[-1])
        self.folder = tempfile.mkdtemp(prefix="hone-pg-bench-")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        if os.getuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        data = os.path.join(self.folder, "data")
        self.run("initdb", "-D", data, "-A", "trust", "-U", "hone")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=400 " \
                  "-c fsync=on -c synchronous_commit=on -c shared_buffers=256MB"
        self.run("pg_ctl", "-D", data, "-o", options, "-l", os.path.join(self.folder, "log"), "-w", "start")
        self.admin = psycopg2.connect(host="127.0.0.1", port=self.port, user="hone", dbname="postgres")
        self.admin.autocommit = True

    def run(self, tool, *args):
        argv = [os.path.join(self.bin, tool), *args]
        if os.getuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)

    def sql(self, text):
        with self.admin.cursor() as cursor:
            cursor.execute(text)
            return cursor.fetchall() if cursor.description else None

    def fresh_database(self, name):
        self.sql(f"DROP DATABASE IF EXISTS {name}")
        self.sql(f"CREATE DATABASE {name}")
        return name

    def stop(self):
        self.admin.close()
        self.run("pg_ctl", "-D", os.path.join(self.folder, "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def sampled(cluster, database, argv):
    """Runs argv while sampling the connections to `database`; returns its JSON and the peak."""
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            count = cluster.sql(f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'")[0][0]
            peak[0] = max(peak[0], count)
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        output = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    finally:
        done.set()
        sampler.join()
    return json.loads(output.strip().splitlines()[-1]), peak[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", required=True, help="the StorageBenchmark executable")
    parser.add_argument("--hone", required=True, help="the hone executable (for the ask-time scaling)")
    parser.add_argument("--processes", default="1,8,32")
    parser.add_argument("--hone-trials", type=int, default=3000)
    parser.add_argument("--optuna-trials", type=int, default=300)
    parser.add_argument("--checkpoints", default="1000,10000,100000")
    parser.add_argument("--optuna-checkpoints", default="1000,10000")
    parser.add_argument("--no-scaling", action="store_true")
    args = parser.parse_args()

    cluster = Cluster()
    try:
        settings = {name: cluster.sql(f"SHOW {name}")[0][0] for name in ("server_version", "fsync", "synchronous_commit", "wal_sync_method")}
        print(json.dumps({"postgres": settings}), flush=True)
        base = f"hone@127.0.0.1:{cluster.port}"
        for processes in (int(p) for p in args.processes.split(",")):
            runs = [
                ("hone", [args.bench, "--mode", "postgres", "--url", f"postgresql://{base}/{{db}}", "--processes", str(processes),
                          "--trials", str(args.hone_trials), "--json"]),
                ("optuna", [sys.executable, os.path.join(HERE, "optuna_storage.py"), "--mode", "postgres", "--url",
                            f"postgresql+psycopg2://{base}/{{db}}", "--processes", str(processes),
                            "--trials", str(args.optuna_trials), "--json"]),
            ]
            for peer, argv in runs:
                database = cluster.fresh_database(f"bench_{peer}_{processes}")
                result, peak = sampled(cluster, database, [a.replace("{db}", database) for a in argv])
                result.update(peak_connections=peak, connections_per_process=round(peak / processes, 2))
                print(json.dumps(result), flush=True)
        if not args.no_scaling:
            hone_db = cluster.fresh_database("scaling_hone")
            optuna_db = cluster.fresh_database("scaling_optuna")
            subprocess.run([sys.executable, os.path.join(HERE, "serve_ask_scaling.py"), "--hone", args.hone,
                            "--checkpoints", args.checkpoints, "--optuna-checkpoints", args.optuna_checkpoints,
                            "--hone-storage", f"postgresql://{base}/{hone_db}",
                            "--optuna-storage", f"postgresql+psycopg2://{base}/{optuna_db}"], check=True)
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
