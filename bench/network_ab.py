"""A/B of the business network's read pages between two (or more) copies of the code.

    python bench/network_ab.py --side old=/tmp/old_code:/tmp/ab_old.sqlite3 \
        --side new=/work/wt/x:/tmp/ab_new.sqlite3 [--rounds 5] [--requests 15] [--profile feed]

Each side is a folder holding a whole copy of the project (`git archive <commit> | tar -x`) and
its own copy of bench/network.py's 100,000-post SQLite database (the pages here only read, but
signing in and the bearer token write). Each side runs in a process of its own, started in its
folder, so that its own modules are imported, in bench/network.py's embedded setup
(bench.settings, no REDIS_URL: local-memory cache). In-process, with Django's test client
signed in as `benchviewer`: no server, so the figures are the view's own cost.

The sides take turns: round 1 of every side, then round 2, and so on, each round measuring
every page `--requests` times, so that a machine shared with others loads every side alike.
Per request: wall time, the process's CPU time and the SQL queries. Printed: the medians per
page and side, and each side's ratio to the first side.
"""

import argparse
import json
import os
import statistics
import subprocess  # nosec B404 - runs our own script
import sys
import time

VIEWER = "benchviewer"
PAGES = {
    "bare": "/bench/bare/",
    "feed": "/feed/",
    "feed2": None,  # the feed's second page: its "older posts" link, read from /feed/
    "group": "/groups/bench-group-4/",
    "profile": "/people/bench22/",
    "api_feed": "/api/v1/feed",
}


