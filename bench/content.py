"""Content hub benchmark: index pages and search over a big territory, served by Daphne.

Run it with `.venv/bin/python bench/content.py`. It:

1. uses its own SQLite file, bench/results/content.sqlite3 (media in bench/results/media/),
   unless DATABASE_URL is set, in which case that database is used (and said so);
2. migrates, loads the demo (`seed_demo --force`) and the bench territory (`bench_content
   --force`: 2,000 destinations, 5,000 stories, 1,000 events by default; skipped when they
   are already there);
3. counts the SQL queries of every measured URL with Django's test client (a cold request,
   then a warm one: the warm figure is what the load test sees);
4. starts one Daphne process (settings `bench.settings`: debug off, quiet logs) on a loopback
   port and measures, from a separate client process (one keep-alive connection, concurrency
   1, bounded in requests and in seconds), the bare template view `/bench/template/`, the
   home page, the destination, story and event indexes (first page, last page, filtered by area) and
   `/search/`. The URLs are measured in rounds, one after the other, so that noise from a
   neighbour spreads over all of them. Each index and search URL is measured twice: as
   visitors get it (its listing or its results come from the cache after the first request)
   and "uncached", with a parameter that changes on every request (`&uncached=<n>`), so that
   every request renders the listing or runs the search, as after a publication or for a new
   filter or query;
5. prints a table (p50, p99, p99/p50, p50 / bare p50, queries) against the goals of issue 4
   (p50 <= 4x the bare view's p50, p99 <= 3x the page's own p50), writes
   bench/results/content.json, and profiles the slowest page in-process (pyinstrument if it is
   installed, cProfile otherwise) into bench/results/content-profile.txt.

`--quick` runs a short smoke version. The full run takes a few minutes on 2 cores.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# Run as a script, this folder would come first on sys.path, and this file (content.py) would
# shadow the `content` app, and bench/http.py the standard library's `http`.
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
import subprocess  # noqa: E402  # nosec B404 - we start our own server and tools
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HOST = "127.0.0.1"
# BENCH_PORT: one port of your own when several people share the machine.
PORTS = [int(os.environ["BENCH_PORT"])] if os.environ.get("BENCH_PORT") else [8116, 8117, 8118]
BIN = Path(ROOT) / ".venv" / "bin"
RESULTS = Path(HERE) / "results"
DB_FILE = RESULTS / "content.sqlite3"
MEDIA = RESULTS / "media"
SETTINGS = "bench.settings"
BARE = "/bench/template/"
GOAL_P50_RATIO = 4.0
GOAL_P99_RATIO = 3.0

FULL = {"rounds": 3, "warmup": 10, "requests": 300, "seconds": 6.0, "profile_requests": 20}
QUICK = {"rounds": 1, "warmup": 3, "requests": 30, "seconds": 1.0, "profile_requests": 5}
# A page slower than this is reported as such and not measured further.
REQUEST_TIMEOUT = 20
PROFILE_MAX_SECONDS = 60
SIZES = {"destinations": 2000, "stories": 5000, "events": 1000}


def vary_path(path, n):
    """`path` with a parameter of its own, so that the listing cache misses."""
    return f"{path}{'&' if '?' in path else '?'}uncached={n}"


def percentile(sorted_values, pct):
    if not sorted_values:
        return None
    rank = max(1, math.ceil(pct / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


# --------------------------------------------------------------------------------------------
# The load generator: its own process (`content.py _load '<json>'`), prints JSON.
# --------------------------------------------------------------------------------------------


def run_load(cfg):
    conn = http.client.HTTPConnection(HOST, cfg["port"], timeout=REQUEST_TIMEOUT)
    headers = {"Accept-Language": "fr", "Host": HOST}
    latencies, errors, statuses, timed_out = [], 0, {}, False
    issued = 0

    def get():
        nonlocal errors, timed_out, issued
        issued += 1
        path = cfg["path"]
        if cfg["vary"]:
            path = vary_path(path, f"{cfg['round']}-{issued}")
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            statuses[response.status] = statuses.get(response.status, 0) + 1
            return response.status == 200
        except TimeoutError:
            timed_out = True
        except (OSError, http.client.HTTPException):
            pass
        conn.close()
        errors += 1
        return False

    warm_deadline = time.perf_counter() + cfg["seconds"]
    warmed = 0
    for _ in range(cfg["warmup"]):
        get()
        warmed += 1
        if timed_out or time.perf_counter() > warm_deadline:
            break
    deadline = time.perf_counter() + cfg["seconds"]
    for _ in range(0 if timed_out else cfg["requests"]):
        start = time.perf_counter()
        ok = get()
        end = time.perf_counter()
        if ok:
            latencies.append(round((end - start) * 1000, 3))
        if timed_out or end > deadline:
            break
    conn.close()
    return {
        "latencies_ms": latencies,
        "errors": errors,
        "statuses": statuses,
        "timed_out": timed_out,
        "issued": warmed + len(latencies) + errors,
    }


# --------------------------------------------------------------------------------------------
# In-process helpers (Django set up): URLs and query counts, profile.
# --------------------------------------------------------------------------------------------


def django_setup():
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    # Gives the test client the response's context (the paginator) and accepts its host.
    setup_test_environment()


def client():
    from django.test import Client

    return Client(HTTP_HOST=HOST, HTTP_ACCEPT_LANGUAGE="fr")


def inspect_urls():
    """The URLs to measure (last pages found from the paginators) and their query counts."""
    django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content.models import Area, DestinationPage

    c = client()
    area = Area.objects.filter(slug="kerlann").first() or Area.objects.first()
    destination = DestinationPage.objects.live().filter(slug__startswith="bench-").first()
    urls = [("bare template view", BARE, False)]
    # The home page (issue 17): its lists are cached like an index page's listing.
    urls += [("home page", "/", False), ("home page, uncached", "/", True)]
    for section in ("destinations", "stories", "events"):
        first = f"/{section}/"
        response = c.get(first)
        last_page = response.context["results"].paginator.num_pages if response.context else 1
        for name, path in [
            (f"{section}: first page", first),
            (f"{section}: last page ({last_page})", f"{first}?page={last_page}"),
            (f"{section}: area={area.slug}", f"{first}?area={area.slug}"),
        ]:
            urls += [(name, path, False), (f"{name}, uncached", path, True)]
    for name, path in [
        ("search: q=granit", "/search/?q=granit"),
        ("search: q=granit, page 2", "/search/?q=granit&page=2"),
    ]:
        urls += [(name, path, False), (f"{name}, uncached", path, True)]
    if destination is not None:
        urls.append(("a destination page", destination.url, False))

    found = []
    for name, path, vary in urls:
        counts = []
        for n in range(2):  # cold (caches empty), then warm
            with CaptureQueriesContext(connection) as queries:
                response = c.get(vary_path(path, f"inspect-{n}") if vary else path)
            counts.append(len(queries))
        found.append(
            {
                "name": name,
                "path": path,
                "vary": vary,
                "status": response.status_code,
                "bytes": len(response.content),
                "queries_cold": counts[0],
                "queries_warm": counts[1],
            }
        )
    return found


def profile_url(path, vary, requests, output):
    django_setup()
    c = client()
    c.get(path)  # warm caches, as the load test does
    paths = [vary_path(path, f"profile-{n}") if vary else path for n in range(requests)]
    try:
        from pyinstrument import Profiler
    except ImportError:
        Profiler = None
    if Profiler is not None:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        deadline = time.monotonic() + PROFILE_MAX_SECONDS
        for done, each in enumerate(paths, start=1):  # noqa: B007 - `done` is reported below
            c.get(each)
            if time.monotonic() > deadline:
                break
        profiler.stop()
        requests = done
        text = profiler.output_text(unicode=True, color=False, show_all=False) + (
            "\n\n# Flat view: time per function, its own time plus its callees' (total)\n\n"
            + profiler.output_text(unicode=True, flat=True, flat_time="total")[:20000]
        )
        Path(output).with_suffix(".html").write_text(profiler.output_html())
        tool = "pyinstrument"
    else:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        deadline = time.monotonic() + PROFILE_MAX_SECONDS
        for done, each in enumerate(paths, start=1):  # noqa: B007 - `done` is reported below
            c.get(each)
            if time.monotonic() > deadline:
                break
        profiler.disable()
        requests = done
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(60)
        text = stream.getvalue()
        tool = "cProfile"
    label = f"{path} (uncached: a new parameter each time)" if vary else path
    Path(output).write_text(f"# {tool}: {requests} x GET {label}\n\n{text}")
    return {"tool": tool, "path": path, "requests": requests, "output": str(output)}


# --------------------------------------------------------------------------------------------
# The orchestrator.
# --------------------------------------------------------------------------------------------


def child_env():
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    env.setdefault("DATABASE_URL", f"sqlite:///{DB_FILE}")
    env.setdefault("MEDIA_ROOT", str(MEDIA))
    env.pop("REDIS_URL", None)
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_self(mode, payload, timeout):
    done = subprocess.run(  # nosec B603 - our own script
        [sys.executable, os.path.abspath(__file__), mode, json.dumps(payload)],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{mode} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def manage(*args):
    began = time.monotonic()
    done = subprocess.run(  # nosec B603 - fixed arguments
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout, time.monotonic() - began


def free_port():
    for port in PORTS:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            try:
                sock.bind((HOST, port))
            except OSError:
                continue
            return port
    raise SystemExit(f"No free port among {PORTS}.")


def fetch(port, path, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept-Language": "fr"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Daphne:
    def __init__(self):
        self.port = free_port()
        self.argv = [
            str(BIN / "daphne"),
            "-b",
            HOST,
            "-p",
            str(self.port),
            "-v",
            "0",
            "config.asgi:application",
        ]
        self.log_path = RESULTS / "content-daphne.log"
        self.proc = None

    def start(self):
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(  # nosec B603 - fixed arguments
            self.argv,
            cwd=ROOT,
            env=child_env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout=90.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.proc.returncode}: {self.log_path}")
            try:
                if fetch(self.port, "/healthz/", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"daphne not healthy after {timeout:.0f} s; see {self.log_path}")

    def cpu_seconds(self):
        try:
            with open(f"/proc/{self.proc.pid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.log.close()


def fmt(value, digits=1):
    return "-" if value is None else f"{value:.{digits}f}"


def summarise(runs, cpu_seconds):
    ms = sorted(v for run in runs for v in run["latencies_ms"])
    p50, p99 = percentile(ms, 50), percentile(ms, 99)
    return {
        "requests": len(ms),
        "errors": sum(run["errors"] for run in runs),
        "timed_out": any(run["timed_out"] for run in runs),
        "statuses": {
            status: sum(run["statuses"].get(status, 0) for run in runs)
            for status in {s for run in runs for s in run["statuses"]}
        },
        "p50_ms": p50,
        "p90_ms": percentile(ms, 90),
        "p99_ms": p99,
        "max_ms": ms[-1] if ms else None,
        "p99_over_p50": (p99 / p50) if p50 else None,
        "round_p50_ms": [percentile(sorted(run["latencies_ms"]), 50) for run in runs],
        # The server's CPU time over every request it answered, warm-up included.
        "server_cpu_ms_per_req": (
            cpu_seconds * 1000 / sum(run["issued"] for run in runs) if ms else None
        ),
    }


def print_table(rows):
    head = ["URL", "p50 ms", "p99 ms", "p99/p50", "p50/bare", "CPU ms", "queries", "n", "goal"]
    lines = []
    for row in rows:
        lines.append(
            [
                row["name"],
                fmt(row["p50_ms"]),
                fmt(row["p99_ms"]),
                fmt(row["p99_over_p50"], 2) + "x",
                fmt(row["p50_over_bare"], 1) + "x",
                fmt(row["server_cpu_ms_per_req"]),
                f"{row['queries_warm']} ({row['queries_cold']} cold)",
                str(row["requests"]),
                row["verdict"],
            ]
        )
    widths = [max(len(str(c)) for c in col) for col in zip(head, *lines, strict=True)]
    for line in [head, ["-" * w for w in widths], *lines]:
        print(
            "  ".join(
                str(cell).ljust(w) if i in (0, len(line) - 1) else str(cell).rjust(w)
                for i, (cell, w) in enumerate(zip(line, widths, strict=True))
            )
        )


def verdict(row, bare_p50):
    if row["path"] == BARE:
        return "reference"
    if row["status"] != 200:
        return f"not measured (HTTP {row['status']})"
    if row.get("timed_out"):
        return f"MISS (a request took over {REQUEST_TIMEOUT} s)"
    misses = []
    if row["p50_ms"] is not None and row["p50_ms"] > GOAL_P50_RATIO * bare_p50:
        misses.append("p50")
    if row["p99_over_p50"] is not None and row["p99_over_p50"] > GOAL_P99_RATIO:
        misses.append("p99")
    return "ok" if not misses else "MISS " + "+".join(misses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short smoke run")
    for name, default in SIZES.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--output", default=str(RESULTS / "content.json"))
    args = parser.parse_args()
    phase = QUICK if args.quick else FULL
    RESULTS.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()

    env = child_env()
    if "DATABASE_URL" in os.environ:
        print(f"Using DATABASE_URL from the environment: {os.environ['DATABASE_URL']}")
    else:
        print(f"Using the benchmark's own SQLite file {DB_FILE}")

    print("Preparing the database (migrate, seed_demo, bench_content) ...", flush=True)
    _, seconds = manage("migrate", "--noinput")
    print(f"  migrate: {seconds:.0f} s")
    _, seconds = manage("seed_demo", "--force")
    print(f"  seed_demo: {seconds:.0f} s")
    sizes = [f"--{name}={getattr(args, name)}" for name in SIZES]
    out, seconds = manage("bench_content", "--force", *sizes)
    print("  " + out.strip().replace("\n", "\n  ") + f"  ({seconds:.0f} s with start-up)")

    print("Counting queries per URL with the test client ...", flush=True)
    step = time.monotonic()
    urls = run_self("_inspect", {}, timeout=900)
    print(f"  done in {time.monotonic() - step:.0f} s")

    server = Daphne()
    results = {}
    load_before = os.getloadavg()
    try:
        server.start()
        server.wait_ready()
        print(
            f"Daphne on {HOST}:{server.port}; measuring "
            f"({'quick' if args.quick else 'full'} run) ...",
            flush=True,
        )
        runs = {url["name"]: [] for url in urls}
        cpu = dict.fromkeys(runs, 0.0)
        for round_index in range(phase["rounds"]):
            for url in urls:
                if url["status"] != 200 or any(r["timed_out"] for r in runs[url["name"]]):
                    continue
                cfg = {
                    "port": server.port,
                    "path": url["path"],
                    "vary": url["vary"],
                    "round": round_index,
                    "warmup": phase["warmup"] if round_index == 0 else 2,
                    "requests": math.ceil(phase["requests"] / phase["rounds"]),
                    "seconds": phase["seconds"] / phase["rounds"],
                }
                cpu_before = server.cpu_seconds()
                runs[url["name"]].append(run_self("_load", cfg, timeout=300))
                cpu[url["name"]] += server.cpu_seconds() - cpu_before
                last = runs[url["name"]][-1]["latencies_ms"]
                label = url["path"] + (" (uncached)" if url["vary"] else "")
                print(
                    f"  round {round_index + 1} {label:<45} n={len(last):<4} "
                    f"p50={fmt(percentile(sorted(last), 50))} ms",
                    flush=True,
                )
        for url in urls:
            if runs[url["name"]]:
                results[url["name"]] = summarise(runs[url["name"]], cpu[url["name"]])
    finally:
        server.stop()
    load_after = os.getloadavg()

    bare_p50 = next(results[url["name"]] for url in urls if url["path"] == BARE)["p50_ms"]
    rows = []
    for url in urls:
        measured = results.get(url["name"], {})
        row = {**url, **measured}
        for key in ("p50_ms", "p99_ms", "p99_over_p50", "server_cpu_ms_per_req", "requests"):
            row.setdefault(key, None)
        row["p50_over_bare"] = (row["p50_ms"] / bare_p50) if row["p50_ms"] else None
        row["verdict"] = verdict(row, bare_p50)
        rows.append(row)

    print()
    print(
        f"{os.cpu_count()} CPU cores, load average {load_before[0]:.2f} before and "
        f"{load_after[0]:.2f} after; goals: p50 <= {GOAL_P50_RATIO:.0f}x the bare view's "
        f"p50 ({fmt(bare_p50, 2)} ms, so <= {fmt(GOAL_P50_RATIO * bare_p50)} ms), "
        f"p99 <= {GOAL_P99_RATIO:.0f}x the page's own p50."
    )
    print_table(rows)

    profile = None
    measured = [row for row in rows if row["path"] != BARE and row["p50_ms"]]
    if measured and not args.no_profile:
        slowest = max(measured, key=lambda row: row["p50_ms"])
        print(f"\nProfiling the slowest page, {slowest['path']} ...", flush=True)
        profile = run_self(
            "_profile",
            {
                "path": slowest["path"],
                "vary": slowest["vary"],
                "requests": phase["profile_requests"],
                "output": str(RESULTS / "content-profile.txt"),
            },
            timeout=900,
        )
        print(f"  written {profile['output']} ({profile['tool']})")

    report = {
        "benchmark": "bench/content.py",
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "loadavg_before": load_before,
            "loadavg_after": load_after,
        },
        "database": env["DATABASE_URL"].split("@")[-1],
        "settings": SETTINGS,
        "sizes": {name: getattr(args, name) for name in SIZES},
        "phase": phase,
        "goals": {"p50_over_bare_max": GOAL_P50_RATIO, "p99_over_own_p50_max": GOAL_P99_RATIO},
        "rows": rows,
        "profile": profile,
        "duration_s": round(time.monotonic() - began, 1),
    }
    Path(args.output).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nWritten {args.output} in {report['duration_s']} s.")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "_load":
        print(json.dumps(run_load(json.loads(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "_inspect":
        print(json.dumps(inspect_urls()))
    elif len(sys.argv) == 3 and sys.argv[1] == "_profile":
        print(json.dumps(profile_url(**json.loads(sys.argv[2]))))
    else:
        main()
