"""HTTP baseline: the same Django project served by Daphne (ASGI) and by gunicorn (WSGI).

Run it with `.venv/bin/python bench/http.py` (or `make bench`). It:

1. brings db.sqlite3 up to date (migrate) and loads the demo (seed_demo) if it has no
   home page;
2. starts one Daphne process and one gunicorn process with one sync worker, on free loopback
   ports, with DJANGO_SETTINGS_MODULE=bench.settings (debug off, quiet logs, embedded services);
3. waits for `/healthz/` on both;
4. drives three paths on each, from a separate client process: `/bench/bare/` (no template, no
   database), `/bench/template/` (one small template, no database) and `/` (the Wagtail home
   page). First at concurrency 1 (latency), then at concurrency 8 (requests per second). The
   servers are measured alternately, path by path, so that a noisy neighbour hits both alike;
5. prints a table and writes bench/results/http.json; stops both servers whatever happens.

Each run is bounded in requests and in seconds; the whole benchmark takes about
95 seconds.
`--quick` runs a short smoke version (a few seconds per measurement).

Besides client-side latency, the table gives the CPU time the server processes spent per
request (read from /proc), which moves much less than latency on a shared machine.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# This file is called http.py: run as a script, its folder would come first on sys.path and
# shadow the standard library's `http` package. Put the project folder there instead.
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT

import argparse  # noqa: E402
import datetime  # noqa: E402
import http.client  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - we start our own servers
import threading  # noqa: E402
import time  # noqa: E402
from importlib import metadata  # noqa: E402
from pathlib import Path  # noqa: E402

HOST = "127.0.0.1"
BIN = Path(ROOT) / ".venv" / "bin"
RESULTS = Path(HERE) / "results"
DB_FILE = Path(ROOT) / "db.sqlite3"
PATHS = ["/bench/bare/", "/bench/template/", "/"]
BARE = PATHS[0]
SETTINGS = "bench.settings"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Each measurement stops at whichever bound it reaches first. The latency phase is split into
# rounds that alternate between the servers, so that a burst of noise from a neighbour lands on
# both; its percentiles are computed over all rounds pooled. Warm-up runs before the first round.
FULL = {
    "latency": {"concurrency": 1, "rounds": 3, "warmup": 200, "requests": 2000, "seconds": 8.0},
    "throughput": {"concurrency": 8, "rounds": 1, "warmup": 50, "requests": 2000, "seconds": 4.0},
}
QUICK = {
    "latency": {"concurrency": 1, "rounds": 2, "warmup": 20, "requests": 200, "seconds": 1.5},
    "throughput": {"concurrency": 8, "rounds": 1, "warmup": 10, "requests": 200, "seconds": 1.0},
}
WARMUP_MAX_SECONDS = 2.0


# --------------------------------------------------------------------------------------------
# The load generator: runs in its own process (`http.py _load '<json>'`), prints JSON.
# --------------------------------------------------------------------------------------------


def percentile(sorted_values, pct):
    if not sorted_values:
        return None
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


class Client:
    """One keep-alive connection. gunicorn's sync worker closes the connection after every
    response; http.client then reconnects on the next request, and we count those."""

    def __init__(self, port, path):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.path = path
        self.connects = 0
        self.errors = 0

    def get(self):
        if self.conn.sock is None:
            self.connects += 1
        try:
            self.conn.request("GET", self.path, headers={"Accept-Language": "fr"})
            response = self.conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            self.conn.close()
            ok = False
        if not ok:
            self.errors += 1
        return ok


def run_load(cfg):
    """One measurement: optional warm-up, then up to `requests` requests or `seconds` seconds
    from `concurrency` threads, each on its own connection. Returns the raw latencies."""
    port, path = cfg["port"], cfg["path"]
    concurrency, count, seconds = cfg["concurrency"], cfg["requests"], cfg["seconds"]

    warm = Client(port, path)
    warm_deadline = time.perf_counter() + WARMUP_MAX_SECONDS
    warmed = 0
    for _ in range(cfg["warmup"]):
        warm.get()
        warmed += 1
        if time.perf_counter() > warm_deadline:
            break
    warm.conn.close()

    issued = iter(range(count))  # next() on a range iterator is atomic under the GIL
    lock = threading.Lock()
    barrier = threading.Barrier(concurrency + 1)
    latencies, clients, ends = [], [], []
    state = {"deadline": None}

    def worker():
        client = Client(port, path)
        mine = []
        barrier.wait()
        deadline = state["deadline"]
        for _ in issued:
            start = time.perf_counter()
            ok = client.get()
            end = time.perf_counter()
            if ok:
                mine.append(round((end - start) * 1000, 4))
            if end > deadline:
                break
        client.conn.close()
        with lock:
            latencies.extend(mine)
            clients.append(client)
            ends.append(time.perf_counter())

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    state["deadline"] = time.perf_counter() + seconds
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    return {
        "latencies_ms": latencies,
        "elapsed_s": max(ends) - started,
        "errors": sum(client.errors for client in clients) + warm.errors,
        "connects": sum(client.connects for client in clients),
        "warmup_requests": warmed,
    }


def summarise(runs):
    """Pool the rounds of one measurement into one set of figures."""
    ms = sorted(value for run in runs for value in run["latencies_ms"])
    elapsed = sum(run["elapsed_s"] for run in runs)
    round_p50 = [percentile(sorted(run["latencies_ms"]), 50) for run in runs]
    return {
        "requests": len(ms),
        "rounds": len(runs),
        "errors": sum(run["errors"] for run in runs),
        "connects": sum(run["connects"] for run in runs),
        "warmup_requests": sum(run["warmup_requests"] for run in runs),
        "elapsed_s": round(elapsed, 3),
        "rps": round(len(ms) / elapsed, 1) if elapsed > 0 else None,
        "p50_ms": percentile(ms, 50),
        "p90_ms": percentile(ms, 90),
        "p99_ms": percentile(ms, 99),
        "mean_ms": round(sum(ms) / len(ms), 4) if ms else None,
        "min_ms": ms[0] if ms else None,
        "max_ms": ms[-1] if ms else None,
        "round_p50_ms": round_p50,
        "server_cpu_ms_per_req": (
            sum(run["server_cpu_s"] for run in runs)
            * 1000
            / sum(len(run["latencies_ms"]) + run["warmup_requests"] for run in runs)
        ),
    }


# --------------------------------------------------------------------------------------------
# The orchestrator.
# --------------------------------------------------------------------------------------------


def child_env():
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    # The baseline is the embedded setup: SQLite file, in-memory channel layer, local cache.
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def has_home_page():
    if not DB_FILE.exists():
        return False
    try:
        con = sqlite3.connect(DB_FILE, timeout=20)
        try:
            row = con.execute(
                "SELECT COUNT(*) FROM wagtailcore_site s"
                " JOIN wagtailcore_page p ON p.id = s.root_page_id"
                " JOIN django_content_type c ON c.id = p.content_type_id"
                " WHERE s.is_default_site AND c.app_label = 'content' AND c.model = 'homepage'"
                " AND p.live"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return bool(row and row[0])


def manage(*args, check=True):
    """`manage.py` with the development settings, as `make run` uses them."""
    env = child_env()
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
    done = subprocess.run(  # nosec B603 - fixed arguments
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        stdout=subprocess.DEVNULL,
    )
    return done.returncode


def ensure_database():
    """The servers need the schema of the code being measured and the demo home page."""
    if manage("migrate", "--check", check=False) != 0:
        print("db.sqlite3 has unapplied migrations: applying them (as `make run` does) ...")
        manage("migrate", "--noinput")
    if not has_home_page():
        print("db.sqlite3 has no home page: loading the demo territory (seed_demo) ...")
        manage("seed_demo")
        if not has_home_page():
            raise SystemExit("seed_demo ran but the database still has no home page.")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, name, kind, argv_for_port):
        self.name, self.kind = name, kind
        self.port = free_port()
        self.argv = argv_for_port(self.port)
        self.proc = None
        self.log_path = RESULTS / f"http-{kind.lower()}.log"

    def start(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # nosec B603 - fixed arguments
            self.argv,
            cwd=ROOT,
            env=child_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's worker goes with it
        )

    def wait_ready(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.proc.returncode}; see {self.log_path}"
                )
            try:
                status, _ = fetch(self.port, "/healthz/", timeout=5)
                if status == 200:
                    return
                last = f"HTTP {status}"
            except OSError as exc:
                last = exc.__class__.__name__
            time.sleep(0.2)
        raise RuntimeError(
            f"{self.name} not healthy after {timeout:.0f} s ({last}); see {self.log_path}"
        )

    def pids(self):
        """Every process of the server's process group (gunicorn: arbiter and worker)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # field 5 (pgrp), counted after "pid (comm)"
                found.append(int(entry))
        return found

    def cpu_seconds(self):
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / CLOCK_TICKS

    def stop(self):
        """Stop the whole process group: TERM, then KILL whatever is left after 10 s."""
        if self.proc is None:
            return
        pgid = self.proc.pid  # start_new_session: the leader's pid is the group's id
        deadline = time.monotonic() + 10
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                break
            while time.monotonic() < deadline:
                if self.proc.poll() is not None and not self.pids():
                    break
                time.sleep(0.1)
            else:
                deadline = time.monotonic() + 5
                continue
            break
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            print(f"warning: {self.name} (pid {pgid}) did not stop", file=sys.stderr)
        self.log.close()


