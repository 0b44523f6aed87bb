"""A campaign report at scale (issue 19): one brief with 200 creators, 1,000 contents and
100,000 clicks on their tracked links, in a SQLite file of its own (bench/results/
campaign-report.sqlite3; or DATABASE_URL if set, e.g. PostgreSQL).

Run it with `.venv/bin/python bench/campaign_report.py [--creators 200] [--requests 30]
[--servers gunicorn,daphne]`. It migrates, generates the data once (bulk inserts: creators
with a profile and two platforms, their engagements and ledger lines, five contents each, one
tracked link each with 100 days of click aggregates summing to 100,000), then, as a staff
member, times the report page, its API and its CSV twice: *built* (the reports generation
bumped before each request, not timed: campaigns/caches.py) and *cached*. First in-process
with Django's test client against the bare view measured the same way, with each one's
queries; then through each server (bench/ambassadors_directory.py's: one gunicorn sync
worker, Daphne), one keep-alive connection, against `/bench/bare/` and `/bench/template/`
through the same server in the same run, the issue's rule. The built figures through a
server need the cache shared with the server: set REDIS_URL (without it, only cached).
The goal of the issue: <= 4x the bare view, queries constant in the creators.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT
os.makedirs(os.path.join(HERE, "results"), exist_ok=True)
os.environ.setdefault(
    "DATABASE_URL", "sqlite:///" + os.path.join(HERE, "results", "campaign-report.sqlite3")
)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import argparse  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.ambassadors_directory import percentile  # noqa: E402

TITLE = "Bench: report at scale"


def generate(creators: int):
    from wagtail.models import Page

    from ambassadors.campaigns.models import (
        Campaign,
        CreatorPlatform,
        CreatorProfile,
        Deliverable,
        Engagement,
        LedgerLine,
    )
    from ambassadors.models import LinkClickDay, TrackedLink
    from network.models import User

    campaign = Campaign.objects.filter(title=TITLE).first()
    if campaign is not None:
        return campaign
    today = timezone.localdate()
    staff, _created = User.objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True, "email": "bench-staff@example.org"}
    )
    campaign = Campaign.objects.create(
        title=TITLE,
        objectives="Bench",
        stage="reputation",
        starts_on=today,
        ends_on=today + timedelta(days=60),
        relationship="paid",
        cash_amount=Decimal("300"),
        status="open",
        owner=staff,
    )
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-creator-{n}",
                email=f"bench-creator-{n}@example.org",
                display_name=f"Créatrice {n}",
            )
            for n in range(creators)
        ]
    )
    users = list(User.objects.filter(username__startswith="bench-creator-").order_by("pk"))
    profiles = CreatorProfile.objects.bulk_create(
        [CreatorProfile(user=u, kind="influencer", audience_total=30000) for u in users]
    )
    profiles = list(CreatorProfile.objects.filter(user__in=users).order_by("pk"))
    CreatorPlatform.objects.bulk_create(
        [
            CreatorPlatform(profile=p, platform=platform, handle=f"@c{p.pk}", audience=15000)
            for p in profiles
            for platform in ("instagram", "tiktok")
        ]
    )
    Engagement.objects.bulk_create(
        [
            Engagement(campaign=campaign, creator=u, status="accepted", agreed_cash=Decimal("300"))
            for u in users
        ]
    )
    engagements = list(Engagement.objects.filter(campaign=campaign).order_by("pk"))
    LedgerLine.objects.bulk_create(
        [
            LedgerLine(
                creator_id=e.creator_id,
                engagement=e,
                campaign=campaign,
                advertiser_key="agency",
                advertiser_name="Agence",
                year=today.year,
                objective="reputation",
                kind=kind,
                label="Bench",
                amount=amount,
            )
            for e in engagements
            for kind, amount in (("cash", Decimal("300")), ("in_kind", Decimal("80")))
        ]
    )
    Deliverable.objects.bulk_create(
        [
            Deliverable(
                engagement=e,
                platform=("instagram", "tiktok")[k % 2],
                text="Publicité · bench",
                status=("approved", "published", "waiting")[k % 3],
            )
            for e in engagements
            for k in range(1000 // creators)
        ],
        batch_size=2000,
    )
    home = Page.objects.get(depth=2)
    TrackedLink.objects.bulk_create(
        [
            TrackedLink(
                code=f"cb{n:06d}",
                owner=u,
                page=home,
                source="campaign",
                reference=campaign.reference,
                target="/?utm_source=campaign",
                clicks=100_000 // creators,
            )
            for n, u in enumerate(users)
        ]
    )
    links = list(TrackedLink.objects.filter(reference=campaign.reference))
    per_day = 100_000 // creators // 100
    LinkClickDay.objects.bulk_create(
        [
            LinkClickDay(link=link, day=today - timedelta(days=d), clicks=per_day)
            for link in links
            for d in range(100)
        ],
        batch_size=10000,
    )
    return campaign


def timed(client, path, count, before=None):
    """p50, p99 (s) and queries of `count` requests after 5 warm-ups; `before()` runs before
    each one, untimed."""
    for _ in range(5):
        before and before()
        client.get(path)
    values = []
    for _ in range(count):
        before and before()
        start = time.perf_counter()
        response = client.get(path)
        values.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    before and before()
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return percentile(values, 50), percentile(values, 99), len(queries)


def served_times(name, paths, cookie, count, bump):
    """{(path, built): [s]} through one server; built ones only when the cache is shared."""
    import http.client
    import subprocess  # nosec B404 - our own servers

    from bench.ambassadors_directory import HOST, PORT, get, measure, server_argv, wait_for_server

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": ROOT}
    proc = subprocess.Popen(  # nosec B603 - our own server
        server_argv(name, ROOT),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = {}
    try:
        wait_for_server(cookie)
        for path in paths:
            measure(path, 10, cookie)
        for path in paths:
            results[(path, False)] = measure(path, count, cookie)
        if os.environ.get("REDIS_URL"):
            conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
            for path in paths[2:]:
                values = []
                for _ in range(count):
                    bump()
                    start = time.perf_counter()
                    get(conn, path, cookie)
                    values.append(time.perf_counter() - start)
                results[(path, True)] = values
            conn.close()
    finally:
        try:
            os.killpg(proc.pid, 15)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--creators", type=int, default=200)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--servers", default="gunicorn,daphne")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    campaign = generate(args.creators)
    print(
        f"data ready in {time.monotonic() - started:.0f} s "
        f"({connection.vendor}, {args.creators} creators, "
        f"cache {'Redis' if os.environ.get('REDIS_URL') else 'local memory'})"
    )
    from ambassadors.campaigns.caches import forget_reports
    from ambassadors.campaigns.reports import campaign_report
    from network.models import User

    totals = campaign_report(campaign)
    print(f"report: {totals.creators} creators, {totals.contents} contents, {totals.clicks} clicks")
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench-staff"))
    paths = [
        "/bench/bare/",
        "/bench/template/",
        f"/campaigns/{campaign.pk}/report/",
        f"/api/v1/campaigns/{campaign.pk}/report",
        f"/campaigns/{campaign.pk}/report.csv",
    ]
    print("\nin-process (Django's test client, no server)")
    print(f"{'URL':<40} {'':>6} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7} {'queries':>8}")
    bare = None
    rows = [(path, False) for path in paths] + [(path, True) for path in paths[2:]]
    for path, built in rows:
        p50, p99, queries = timed(client, path, args.requests, forget_reports if built else None)
        bare = bare or p50
        kind = "built" if built else ("cached" if path in paths[2:] else "")
        print(
            f"{path:<40} {kind:>6} {p50 * 1000:8.2f} {p99 * 1000:8.2f} {p50 / bare:7.1f} "
            f"{queries:8d}"
        )
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    for name in [n for n in args.servers.split(",") if n]:
        results = served_times(name, paths, cookie, args.requests, forget_reports)
        bare = percentile(results[(paths[0], False)], 50)
        template = percentile(results[(paths[1], False)], 50)
        print(f"\n{name} (one keep-alive connection; load {os.getloadavg()[0]:.2f})")
        print(f"{'URL':<40} {'':>6} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7} {'x tmpl':>7}")
        for (path, built), values in results.items():
            p50, p99 = percentile(values, 50), percentile(values, 99)
            kind = "built" if built else ("cached" if path in paths[2:] else "")
            print(
                f"{path:<40} {kind:>6} {p50 * 1000:8.2f} {p99 * 1000:8.2f} "
                f"{p50 / bare:7.1f} {p50 / template:7.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
