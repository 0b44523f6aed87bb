"""A campaign report at scale (issue 19): one brief with 200 creators, 1,000 contents and
100,000 clicks on their tracked links, in a SQLite file of its own (bench/results/
campaign-report.sqlite3; or DATABASE_URL if set, e.g. PostgreSQL).

Run it with `.venv/bin/python bench/campaign_report.py [--creators 200] [--requests 50]`. It
migrates, generates the data once (bulk inserts: creators with a profile and two platforms,
their engagements and ledger lines, five contents each, one tracked link each with 100 days of
click aggregates summing to 100,000), then times in-process with Django's test client as a
staff member (no server: the ratio is to the bare view measured the same way, in the same
run) the report page, its API and its CSV, and prints p50, p99, the ratio to the bare view
and the queries of each. The goal of the issue: <= 4x the bare view, queries constant.
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


def timed(client, path, count):
    for _ in range(5):
        client.get(path)
    values = []
    for _ in range(count):
        start = time.perf_counter()
        response = client.get(path)
        values.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    values.sort()
    return values[len(values) // 2], values[max(int(len(values) * 0.99) - 1, 0)], len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--creators", type=int, default=200)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    campaign = generate(args.creators)
    print(
        f"data ready in {time.monotonic() - started:.0f} s "
        f"({connection.vendor}, {args.creators} creators)"
    )
    from ambassadors.campaigns.reports import campaign_report
    from network.models import User

    totals = campaign_report(campaign)
    print(f"report: {totals.creators} creators, {totals.contents} contents, {totals.clicks} clicks")
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="bench-staff"))
    paths = [
        "/bench/bare/",
        f"/campaigns/{campaign.pk}/report/",
        f"/api/v1/campaigns/{campaign.pk}/report",
        f"/campaigns/{campaign.pk}/report.csv",
    ]
    bare = None
    print(f"{'URL':<40} {'p50 ms':>8} {'p99 ms':>8} {'x bare':>7} {'queries':>8}")
    for path in paths:
        p50, p99, queries = timed(client, path, args.requests)
        bare = bare or p50
        print(f"{path:<40} {p50 * 1000:8.2f} {p99 * 1000:8.2f} {p50 / bare:7.1f} {queries:8d}")


if __name__ == "__main__":
    main()
