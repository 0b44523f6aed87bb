"""The demo's two campaigns (seed_demo's ambassadors module calls seed_campaigns)."""

import io
from decimal import Decimal

import pytest

from ambassadors.campaigns.models import Campaign, Deliverable, Engagement, LedgerLine
from ambassadors.demo.campaigns import EDUCTOUR_TITLE, PAID_TITLE, seed_campaigns
from network.demo import seed_accounts
from network.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_campaigns_are_there_once():
    out = io.StringIO()
    seed_accounts(stdout=out)
    seed_campaigns(stdout=out)
    seed_campaigns(stdout=out)
    assert Campaign.objects.count() == 2
    paid = Campaign.objects.get(title=PAID_TITLE)
    lea = Engagement.objects.get(campaign=paid, creator__username="lea")
    assert lea.status == "accepted"
    waiting = Deliverable.objects.get(engagement=lea)
    assert waiting.status == "waiting"
    assert Case.objects.filter(kind="campaign_deliverable", target_id=waiting.pk).exists()
    total = sum(LedgerLine.objects.filter(creator__username="lea").values_list("amount", flat=True))
    assert Decimal("900") <= total < Decimal("1000")
    tour = Campaign.objects.get(title=EDUCTOUR_TITLE)
    assert tour.eductour_seats == 6 and tour.seats_taken == 6
    seats = list(tour.engagements.values_list("seat", flat=True))
    assert seats.count("taken") == 6 and seats.count("waitlist") == 2
