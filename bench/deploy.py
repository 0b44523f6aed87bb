"""The figures of docs/deploy.md: pages through gunicorn as deployed (sync workers, debug off),
each as a ratio to a bare Django view served by the same gunicorn in the same run.

    DATABASE_URL=postgres://… REDIS_URL=redis://… python bench/deploy.py [--workers 4]
        [--concurrency 8] [--seconds 15] [--port 8000]

With DATABASE_URL and REDIS_URL it measures on PostgreSQL and Redis, as in production;
without them on the embedded SQLite file. The database gets the demo territory first if it
has no destination (seed_demo, never on a real site's database). It prints, for `/bench/bare/`,
`/` and `/destinations/`: requests per second, p50 and p99 latency, and each one's ratio to the
bare view; and the number of SQL queries each page makes (one request in this process).
"""

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
PATHS = ["/bench/bare/", "/", "/destinations/"]

# bench/http.py's load generator (threads, one keep-alive connection each). Loaded by path:
# as a module named "http" it would shadow the standard library's.
_spec = importlib.util.spec_from_file_location("bench_http", HERE / "http.py")
bench_http = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_http)


def env(settings: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings,
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }


def manage(*args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env("config.settings.dev"),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def count_queries() -> dict:
    """Queries of one warm request per page, in this process (bench settings)."""
    code = (
        "import django, json;django.setup()\n"
        "from django.db import connection\n"
        "from django.test import Client\n"
        "from django.test.utils import CaptureQueriesContext\n"
        'client = Client(HTTP_HOST="127.0.0.1")\n'
        "counts = {}\n"
        f"for path in {PATHS!r}:\n"
        "    client.get(path)\n"
        "    with CaptureQueriesContext(connection) as queries:\n"
        "        assert client.get(path).status_code == 200\n"
        "    counts[path] = len(queries)\n"
        "print(json.dumps(counts))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env("bench.settings"),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    import json

    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=0)
    options = parser.parse_args()

    manage("migrate", "--noinput")
    check = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "import sys; from content.models import DestinationPage as D; "
            "sys.exit(0 if D.objects.exists() else 3)",
        ],
        cwd=ROOT,
        env=env("config.settings.dev"),
    )
    if check.returncode == 3:
        print("No destination in this database: loading the demo territory (seed_demo) ...")
        manage("seed_demo")

    port = options.port or bench_http.free_port()
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            *("--workers", str(options.workers), "--bind", f"127.0.0.1:{port}"),
            *("--timeout", "30", "--log-level", "warning"),
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env=env("bench.settings"),
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if bench_http.fetch(port, "/bench/bare/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("gunicorn did not start")
            time.sleep(0.5)
        results = {}
        for path in PATHS:
            run = bench_http.run_load(
                {
                    "port": port,
                    "path": path,
                    "concurrency": options.concurrency,
                    "requests": 1_000_000,
                    "seconds": options.seconds,
                    "warmup": 20,
                }
            )
            latencies = sorted(run["latencies_ms"])
            results[path] = {
                "rps": len(latencies) / run["elapsed_s"],
                "p50": bench_http.percentile(latencies, 50),
                "p99": bench_http.percentile(latencies, 99),
                "errors": run["errors"],
            }
    finally:
        server.terminate()
        server.wait(timeout=30)
    queries = count_queries()

    database = (
        "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else ("SQLite")
    )
    print(
        f"gunicorn, {options.workers} sync workers, {options.concurrency} concurrent clients, "
        f"{options.seconds:g} s per path, {database}"
        + (", Redis" if os.environ.get("REDIS_URL") else ", local cache")
        + f", {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    bare = results[PATHS[0]]
    head = ("path", "req/s", "ratio", "p50 ms", "p99 ms", "queries", "errors")
    print(f"{head[0]:<16}" + "".join(f"{name:>9}" for name in head[1:]))
    for path, figures in results.items():
        print(
            f"{path:<16}{figures['rps']:>9.1f}{figures['rps'] / bare['rps']:>9.3f}"
            f"{figures['p50']:>9.1f}{figures['p99']:>9.1f}{queries[path]:>9}{figures['errors']:>9}"
        )


if __name__ == "__main__":
    main()
