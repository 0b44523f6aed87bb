"""The reports' cache (ambassadors/campaigns/caches.py): a report read twice is built once,
and every kind of change that moves a figure is seen on the next read: a content submitted
or reviewed, a creator accepted or withdrawn (the ledger), a ledger line, clicks flushed, a
declared audience, a creator's name, the brief's dates. And the queries stay the same for 5
and 50 creators, built or cached."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ambassadors.campaigns.caches import forget_reports
from ambassadors.campaigns.models import (
    CreatorPlatform,
    CreatorProfile,
    Deliverable,
    Engagement,
    LedgerLine,
)
from ambassadors.campaigns.reports import cached_report
from ambassadors.campaigns.services import casting, deliverables
from ambassadors.links.services import add_clicks
from ambassadors.models import LinkClickDay, TrackedLink
from tests.campaigns.factories import brief, creator, staff
from tests.campaigns.test_reports import _campaign_with
from tests.content.factories_pages import home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _figures(campaign):
    totals = cached_report(campaign).totals
    return {
        "creators": totals.creators,
        "contents": totals.contents,
        "done": totals.done,
        "clicks": totals.clicks,
        "reach": totals.reach,
        "total": totals.total,
        "names": [row.name for row in totals.rows],
    }


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def test_a_report_read_twice_is_built_once():
    campaign = _campaign_with(staff(), 2)
    campaign.refresh_from_db()
    assert _queries(lambda: cached_report(campaign)) > 0
    assert _queries(lambda: cached_report(campaign)) == 0


def test_each_kind_of_change_is_seen_on_the_next_read():
    agent = staff()
    campaign = _campaign_with(agent, 2)
    before = _figures(campaign)
    assert (before["contents"], before["done"], before["clicks"]) == (2, 2, 10)

    # A new creator accepts: a row, the creators, the ledger.
    newcomer = creator()
    casting.invite(actor=agent, campaign=campaign, creators=[newcomer])
    casting.accept(actor=newcomer, campaign=campaign)
    after_accept = _figures(campaign)
    assert after_accept["creators"] == 3
    assert after_accept["total"] == before["total"] + Decimal("120.00")

    # A content submitted, then approved.
    draft = deliverables.submit(
        actor=newcomer, campaign=campaign, text="Publicité · dunes", platform="instagram"
    )
    assert _figures(campaign)["contents"] == 3
    deliverables.review(actor=agent, deliverable=draft, decision="approve")
    after_review = _figures(campaign)
    assert after_review["done"] == 3
    assert after_review["reach"] == before["reach"] + 25_000

    # A ledger line changed by hand (the admin).
    line = LedgerLine.objects.filter(campaign=campaign, kind="cash").first()
    line.amount += Decimal("5")
    line.save()
    assert _figures(campaign)["total"] == after_accept["total"] + Decimal("5.00")

    # Clicks flushed from Redis: written with update(), seen through the click listener.
    link = TrackedLink.objects.get(owner=newcomer, source="campaign")
    add_clicks({(link.pk, timezone.localdate()): 7})
    assert _figures(campaign)["clicks"] == 17
    assert cached_report(campaign).days[-1][1] == 7

    # A declared audience.
    platform = CreatorPlatform.objects.get(profile__user=newcomer)
    platform.audience = 30_000
    platform.save()
    assert _figures(campaign)["reach"] == after_review["reach"] + 5_000

    # A creator's name.
    newcomer.display_name = "Nouvelle Signature"
    newcomer.save(update_fields=["display_name"])
    assert "Nouvelle Signature" in _figures(campaign)["names"]

    # The brief's end moves before the day the contents were sent: none on time any more.
    sent = timezone.make_aware(datetime.combine(campaign.starts_on + timedelta(days=1), time(12)))
    Deliverable.objects.filter(engagement__campaign=campaign).update(submitted_at=sent, spec=None)
    forget_reports()  # update() sends no signal: this test's own write, not the services'
    assert cached_report(campaign).totals.on_time == 3
    campaign.ends_on = campaign.starts_on
    campaign.save()
    assert cached_report(campaign).totals.on_time == 0


def test_a_withdrawal_removes_the_creator_and_their_ledger():
    agent = staff()
    campaign = brief(agent, relationship="paid", cash_amount="100", in_kind=[], pages=[home()])
    people = [creator(), creator()]
    casting.invite(actor=agent, campaign=campaign, creators=people)
    for person in people:
        casting.accept(actor=person, campaign=campaign)
    assert _figures(campaign)["total"] == Decimal("200.00")
    casting.decline(actor=people[0], campaign=campaign)
    figures = _figures(campaign)
    assert figures["creators"] == 1 and figures["total"] == Decimal("100.00")


def test_a_sign_in_does_not_forget_the_reports():
    agent = staff()
    campaign = _campaign_with(agent, 1)
    cached_report(campaign)
    agent.last_login = timezone.now()
    agent.save(update_fields=["last_login"])
    assert _queries(lambda: cached_report(campaign)) == 0


def test_the_page_and_the_api_show_the_figures_after_a_review():
    agent = staff()
    campaign = _campaign_with(agent, 1)
    client = Client()
    client.force_login(agent)
    url = f"/campaigns/{campaign.pk}/report/"
    api = f"/api/v1/campaigns/{campaign.pk}/report"
    assert 'id="fig-contents">1<' in client.get(url).content.decode()
    assert client.get(api).json()["done"] == 1
    person = Engagement.objects.get(campaign=campaign).creator
    draft = deliverables.submit(
        actor=person, campaign=campaign, text="Publicité · port", platform="instagram"
    )
    deliverables.review(actor=agent, deliverable=draft, decision="approve")
    assert 'id="fig-contents">2<' in client.get(url).content.decode()
    report = client.get(api).json()
    assert report["done"] == 2 and len(report["rows"]) == 1
    assert set(report["rows"][0]) == {
        "creator",
        "status",
        "seat",
        "contents",
        "done",
        "on_time",
        "clicks",
        "reach",
        "value",
    }
    # The partners' view is cached apart: no amounts per creator there.
    from ambassadors.campaigns.services import briefs

    token = briefs.share_report(actor=agent, campaign=campaign)
    shared = Client().get(f"/campaigns/shared/{token}/").content.decode()
    # The staff's page, cached just before, has the amounts' column (in French, the
    # default language); the partners' page, read after it, must not.
    assert "Valeur (€ HT)" in client.get(url).content.decode()
    assert 'id="fig-contents">2<' in shared and "Valeur (€ HT)" not in shared


def _bulk_campaign(agent, count):
    """A brief with `count` accepted creators, five contents, two ledger lines and a tracked
    link with clicks each: rows written in bulk (the figures are not under test here)."""
    campaign = brief(agent, relationship="paid", cash_amount="100", in_kind=[])
    users = UserFactory.create_batch(count)
    profiles = CreatorProfile.objects.bulk_create(
        [CreatorProfile(user=u, kind="influencer") for u in users]
    )
    CreatorPlatform.objects.bulk_create(
        [CreatorPlatform(profile=p, platform="blog", handle="@c", audience=10) for p in profiles]
    )
    Engagement.objects.bulk_create(
        [Engagement(campaign=campaign, creator=u, status="accepted") for u in users]
    )
    engagements = list(Engagement.objects.filter(campaign=campaign))
    Deliverable.objects.bulk_create(
        [
            Deliverable(engagement=e, platform="instagram", text="Publicité", status="approved")
            for e in engagements
            for _ in range(5)
        ]
    )
    LedgerLine.objects.bulk_create(
        [
            LedgerLine(
                creator_id=e.creator_id,
                engagement=e,
                campaign=campaign,
                advertiser_key="agency",
                advertiser_name="Agence",
                year=2026,
                objective="reputation",
                kind=kind,
                label="Bench",
                amount=Decimal("10"),
            )
            for e in engagements
            for kind in ("cash", "in_kind")
        ]
    )
    page = home()
    links = TrackedLink.objects.bulk_create(
        [
            TrackedLink(
                code=f"q{campaign.pk}x{n}",
                owner=u,
                page=page,
                source="campaign",
                reference=campaign.reference,
                target="/",
                clicks=3,
            )
            for n, u in enumerate(users)
        ]
    )
    links = TrackedLink.objects.filter(reference=campaign.reference)
    LinkClickDay.objects.bulk_create(
        [LinkClickDay(link=link, day=date(2026, 12, 1), clicks=3) for link in links]
    )
    return campaign


@pytest.mark.parametrize(
    "url", ["/campaigns/{}/report/", "/api/v1/campaigns/{}/report", "/campaigns/{}/report.csv"]
)
def test_queries_are_the_same_for_5_and_50_creators_built_or_cached(url):
    agent = staff()
    small, large = _bulk_campaign(agent, 5), _bulk_campaign(agent, 50)
    client = Client()
    client.force_login(agent)
    client.get(url.format(small.pk))  # the session, the settings
    counts = {}
    for campaign in (small, large):
        forget_reports()
        with CaptureQueriesContext(connection) as built:
            response = client.get(url.format(campaign.pk))
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as cached:
            client.get(url.format(campaign.pk))
        counts[campaign.pk] = (len(built), len(cached))
    assert counts[small.pk] == counts[large.pk]
    built, cached = counts[small.pk]
    assert cached < built
    assert cached <= 3  # the session, the user, the brief
    assert cached_report(large).totals.creators == 50
