"""Tracked links benchmark (issue 18): `/r/<code>` against a bare Django view that returns a
redirect (`/bench/redirect/`), through the same server, under Daphne (ASGI) and gunicorn
(WSGI, one sync worker, as docs/deploy.md runs it).

Run it with `.venv/bin/python bench/ambassadors.py [--quick] [--redis redis://127.0.0.1:6379/2]`.
It uses the worktree's db.sqlite3 (`migrate` and `seed_demo` first: it needs the demo's
links), starts both servers on loopback ports with `bench.settings`, and measures, from this
process, one keep-alive connection at concurrency 1, in alternating rounds:

- `/bench/redirect/`: the baseline;
- `/r/<code>` as a new visitor each time (a user agent of its own per request, so every
  request is counted: the Lua call on Redis, or the database write without Redis);
- `/r/<code>` as the same visitor again (deduplicated: counted once per window).

It prints p50, p99 and each p50 as a ratio to the baseline's p50 in the same run (goal of
the issue: <= 1.5x), and the clicks counted in Redis then flushed, which must equal the
new-visitor requests made (no click lost).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT

import argparse  # noqa: E402
import http.client  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - our own servers
import time  # noqa: E402
from pathlib import Path  # noqa: E402

HOST = "127.0.0.1"
BIN = Path(sys.executable).parent
BASE_PORT = int(os.environ.get("BENCH_PORT", "8210"))
# The "same visitor" of this run: new to the link, so counted once (its first request).
SAME_VISITOR = f"Mozilla/5.0 (bench same visitor {time.time_ns()})"


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]


def env(redis_url):
    values = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": ROOT}
    if redis_url:
        values["REDIS_URL"] = redis_url
    else:
        values.pop("REDIS_URL", None)
    return values


def wait(port, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/healthz/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"no server on {port}")


def measure(port, path, count, *, new_visitor=False):
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    times = []
    for n in range(count):
        agent = f"Mozilla/5.0 (bench {time.time_ns()} {n})" if new_visitor else SAME_VISITOR
        start = time.perf_counter()
        try:
            conn.request("GET", path, headers={"User-Agent": agent})
            response = conn.getresponse()
            response.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
            continue
        times.append(time.perf_counter() - start)
        if response.status != 302:
            raise RuntimeError(f"{path}: HTTP {response.status}")
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.close()
    return times


def django_shell(code, redis_url):
    out = subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env(redis_url),
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip().splitlines()[-1]


def link_total(code, redis_url):
    """The link's clicks in the database once everything counted in Redis is flushed."""
    return int(
        django_shell(
            "from ambassadors.links.services import flush_clicks; "
            "from ambassadors.models import TrackedLink; flush_clicks(); "
            f"print(TrackedLink.objects.get(code={code!r}).clicks)",
            redis_url,
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", ""))
    args = parser.parse_args()
    rounds, per_round = (3, 100) if args.quick else (6, 300)
    code = django_shell(
        "from ambassadors.models import TrackedLink; print(TrackedLink.objects.first().code)",
        args.redis,
    )
    before = link_total(code, args.redis)
    servers = {
        "Daphne": [
            str(BIN / "daphne"),
            "-b",
            HOST,
            "-p",
            str(BASE_PORT),
            "config.asgi:application",
        ],
        "gunicorn": [
            str(BIN / "gunicorn"),
            "-w",
            "1",
            "-b",
            f"{HOST}:{BASE_PORT + 1}",
            "config.wsgi:application",
        ],
    }
    ports = {"Daphne": BASE_PORT, "gunicorn": BASE_PORT + 1}
    procs = {}
    results = {}
    counted = 0
    try:
        for name, argv in servers.items():
            procs[name] = subprocess.Popen(  # nosec B603
                argv,
                cwd=ROOT,
                env=env(args.redis),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        for port in ports.values():
            wait(port)
            for path in ("/bench/redirect/", f"/r/{code}"):  # warm-up
                measure(port, path, 30)
        paths = {
            "bare redirect": ("/bench/redirect/", False),
            "/r/ new visitor": (f"/r/{code}", True),
            "/r/ same visitor": (f"/r/{code}", False),
        }
        for _round in range(rounds):
            for name, port in ports.items():
                for label, (path, new) in paths.items():
                    times = measure(port, path, per_round, new_visitor=new)
                    results.setdefault((name, label), []).extend(times)
                    if new:
                        counted += len(times)
    finally:
        for proc in procs.values():
            try:
                os.killpg(proc.pid, 15)
            except ProcessLookupError:
                pass
            proc.wait(timeout=20)
    after = link_total(code, args.redis)
    print(f"counting: {'Redis ' + args.redis if args.redis else 'database (no Redis)'}")
    print(f"{'server':<9} {'path':<17} {'p50 ms':>8} {'p99 ms':>8} {'p50/bare':>9}")
    for name in ports:
        bare = percentile(results[(name, "bare redirect")], 50)
        for label in paths:
            values = results[(name, label)]
            p50, p99 = percentile(values, 50), percentile(values, 99)
            print(f"{name:<9} {label:<17} {p50 * 1000:8.2f} {p99 * 1000:8.2f} {p50 / bare:8.2f}x")
    counted += 1  # the same visitor's first request
    print(
        f"distinct visitors: {counted}; clicks added to the link: {after - before}"
        f" ({'none lost' if after - before == counted else 'MISMATCH'})"
    )


if __name__ == "__main__":
    main()