# --------------------------------------------------------------------------------------------
# The child: one side's code, answering "round" and "profile <page>" on stdin.
def child(requests, warmup):
    # sys.path[0] is this script's folder (the bench/ of the code that holds it): the side's
    # own folder goes there instead, so that `content`, `network`... are the side's apps.
    sys.path[0] = os.getcwd()
    # The venv's editable install of the project finds, after the path, any module a side lacks
    # in /work/main's copy (an old side would import the new one's wagtail_hooks): not here.
    sys.meta_path[:] = [f for f in sys.meta_path if "__editable__" not in repr(f)]
    sys.path[:] = [p for p in sys.path if "__editable__" not in p]
    import html
    import re

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from network.models import PersonalAccessToken, User
    from network.services.tokens import create_token

    setup_test_environment()
    viewer = User.objects.get(username=VIEWER)
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(viewer)
    PersonalAccessToken.objects.filter(user=viewer, name="bench-ab").delete()
    _token, raw = create_token(actor=viewer, name="bench-ab")
    headers = {"api_feed": {"HTTP_AUTHORIZATION": f"Bearer {raw}"}}

    found = re.search(r'href="(\?cursor=[^"]+)"[^>]*rel="next"', client.get("/feed/").text)
    pages = dict(PAGES, feed2="/feed/" + html.unescape(found.group(1)) if found else None)
    pages = {key: path for key, path in pages.items() if path}

    queries = [0]

    def counting(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    def get(key):
        response = client.get(pages[key], **headers.get(key, {}))
        if response.status_code != 200:
            raise RuntimeError(f"{pages[key]}: {response.status_code}")
        return response

    for key in pages:
        for _ in range(warmup):
            get(key)

    def one_round():
        samples = {}
        with connection.execute_wrapper(counting):
            for key in pages:
                rows = samples[key] = []
                for _ in range(requests):
                    queries[0] = 0
                    wall, cpu = time.perf_counter(), time.process_time()
                    get(key)
                    rows.append(
                        (
                            (time.perf_counter() - wall) * 1000,
                            (time.process_time() - cpu) * 1000,
                            queries[0],
                        )
                    )
        return samples

    def profile(key, count=30):
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            get(key)
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(45)
        return out.getvalue()

    print(json.dumps({"ready": pages}), flush=True)
    for line in sys.stdin:
        command = line.split()
        if command[0] == "round":
            print(json.dumps(one_round()), flush=True)
        elif command[0] == "profile":
            print(json.dumps({"profile": profile(command[1])}), flush=True)
        else:
            break


# --------------------------------------------------------------------------------------------
# The parent: starts the sides, alternates their rounds, prints the medians.
class Side:
    def __init__(self, spec, args):
        self.name, rest = spec.split("=", 1)
        self.folder, database = rest.split(":", 1)
        env = dict(os.environ)
        env.pop("REDIS_URL", None)
        env.update(
            DJANGO_SETTINGS_MODULE="bench.settings",
            DATABASE_URL=f"sqlite:///{database}",
            MEDIA_ROOT=args.media,
            PYTHONPATH=self.folder,
            PYTHONUNBUFFERED="1",
        )
        command = [sys.executable, os.path.abspath(__file__), "_child"]
        command += ["--requests", str(args.requests), "--warmup", str(args.warmup)]
        self.process = subprocess.Popen(  # nosec B603 - our own script
            command,
            cwd=self.folder,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.samples = {}

    def ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self.answer()

    def answer(self):
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"side {self.name} stopped")
        return json.loads(line)

    def close(self):
        self.process.stdin.write("quit\n")
        self.process.stdin.close()
        self.process.wait(timeout=30)


def median(rows, column):
    return statistics.median(row[column] for row in rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", action="append", default=[], help="name=folder:sqlite-file")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=15, help="per page and round")
    parser.add_argument("--warmup", type=int, default=3, help="per page, once")
    parser.add_argument("--media", default="/tmp/network_ab_media")
    parser.add_argument("--profile", action="append", default=[], help="a page key to profile")
    parser.add_argument("--json", help="write every sample there")
    args = parser.parse_args()

    print(f"load average before: {os.getloadavg()}")
    sides = [Side(spec, args) for spec in args.side]
    for side in sides:
        side.pages = side.answer()["ready"]
    for number in range(args.rounds):
        for side in sides if number % 2 == 0 else reversed(sides):
            for key, rows in side.ask("round").items():
                side.samples.setdefault(key, []).extend(rows)
    for key in args.profile:
        for side in sides:
            print(
                f"\n===== cProfile {side.name} {key} =====\n"
                + side.ask(f"profile {key}")["profile"]
            )
    for side in sides:
        side.close()
    print(f"load average after: {os.getloadavg()}")

    base = sides[0]
    head = f"{'page':<9}" + "".join(
        f" | {s.name + ' ms':>10} {'cpu':>6} {'q':>3}"
        + ("" if s is base else f" {'÷' + base.name:>7}")
        for s in sides
    )
    print(f"\nmedians over {args.rounds} rounds x {args.requests} requests; ÷ = wall (cpu) ratio\n")
    print(head)
    for key in PAGES:
        if key not in base.samples:
            continue
        line = f"{key:<9}"
        for side in sides:
            rows = side.samples.get(key, [])
            if not rows:
                line += " | (missing)"
                continue
            wall, cpu, queries = median(rows, 0), median(rows, 1), median(rows, 2)
            line += f" | {wall:>10.1f} {cpu:>6.1f} {queries:>3.0f}"
            if side is not base:
                ratio = wall / median(base.samples[key], 0)
                cpu_ratio = cpu / median(base.samples[key], 1)
                line += f" {ratio:>4.2f}({cpu_ratio:.2f})"
        print(line)
    # Spread between rounds: each round's median wall time, per page and side.
    print("\nper-round medians (wall ms):")
    for key in PAGES:
        if key not in base.samples:
            continue
        for side in sides:
            rows = side.samples.get(key, [])
            per = [
                statistics.median(r[0] for r in rows[i : i + args.requests])
                for i in range(0, len(rows), args.requests)
            ]
            print(f"  {key:<9} {side.name:<6} " + " ".join(f"{value:6.1f}" for value in per))
    if args.json:
        with open(args.json, "w") as out:
            json.dump({s.name: s.samples for s in sides}, out)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        options = argparse.ArgumentParser()
        options.add_argument("_child")
        options.add_argument("--requests", type=int)
        options.add_argument("--warmup", type=int)
        given = options.parse_args()
        child(given.requests, given.warmup)
    else:
        main()
