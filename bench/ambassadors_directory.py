"""Directory and leaderboards at scale (issue 18): 20,000 ambassadors, and point entries
standing for 1,000,000 clicks, in a SQLite file of their own (bench/results/
ambassadors-scale.sqlite3; or DATABASE_URL if set, e.g. PostgreSQL).

Run it with `.venv/bin/python bench/ambassadors_directory.py [--servers gunicorn,daphne]
[--code DIR] [--quick]`. It migrates, generates the ambassadors once (bulk inserts: users,
licences, profiles with an area, a language and two interests; a year of daily click
aggregates on 2,000 links summing to 1,000,000 clicks, and their point entries; then the
listing flags and point totals rebuilt by the services), and serves the project with
`bench.settings` under each server (gunicorn: one sync worker, as docs/deploy.md; Daphne),
one at a time, on a loopback port. From this process, as a signed-in member (a session made
here), one keep-alive connection at concurrency 1, it requests in alternating rounds the bare
view `/bench/bare/` (the baseline, same server, same run, same cookie), the directory (first
page, a search, each filter, a later page by cursor) and the leaderboards (month, year, by
area, newcomers, veterans); `/bench/template/` (a small template, no database) too, the
baseline the content hub's pages are held to. It prints p50, p99, p99/p50 and p50 / the
bare view's and the template view's p50 of each, then,
in-process, the queries of each page, the directory's queries for 12 and 48 profiles a page,
and the map markers' cost without and with their cache.

`--code DIR` serves another checkout of the project (e.g. `git archive` of an earlier commit)
against the same database, to measure before and after in the same conditions.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT
os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
os.environ.setdefault(
    "DATABASE_URL", "sqlite:///" + os.path.join(HERE, "results", "ambassadors-scale.sqlite3")
)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import argparse  # noqa: E402
import http.client  # noqa: E402
import random  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - our own servers
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402


def generate(count):
    from taggit.models import Tag
    from wagtail.models import Page

    from ambassadors.models import Licence, LinkClickDay, PointEntry, Profile, TrackedLink
    from ambassadors.models.profiles import ProfileInterest
    from content.models import Area
    from network.models import User

    if Profile.objects.count() >= count:
        return
    from ambassadors.services.licences import refresh_listed
    from ambassadors.services.recognition import recount_point_totals

    rng = random.Random(18)
    today = timezone.localdate()
    areas = [
        Area.objects.get_or_create(
            slug=f"zone-{n}", defaults={"name": f"Zone {n}", "kind": "commune"}
        )[0]
        for n in range(20)
    ]
    tags = [Tag.objects.get_or_create(name=f"interet{n}", slug=f"interet{n}")[0] for n in range(50)]
    users = User.objects.bulk_create(
        [
            User(username=f"amb{n}", display_name=f"Ambassadeur {n}", email=f"amb{n}@example.org")
            for n in range(count)
        ],
        batch_size=2000,
    )
    users = list(User.objects.filter(username__startswith="amb").order_by("pk"))
    Licence.objects.bulk_create(
        [
            Licence(
                holder=u,
                starts_on=today - timedelta(days=rng.randint(1, 900)),
                expires_on=today + timedelta(days=200),
                charter_version=1,
            )
            for u in users
        ],
        batch_size=2000,
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                headline=f"Ambassadeur de la zone {n % 20}",
                town=f"Zone {n % 20}",
                languages=",fr,en," if n % 3 else ",fr,",
                latitude=48 + (n % 20) / 100,
                longitude=-4 + (n % 20) / 100,
                **{
                    f"{f}_visibility": "public"
                    for f in ("headline", "areas", "interests", "languages", "town")
                },
            )
            for n, u in enumerate(users)
        ],
        batch_size=2000,
    )
    profiles = list(Profile.objects.order_by("pk"))
    Profile.areas.through.objects.bulk_create(
        [
            Profile.areas.through(profile_id=p.pk, area_id=areas[n % 20].pk)
            for n, p in enumerate(profiles)
        ],
        batch_size=5000,
    )
    ProfileInterest.objects.bulk_create(
        [
            ProfileInterest(content_object_id=p.pk, tag_id=tags[(n + k) % 50].pk)
            for n, p in enumerate(profiles)
            for k in (0, 7)
        ],
        batch_size=5000,
    )
    home = Page.objects.get(depth=2)
    links = TrackedLink.objects.bulk_create(
        [
            TrackedLink(
                code=f"bench{n:06d}",
                owner=users[n * 10 % count],
                page=home,
                target="/?utm_source=ambassador",
            )
            for n in range(2000)
        ],
        batch_size=2000,
    )
    links = list(TrackedLink.objects.filter(code__startswith="bench"))
    days, per_day = 250, 2  # 2,000 links x 250 days x 2 clicks = 1,000,000 clicks
    LinkClickDay.objects.bulk_create(
        [
            LinkClickDay(link=link, day=today - timedelta(days=d), clicks=per_day)
            for link in links
            for d in range(days)
        ],
        batch_size=10000,
    )
    PointEntry.objects.bulk_create(
        [
            PointEntry(
                user_id=link.owner_id,
                reason="clicks",
                reference=f"clicks:{link.pk}:{d}",
                points=per_day,
                created_at=timezone.now() - timedelta(days=d),
            )
            for link in links
            for d in range(days)
        ],
        batch_size=10000,
    )
    # Written in bulk, past the services that keep these: rebuilt from the rows.
    refresh_listed()
    recount_point_totals()


HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8230"))


def percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100 * (len(values) - 1))))]


def server_argv(name, code):
    binary = Path(sys.executable).parent
    if name == "daphne":
        return [
            str(binary / "daphne"),
            "-v",
            "0",
            "-b",
            HOST,
            "-p",
            str(PORT),
            "config.asgi:application",
        ]
    return [str(binary / "gunicorn"), "-w", "1", "-b", f"{HOST}:{PORT}", "config.wsgi:application"]


def get(conn, path, cookie):
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "localhost"})
    response = conn.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"{path}: HTTP {response.status}")
    return response


def measure(path, count, cookie):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    times = []
    for _ in range(count):
        start = time.perf_counter()
        try:
            response = get(conn, path, cookie)
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
            continue
        times.append(time.perf_counter() - start)
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection(HOST, PORT, timeout=30)
    conn.close()
    return times


def wait_for_server(cookie, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            get(http.client.HTTPConnection(HOST, PORT, timeout=5), "/bench/bare/", cookie)
            return
        except (OSError, RuntimeError, http.client.HTTPException):
            time.sleep(0.5)
    raise RuntimeError(f"no server on {PORT}")


def serve_and_measure(name, code, paths, cookie, rounds, per_round):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": code}
    proc = subprocess.Popen(  # nosec B603 - our own server
        server_argv(name, code),
        cwd=code,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = {path: [] for path in paths}
    try:
        wait_for_server(cookie)
        for path in paths:  # warm-up: caches, the process's first reads
            measure(path, 10, cookie)
        for _round in range(rounds):
            for path in paths:
                results[path].extend(measure(path, per_round, cookie))
    finally:
        try:
            os.killpg(proc.pid, 15)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
    return results


def report(name, results):
    bare = percentile(results["/bench/bare/"], 50)
    template = percentile(results["/bench/template/"], 50)
    print(
        f"\n{name}: {'path':<56} {'p50 ms':>8} {'p99 ms':>8} {'p99/p50':>8} "
        f"{'÷bare':>7} {'÷template':>9}"
    )
    for path, values in results.items():
        p50, p99 = percentile(values, 50), percentile(values, 99)
        print(
            f"{'':<{len(name) + 2}}{path:<56} {p50 * 1000:8.2f} {p99 * 1000:8.2f} "
            f"{p99 / p50:8.2f} {p50 / bare:6.2f}x {p50 / template:8.2f}x",
            flush=True,
        )


def count_queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200, path
    return len(queries)


def in_process(paths, user):
    """Queries per page; the directory's for 12 and 48 a page; the markers' cache gain."""
    from django.core.cache import cache

    from ambassadors import selectors

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    print("\nqueries per page (in-process, second request):")
    for path in paths[2:]:
        print(f"  {path:<52} {count_queries(client, path):3d}")
    from ambassadors.cache import forget_markers

    for size in (12, 48):
        selectors.PAGE_SIZE = size
        cached = count_queries(client, "/ambassadors/")
        forget_markers()  # built: every cached part of the page misses
        with CaptureQueriesContext(connection) as built:
            client.get("/ambassadors/")
        print(f"  /ambassadors/ with {size} a page: {cached} cached, {len(built)} built")
    selectors.PAGE_SIZE = 24
    timings = {}
    for label, clear in (("without cache", True), ("with cache", False)):
        values = []
        for _ in range(60):
            if clear:
                cache.clear()
            start = time.perf_counter()
            markers = selectors.map_markers(user)
            values.append(time.perf_counter() - start)
        timings[label] = percentile(values, 50)
    print(
        f"map markers ({len(markers)}), in-process p50: "
        f"{timings['without cache'] * 1000:.2f} ms without their cache, "
        f"{timings['with cache'] * 1000:.3f} ms with it"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ambassadors", type=int, default=20000)
    parser.add_argument("--servers", default="gunicorn,daphne")
    parser.add_argument("--code", default=ROOT, help="the checkout to serve")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=40, help="per path and round")
    args = parser.parse_args()
    if args.quick:
        args.rounds, args.requests = 2, 20
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    generate(args.ambassadors)
    print(f"data ready in {time.monotonic() - started:.0f} s")
    from ambassadors.selectors import search_ambassadors
    from network.models import User

    user = User.objects.get(username="amb1")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    later = search_ambassadors(None, cursor=None, limit=24 * 20)[1]
    paths = [
        "/bench/bare/",
        "/bench/template/",
        "/ambassadors/",
        "/ambassadors/?q=Ambassadeur%201234",
        "/ambassadors/?area=zone-3",
        "/ambassadors/?tag=interet7",
        "/ambassadors/?language=en",
        f"/ambassadors/?cursor={later}",
        "/ambassadors/leaderboard/?period=month",
        "/ambassadors/leaderboard/?period=year",
        "/ambassadors/leaderboard/?period=year&area=zone-3",
        "/ambassadors/leaderboard/?period=year&cohort=newcomers",
        "/ambassadors/leaderboard/?period=month&cohort=veterans",
    ]
    print(f"serving {args.code}; database {connection.settings_dict['NAME']}")
    for name in args.servers.split(","):
        results = serve_and_measure(name, args.code, paths, cookie, args.rounds, args.requests)
        report(name, results)
    if os.path.abspath(args.code) == ROOT:
        in_process(paths, user)


if __name__ == "__main__":
    main()