def fetch(port, path, timeout=10):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Language": "fr"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def measure(server, path, phase, round_index):
    """One round of one measurement, in a fresh client process. The server's CPU time is read
    around it (the client's own work is not counted)."""
    share = phase["rounds"]
    cfg = {
        "port": server.port,
        "path": path,
        "concurrency": phase["concurrency"],
        "warmup": phase["warmup"] if round_index == 0 else phase["warmup"] // 10,
        "requests": max(1, phase["requests"] // share),
        "seconds": phase["seconds"] / share,
    }
    cpu_before = server.cpu_seconds()
    done = subprocess.run(  # nosec B603 - our own script
        [sys.executable, os.path.abspath(__file__), "_load", json.dumps(cfg)],
        capture_output=True,
        text=True,
        timeout=cfg["seconds"] * 3 + WARMUP_MAX_SECONDS + 60,
        check=False,
    )
    cpu_after = server.cpu_seconds()
    if done.returncode != 0:
        raise RuntimeError(f"load generator failed:\n{done.stderr}")
    result = json.loads(done.stdout)
    result["server_cpu_s"] = cpu_after - cpu_before
    return result


def versions():
    names = ["Django", "wagtail", "channels", "daphne", "Twisted", "gunicorn", "whitenoise"]
    found = {}
    for name in names:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def ratio(value, reference):
    if value is None or not reference:
        return None
    return value / reference


def build_rows(results, servers):
    wsgi = next(server for server in servers if server.kind == "WSGI")
    rows = []
    for server in servers:
        for path in PATHS:
            lat = results[server.name][path]["latency"]
            thr = results[server.name][path]["throughput"]
            bare = results[server.name][BARE]["latency"]
            wsgi_bare = results[wsgi.name][BARE]["latency"]
            wsgi_same = results[wsgi.name][path]
            rows.append(
                {
                    "server": server.name,
                    "kind": server.kind,
                    "path": path,
                    "p50_ms": lat["p50_ms"],
                    "p99_ms": lat["p99_ms"],
                    "rps_c1": lat["rps"],
                    "rps_c8": thr["rps"],
                    "cpu_ms_per_req": lat["server_cpu_ms_per_req"],
                    "p50_vs_own_bare": ratio(lat["p50_ms"], bare["p50_ms"]),
                    "p99_vs_own_bare": ratio(lat["p99_ms"], bare["p99_ms"]),
                    "p50_vs_wsgi_bare": ratio(lat["p50_ms"], wsgi_bare["p50_ms"]),
                    "p99_vs_wsgi_bare": ratio(lat["p99_ms"], wsgi_bare["p99_ms"]),
                    "rps_c8_vs_wsgi_bare": ratio(
                        thr["rps"], results[wsgi.name][BARE]["throughput"]["rps"]
                    ),
                    "p50_vs_wsgi_same_path": ratio(lat["p50_ms"], wsgi_same["latency"]["p50_ms"]),
                    "rps_c8_vs_wsgi_same_path": ratio(thr["rps"], wsgi_same["throughput"]["rps"]),
                    "cpu_vs_wsgi_same_path": ratio(
                        lat["server_cpu_ms_per_req"], wsgi_same["latency"]["server_cpu_ms_per_req"]
                    ),
                    "errors": lat["errors"] + thr["errors"],
                }
            )
    return rows


def print_table(rows):
    head = [
        "server",
        "path",
        "p50 ms",
        "p99 ms",
        "req/s c1",
        "req/s c8",
        "CPU ms/req",
        "p50/bare",
        "p99/bare",
        "p50/WSGI bare",
        "p99/WSGI bare",
    ]
    lines = [
        [
            row["server"],
            row["path"],
            fmt(row["p50_ms"]),
            fmt(row["p99_ms"]),
            fmt(row["rps_c1"], 0),
            fmt(row["rps_c8"], 0),
            fmt(row["cpu_ms_per_req"]),
            fmt(row["p50_vs_own_bare"], 1) + "x",
            fmt(row["p99_vs_own_bare"], 1) + "x",
            fmt(row["p50_vs_wsgi_bare"], 1) + "x",
            fmt(row["p99_vs_wsgi_bare"], 1) + "x",
        ]
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(head, *lines, strict=True)]
    for line in [head, ["-" * width for width in widths], *lines]:
        print(
            "  ".join(
                str(cell).ljust(width) if i < 2 else str(cell).rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
    print()
    print("ASGI / WSGI on the same path:")
    for row in rows:
        if row["kind"] == "ASGI":
            print(
                f"  {row['path']:<17} p50 {fmt(row['p50_vs_wsgi_same_path'])}x   "
                f"req/s c8 {fmt(row['rps_c8_vs_wsgi_same_path'])}x   "
                f"CPU/req {fmt(row['cpu_vs_wsgi_same_path'])}x"
            )
    errors = sum(row["errors"] for row in rows)
    if errors:
        print(f"\nWARNING: {errors} failed requests (see the JSON file).")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    parser.add_argument("--output", default=str(RESULTS / "http.json"))
    args = parser.parse_args()
    phases = QUICK if args.quick else FULL

    # A plain `kill` of this script still runs the `finally` below that stops the servers
    # (they run in their own sessions, so they would not get the signal themselves).
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda signum, frame: sys.exit(128 + signum))

    RESULTS.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    ensure_database()

    servers = [
        Server(
            "daphne",
            "ASGI",
            lambda port: [
                str(BIN / "daphne"),
                "-b",
                HOST,
                "-p",
                str(port),
                # No access log: gunicorn writes none by default either.
                "-v",
                "0",
                "config.asgi:application",
            ],
        ),
        Server(
            "gunicorn",
            "WSGI",
            lambda port: [
                str(BIN / "gunicorn"),
                "-w",
                "1",
                "-b",
                f"{HOST}:{port}",
                "--log-level",
                "warning",
                "config.wsgi:application",
            ],
        ),
    ]
    results = {server.name: {path: {} for path in PATHS} for server in servers}
    load_before = os.getloadavg()
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_ready()
            for path in PATHS:
                status, body = fetch(server.port, path)
                if status != 200:
                    raise RuntimeError(f"{server.name} {path}: HTTP {status}")
                results[server.name][path]["bytes"] = len(body)
        print(
            f"daphne on :{servers[0].port}, gunicorn on :{servers[1].port}; measuring "
            f"({'quick' if args.quick else 'full'} run) ...",
            flush=True,
        )
        for phase_name, phase in phases.items():
            runs = {(server.name, path): [] for server in servers for path in PATHS}
            for round_index in range(phase["rounds"]):
                for path in PATHS:
                    for server in servers:
                        runs[server.name, path].append(measure(server, path, phase, round_index))
            for path in PATHS:
                for server in servers:
                    result = summarise(runs[server.name, path])
                    results[server.name][path][phase_name] = result
                    print(
                        f"  {phase_name:<10} c={phase['concurrency']} {server.name:<8} "
                        f"{path:<17} n={result['requests']:<5} p50={fmt(result['p50_ms'])} ms "
                        f"p99={fmt(result['p99_ms'])} ms {fmt(result['rps'], 0)} req/s "
                        f"(round p50s: {', '.join(fmt(v) for v in result['round_p50_ms'])})",
                        flush=True,
                    )
    finally:
        # Nothing may interrupt the clean-up, not even a second Ctrl-C.
        stopping = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in stopping}
        for server in servers:
            server.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    load_after = os.getloadavg()

    rows = build_rows(results, servers)
    print()
    print_table(rows)

    report = {
        "benchmark": "bench/http.py",
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "versions": versions(),
        "settings": SETTINGS,
        "servers": {server.name: {"kind": server.kind, "argv": server.argv} for server in servers},
        "phases": phases,
        "rows": rows,
        "raw": results,
        "duration_s": round(time.monotonic() - began, 1),
    }
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"\nWritten {args.output} in {report['duration_s']} s "
        f"(load average {load_before[0]:.2f} before, {load_after[0]:.2f} after)."
    )


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_load":
        print(json.dumps(run_load(json.loads(sys.argv[2]))))
    else:
        main()
