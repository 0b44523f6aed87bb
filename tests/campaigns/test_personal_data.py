"""A creator's campaign data in their export (collected through the network's registry) and
gone with their account; a seat they held goes to the waiting list."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ambassadors.campaigns.models import (
    Campaign,
    Contract,
    CreatorProfile,
    Deliverable,
    Engagement,
    LedgerLine,
)
from ambassadors.campaigns.services import casting, deliverables
from network.models import Case
from network.services.personal_data import POSTS_REMOVE, collect_personal_data, delete_account
from tests.campaigns.factories import brief, creator, staff
from tests.conftest import DEMO_PASSWORD
from tests.content.factories_contrib import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_creator():
    agent = staff()
    lea = creator(legal_name="Léa Martin EI")
    campaign = brief(agent, relationship="paid", cash_amount="1200", in_kind=[])
    casting.invite(actor=agent, campaign=campaign, creators=[lea])
    casting.accept(actor=lea, campaign=campaign)
    deliverables.submit(
        actor=lea, campaign=campaign, text="Publicité · phare", platform="instagram"
    )
    return lea


def test_the_export_holds_the_profile_briefs_contents_ledger_and_contract(busy_creator):
    data, _files = collect_personal_data(busy_creator)
    section = data["campaigns"]
    assert section["creator_profile"]["legal_name"] == "Léa Martin EI"
    assert section["creator_profile"]["platforms"][0]["platform"] == "instagram"
    assert section["briefs"][0]["deliverables"][0]["text"] == "Publicité · phare"
    assert section["ledger"][0]["amount"] == "1200.00"
    assert section["contracts"][0]["status"] == "draft"


def test_erasing_the_account_leaves_nothing_and_frees_the_seat():
    agent = staff()
    today = timezone.localdate()
    tour = brief(
        agent,
        has_eductour=True,
        eductour_starts_on=(today + timedelta(days=3)).isoformat(),
        eductour_ends_on=(today + timedelta(days=4)).isoformat(),
        eductour_seats=1,
    )
    lea, next_one = creator(), creator()
    casting.invite(actor=agent, campaign=tour, creators=[lea, next_one])
    casting.accept(actor=lea, campaign=tour)
    casting.accept(actor=next_one, campaign=tour)
    deliverables.submit(actor=lea, campaign=tour, text="Publicité", platform="blog")
    delete_account(actor=lea, user=lea, password=DEMO_PASSWORD, posts=POSTS_REMOVE)
    for model in (CreatorProfile, Engagement, Deliverable, LedgerLine, Contract):
        assert not model.objects.filter(
            **{
                "engagement__creator_id"
                if model is Deliverable
                else "creator_id"
                if model is not CreatorProfile
                else "user_id": lea.pk
            }
        ).exists()
    assert not Case.objects.filter(kind="campaign_deliverable").exists()
    assert Engagement.objects.get(creator=next_one).seat == "taken"
    assert Campaign.objects.get(pk=tour.pk).seats_taken == 1


def test_agency_moderators_edit_the_rules_in_the_wagtail_admin():
    """The migration's grant, run again here on the migration's own state: an earlier
    transactional test may have flushed the permissions the migration gave."""
    import importlib

    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    migration = importlib.import_module("ambassadors.migrations.0002_campaigns")
    state = MigrationExecutor(connection).loader.project_state(("ambassadors", "0002_campaigns"))
    migration.let_moderators_edit_the_rules(state.apps, None)
    client = Client()
    client.force_login(moderator("agence-rules"))
    response = client.get("/admin/settings/ambassadors/compliancerules/", follow=True)
    assert response.status_code == 200
    assert "/admin/settings/ambassadors/compliancerules/" in response.redirect_chain[-1][0]
    assert "Publicité" in response.content.decode()
