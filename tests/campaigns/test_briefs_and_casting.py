"""Slice 2: briefs (validation, states) and casting (invitations, applications, answers,
counter-offers, eductour seats with their waiting list), with permissions."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from ambassadors.campaigns.models import Campaign, Engagement, LedgerLine
from ambassadors.campaigns.services import briefs, casting
from ambassadors.models import TrackedLink
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from network.models import Notification
from realtime.models import Membership, Room
from tests.campaigns.factories import brief, brief_data, creator, staff
from tests.content.factories_pages import home
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def test_only_staff_write_briefs():
    with pytest.raises(NotAllowed):
        briefs.save_brief(actor=UserFactory(), data=brief_data())


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"cash_amount": "-5", "relationship": "paid"}, "négatif"),
        ({"cash_amount": "abc", "relationship": "paid"}, "montant en euros"),
        ({"cash_amount": "10.555", "relationship": "paid"}, "deux décimales"),
        ({"starts_on": "2020-01-01"}, "passé"),
        (
            {
                "ends_on": (TODAY()).isoformat(),
                "starts_on": (TODAY() + timedelta(days=3)).isoformat(),
            },
            "précéder",
        ),
        ({"relationship": "paid", "cash_amount": "0"}, "doit indiquer son montant"),
        ({"relationship": "gifted", "cash_amount": "100"}, "avantages en nature"),
        (
            {
                "has_eductour": True,
                "eductour_starts_on": TODAY().isoformat(),
                "eductour_ends_on": TODAY().isoformat(),
                "eductour_seats": 0,
            },
            "au moins une place",
        ),
        ({"stage": "nowhere"}, "TRACER"),
    ],
)
def test_bad_briefs_are_refused(fields, message):
    with pytest.raises(InvalidInput, match=message):
        briefs.save_brief(actor=staff(), data=brief_data(**fields))


def test_negative_in_kind_values_are_refused():
    with pytest.raises(InvalidInput, match="négatif"):
        briefs.save_brief(
            actor=staff(), data=brief_data(), in_kind=[{"label": "Dîner", "value": "-1"}]
        )


def test_a_brief_goes_from_draft_to_open_to_closed_to_archived():
    agent = staff()
    campaign = brief(agent, status="draft", kind="press_invitation")
    assert campaign.kind == Campaign.Kind.PRESS_INVITATION
    with pytest.raises(Conflict):
        briefs.move_brief(actor=agent, campaign=campaign, action="close")
    for action, status in (("publish", "open"), ("close", "closed"), ("archive", "archived")):
        campaign = briefs.move_brief(actor=agent, campaign=campaign, action=action)
        assert campaign.status == status
    with pytest.raises(Conflict):
        briefs.save_brief(actor=agent, campaign=campaign, data=brief_data())


def test_a_creator_sees_only_briefs_they_are_on_or_open_ones():
    agent = staff()
    lea = creator()
    private = brief(agent)
    public = brief(agent, open_to_applications=True)
    draft = brief(agent, status="draft", open_to_applications=True)
    with pytest.raises(NotFound):
        casting.visible_campaign(lea, private.pk)
    with pytest.raises(NotFound):
        casting.visible_campaign(lea, draft.pk)
    assert casting.visible_campaign(lea, public.pk)[0] == public
    casting.invite(actor=agent, campaign=private, creators=[lea])
    assert casting.visible_campaign(lea, private.pk)[1].status == "invited"


def test_the_brief_page_is_a_404_for_a_creator_not_invited(client):
    campaign = brief()
    client.force_login(creator())
    assert client.get(campaign.get_absolute_url()).status_code == 404


def test_invite_accept_gives_ledger_links_chat_and_notifications(
    django_capture_on_commit_callbacks,
):
    agent = staff()
    lea = creator()
    campaign = brief(agent, pages=[home()])
    with django_capture_on_commit_callbacks(execute=True):
        casting.invite(actor=agent, campaign=campaign, creators=[lea], note="Bienvenue")
    assert Notification.objects.filter(recipient=lea, kind="campaign_invited").exists()
    engagement = Engagement.objects.get(campaign=campaign, creator=lea)
    room = Room.objects.get(pk=engagement.chat_room_id)
    assert room.kind == "campaign"
    assert set(Membership.objects.filter(room=room).values_list("user_id", flat=True)) == {
        lea.pk,
        agent.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        casting.accept(actor=lea, campaign=campaign)
    assert Notification.objects.filter(recipient=agent, kind="campaign_answered").exists()
    engagement.refresh_from_db()
    assert engagement.status == "accepted"
    assert LedgerLine.objects.filter(engagement=engagement).get().amount == Decimal("180.00")
    link = TrackedLink.objects.get(owner=lea, source="campaign")
    assert link.reference == f"campaign:{campaign.pk}"
    with pytest.raises(Conflict):
        casting.accept(actor=lea, campaign=campaign)


def test_a_creator_cannot_answer_for_another_or_review():
    agent = staff()
    lea, other = creator(), creator()
    campaign = brief(agent, open_to_applications=True)
    casting.apply(actor=other, campaign=campaign)
    with pytest.raises(NotAllowed):
        casting.accept(actor=lea, campaign=campaign, creator=other)
    with pytest.raises(NotAllowed):
        casting.invite(actor=lea, campaign=campaign, creators=[other])


def test_applications_are_accepted_or_refused_by_staff():
    agent = staff()
    lea, hugo = creator(), creator()
    campaign = brief(agent, open_to_applications=True)
    casting.apply(actor=lea, campaign=campaign, note="J'adore")
    casting.apply(actor=hugo, campaign=campaign)
    assert casting.accept(actor=agent, campaign=campaign, creator=lea).status == "accepted"
    assert casting.decline(actor=agent, campaign=campaign, creator=hugo).status == "refused"
    with pytest.raises(Conflict):
        casting.apply(actor=lea, campaign=campaign)


def test_applying_needs_a_creator_profile_and_an_open_brief():
    campaign = brief(open_to_applications=False)
    with pytest.raises(Conflict, match="profil de créateur"):
        casting.apply(actor=UserFactory(), campaign=campaign)
    with pytest.raises(NotFound):
        casting.apply(actor=creator(), campaign=campaign)


def test_a_counter_offer_accepted_sets_the_terms_and_one_refused_keeps_the_brief():
    agent = staff()
    lea, hugo = creator(), creator()
    campaign = brief(agent, relationship="paid", cash_amount="400", in_kind=[])
    casting.invite(actor=agent, campaign=campaign, creators=[lea, hugo])
    with pytest.raises(InvalidInput, match="négatif"):
        casting.counter(actor=lea, campaign=campaign, cash="-1")
    casting.counter(actor=lea, campaign=campaign, cash="650", deliverables="2 reels")
    engagement = casting.accept(actor=agent, campaign=campaign, creator=lea)
    assert engagement.agreed_cash == Decimal("650.00")
    assert engagement.agreed_deliverables == "2 reels"
    casting.counter(actor=hugo, campaign=campaign, cash="2000")
    assert casting.decline(actor=agent, campaign=campaign, creator=hugo).status == "invited"
    assert casting.accept(actor=hugo, campaign=campaign).agreed_cash == Decimal("400.00")


def _eductour(agent, seats):
    today = TODAY()
    return brief(
        agent,
        has_eductour=True,
        eductour_starts_on=(today + timedelta(days=5)).isoformat(),
        eductour_ends_on=(today + timedelta(days=7)).isoformat(),
        eductour_seats=seats,
        eductour_meeting_point="Gare de Port-Kerlaz",
    )


def test_eductour_seats_fill_then_the_waiting_list_moves_when_someone_withdraws():
    agent = staff()
    people = [creator() for _ in range(4)]
    campaign = _eductour(agent, seats=2)
    casting.invite(actor=agent, campaign=campaign, creators=people)
    seats = [casting.accept(actor=p, campaign=campaign).seat for p in people]
    assert seats == ["taken", "taken", "waitlist", "waitlist"]
    campaign.refresh_from_db()
    assert campaign.seats_taken == 2
    casting.decline(actor=people[0], campaign=campaign)
    first_waiting = Engagement.objects.get(campaign=campaign, creator=people[2])
    assert first_waiting.seat == "taken"
    assert Engagement.objects.get(campaign=campaign, creator=people[3]).seat == "waitlist"
    assert not LedgerLine.objects.filter(creator=people[0]).exists()
    campaign.refresh_from_db()
    assert campaign.seats_taken == 2


def test_more_seats_move_the_waiting_list():
    agent = staff()
    people = [creator() for _ in range(3)]
    campaign = _eductour(agent, seats=1)
    casting.invite(actor=agent, campaign=campaign, creators=people)
    for p in people:
        casting.accept(actor=p, campaign=campaign)
    data = brief_data(
        has_eductour=True,
        eductour_starts_on=campaign.eductour_starts_on,
        eductour_ends_on=campaign.eductour_ends_on,
        eductour_seats=3,
        starts_on=campaign.starts_on,
        ends_on=campaign.ends_on,
    )
    briefs.save_brief(
        actor=agent,
        campaign=campaign,
        data=data,
        in_kind=[{"label": "Nuit à l'hôtel", "value": "180"}],
    )
    assert set(Engagement.objects.filter(campaign=campaign).values_list("seat", flat=True)) == {
        "taken"
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs concurrent writers: SQLite serialises every write, so there is no race to test",
)
def test_two_creators_taking_the_last_seat_at_once_never_overfill_50_rounds():
    """Two threads, each its own connection, accept at the same moment for the last seat;
    50 rounds: always exactly one seat taken and one on the waiting list."""
    from django.db import connections

    agent = staff()
    for round_number in range(50):
        campaign = _eductour(agent, seats=1)
        pair = [creator(), creator()]
        casting.invite(actor=agent, campaign=campaign, creators=pair)
        barrier = threading.Barrier(2)
        errors = []

        def take(member, campaign=campaign, barrier=barrier, errors=errors):
            try:
                barrier.wait()
                casting.accept(actor=member, campaign=campaign)
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=take, args=(member,)) for member in pair]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == [], round_number
        seats = sorted(Engagement.objects.filter(campaign=campaign).values_list("seat", flat=True))
        assert seats == ["taken", "waitlist"], round_number
        campaign.refresh_from_db()
        assert campaign.seats_taken == 1, round_number


def test_the_brief_pages_work_for_staff_and_creator(client):
    agent = staff()
    lea = creator()
    client.force_login(agent)
    response = client.post(
        "/campaigns/new/",
        {
            **brief_data(),
            "kind": "campaign",
            "item_label_0": "Dîner",
            "item_value_0": "60",
            "spec_platform_0": "instagram",
            "spec_format_0": "post",
            "spec_count_0": "1",
            "spec_due_on_0": (TODAY() + timedelta(days=9)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    campaign = Campaign.objects.get()
    assert campaign.in_kind_items.get().value == Decimal("60.00")
    client.post(f"/campaigns/{campaign.pk}/publish/move/")
    client.post(f"/campaigns/{campaign.pk}/invite/", {"usernames": lea.username})
    assert Engagement.objects.get().status == "invited"
    response = client.post("/campaigns/new/", {**brief_data(cash_amount="-3"), "kind": "campaign"})
    assert response.status_code == 200
    assert "négatif" in response.content.decode()
    client.force_login(lea)
    assert client.get(campaign.get_absolute_url()).status_code == 200
    client.post(f"/campaigns/{campaign.pk}/answer/accept/")
    assert Engagement.objects.get().status == "accepted"
