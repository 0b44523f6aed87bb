"""Directory and leaderboards at scale (issue 18): 20,000 ambassadors, and point entries
standing for 1,000,000 clicks, in a SQLite file of their own (bench/results/
ambassadors-scale.sqlite3; or DATABASE_URL if set).

Run it with `.venv/bin/python bench/ambassadors_directory.py [--ambassadors 20000]`. It
migrates, generates the ambassadors once (bulk inserts: users, licences, profiles with an
area, a language and two interests; a year of daily click aggregates on 2,000 links summing
to 1,000,000 clicks, and their point entries), then times in-process with Django's test
client (no server: the ratio is to the bare redirect view measured the same way) the
directory (first page, a search, each filter, a later page by cursor) and the leaderboards
(month, year, by area, newcomers), as a signed-in member, 200 requests each after a warm-up.
Prints p50, p99, p99/p50, the ratio to the bare view and the queries of each.
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
import random  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

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


def timed(client, path, count):
    for _ in range(10):
        client.get(path)
    values = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        values.append(time.perf_counter() - start)
        assert response.status_code in (200, 302), (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    values.sort()
    return values[len(values) // 2], values[int(len(values) * 0.99) - 1], len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ambassadors", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    generate(args.ambassadors)
    print(f"data ready in {time.monotonic() - started:.0f} s")
    from ambassadors.selectors import search_ambassadors
    from network.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="amb1"))
    later = search_ambassadors(None, cursor=None, limit=24 * 20)[1]
    paths = [
        "/bench/redirect/",
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
    ]
    bare = None
    print(f"{'path':<52} {'p50 ms':>8} {'p99 ms':>8} {'p99/p50':>8} {'÷bare':>7} {'queries':>7}")
    for path in paths:
        p50, p99, queries = timed(client, path, args.requests)
        bare = bare or p50
        print(
            f"{path:<52} {p50 * 1000:8.2f} {p99 * 1000:8.2f} {p99 / p50:8.2f} "
            f"{p50 / bare:6.1f}x {queries:7d}",
            flush=True,
        )


if __name__ == "__main__":
    main()
