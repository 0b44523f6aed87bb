"""Group events: creation, replies with guests, capacity counted in seats, and the waiting
list that moves up by itself."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from network import signals
from network.models import Group, GroupEvent, GroupEventRSVP, GroupMembership
from network.selectors.groups import event_rsvps, group_events, waitlist_position
from network.services import group_events as services
from network.services.groups import ban_member, leave_group, remove_member
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member

pytestmark = pytest.mark.django_db

Role = GroupMembership.Role
GOING, WAITLISTED = GroupEventRSVP.Status.GOING, GroupEventRSVP.Status.WAITLISTED


def soon(days=7):
    return timezone.now() + timedelta(days=days)


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.fixture
def group():
    return GroupFactory()


@pytest.fixture
def moderator(group):
    return add_member(group, role=Role.MODERATOR).user


def make_event(group, **fields):
    values = {"title": "Afterwork", "starts_at": soon(), "capacity": 4, "guests_allowed": 2}
    return GroupEvent.objects.create(group=group, **{**values, **fields})


def members(group, count):
    return [add_member(group).user for _number in range(count)]


@pytest.fixture
def promoted():
    caught = []

    def receiver(sender, rsvp, **kwargs):
        caught.append(rsvp)

    signals.rsvp_promoted.connect(receiver, weak=False)
    yield caught
    signals.rsvp_promoted.disconnect(receiver)


def status_of(event, user):
    return GroupEventRSVP.objects.get(event=event, user=user).status


# Creating ------------------------------------------------------------------------------------


def test_a_moderator_creates_a_group_only_event(group, moderator):
    event = services.create_group_event(
        actor=moderator,
        group=group,
        title="<b>Apéro</b> réseau",
        starts_at=soon(),
        ends_at=soon() + timedelta(hours=2),
        description='<p>Venez <script>x</script><a href="javascript:x">!</a></p>',
        location="Le Port",
        capacity=20,
        guests_allowed=1,
    )
    assert event.title == "Apéro réseau"
    assert "script" not in event.description and "javascript" not in event.description
    assert event.created_by == moderator


def test_linking_an_agency_event_fills_its_details(group, moderator):
    from wagtail.models import Page

    from content.models import EventIndexPage, EventPage

    root = Page.objects.get(depth=1)
    index = root.add_child(instance=EventIndexPage(title="Agenda", slug="agenda-test"))
    page = index.add_child(
        instance=EventPage(
            title="Salon du tourisme", slug="salon", start=soon(20), venue_name="Halle"
        )
    )
    event = services.create_group_event(actor=moderator, group=group, content_event=page)
    assert (event.title, event.starts_at, event.location) == (
        "Salon du tourisme",
        page.start,
        "Halle",
    )
    assert event.content_event == page

    page.unpublish()
    with pytest.raises(InvalidInput):
        services.create_group_event(actor=moderator, group=group, content_event=page)


@pytest.mark.parametrize(
    "fields",
    [
        {"title": ""},
        {"title": "x" * 161},
        {"starts_at": None},
        {"starts_at": timezone.now() - timedelta(hours=1)},
        {"ends_at": timezone.now() + timedelta(days=1)},
        {"capacity": 0},
        {"guests_allowed": 6},
        {"guests_allowed": -1},
        {"description": "x" * 5001},
    ],
)
def test_bad_event_fields_are_refused(group, moderator, fields):
    values = {"title": "Atelier", "starts_at": soon(), **fields}
    with pytest.raises(InvalidInput):
        services.create_group_event(actor=moderator, group=group, **values)
    assert not GroupEvent.objects.exists()


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_only_moderators_create_events(group, who):
    actor = add_member(group).user if who == "member" else UserFactory()
    with pytest.raises(NotAllowed):
        services.create_group_event(actor=actor, group=group, title="x", starts_at=soon())
    assert not GroupEvent.objects.exists()


# Replying ------------------------------------------------------------------------------------


def test_a_member_replies_with_guests(group):
    event = make_event(group)
    user = add_member(group).user
    rsvp = services.rsvp(actor=user, event=event, guests=2)
    assert (rsvp.status, rsvp.seats) == (GOING, 3)
    assert services.seats_taken(event) == 3


@pytest.mark.parametrize("guests", [-1, 3, "2", 1.5, True])
def test_guests_beyond_the_allowance_or_not_a_number_are_refused(group, guests):
    event = make_event(group, guests_allowed=2)
    user = add_member(group).user
    with pytest.raises(InvalidInput):
        services.rsvp(actor=user, event=event, guests=guests)
    assert not GroupEventRSVP.objects.exists()


def test_replying_twice_is_a_conflict(group):
    event = make_event(group)
    user = add_member(group).user
    services.rsvp(actor=user, event=event)
    with pytest.raises(Conflict):
        services.rsvp(actor=user, event=event, guests=1)
    assert GroupEventRSVP.objects.get().guests == 0


def test_capacity_is_counted_in_seats_and_the_rest_waits(group):
    event = make_event(group, capacity=4)
    first, second, third = members(group, 3)
    assert services.rsvp(actor=first, event=event, guests=2).status == GOING  # 3 seats
    assert services.rsvp(actor=second, event=event, guests=1).status == WAITLISTED  # 2 > 1 left
    # Someone is waiting: a newcomer queues behind even though one seat is free.
    assert services.rsvp(actor=third, event=event).status == WAITLISTED
    assert services.seats_taken(event) == 3


def test_sequential_replies_never_overbook(group):
    """Each reply takes the event's lock and counts seats again, so the last seat goes once."""
    event = make_event(group, capacity=3, guests_allowed=0)
    replies = [services.rsvp(actor=user, event=event) for user in members(group, 6)]
    assert [r.status for r in replies] == [GOING] * 3 + [WAITLISTED] * 3
    assert services.seats_taken(event) == 3


def test_an_event_without_capacity_has_no_waiting_list(group):
    event = make_event(group, capacity=None)
    for user in members(group, 5):
        assert services.rsvp(actor=user, event=event, guests=2).status == GOING


def test_cancelling_moves_the_waiting_list_up(group, promoted, django_capture_on_commit_callbacks):
    event = make_event(group, capacity=2, guests_allowed=1)
    first, second, third = members(group, 3)
    services.rsvp(actor=first, event=event, guests=1)
    services.rsvp(actor=second, event=event)
    services.rsvp(actor=third, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_rsvp(actor=first, event=event)
    assert status_of(event, second) == GOING
    assert status_of(event, third) == GOING
    assert [rsvp.user for rsvp in promoted] == [second, third]
    assert services.seats_taken(event) == 2


def test_the_waiting_list_keeps_its_order(group):
    """A party that does not fit yet keeps the head of the list."""
    event = make_event(group, capacity=3, guests_allowed=2)
    holder, big_party, single = members(group, 3)
    services.rsvp(actor=holder, event=event)  # 1 seat
    services.rsvp(actor=big_party, event=event, guests=2)  # 3 seats: waits
    services.rsvp(actor=single, event=event)  # waits behind
    other = add_member(group).user
    services.rsvp(actor=other, event=event)  # waits
    services.cancel_rsvp(actor=holder, event=event)  # 3 seats free: the party fits
    assert status_of(event, big_party) == GOING
    assert status_of(event, single) == WAITLISTED
    assert waitlist_position(GroupEventRSVP.objects.get(user=single)) == 1
    assert waitlist_position(GroupEventRSVP.objects.get(user=other)) == 2


def test_a_waiting_member_who_cancels_promotes_nobody_wrongly(group, promoted):
    event = make_event(group, capacity=1, guests_allowed=0)
    first, second, third = members(group, 3)
    for user in (first, second, third):
        services.rsvp(actor=user, event=event)
    services.cancel_rsvp(actor=second, event=event)
    assert status_of(event, first) == GOING
    assert status_of(event, third) == WAITLISTED
    assert waitlist_position(GroupEventRSVP.objects.get(user=third)) == 1


def test_cancelling_without_a_reply_is_a_conflict(group):
    event = make_event(group)
    with pytest.raises(Conflict):
        services.cancel_rsvp(actor=add_member(group).user, event=event)


def test_a_started_event_takes_no_replies(group):
    event = make_event(group)
    GroupEvent.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(Conflict):
        services.rsvp(actor=add_member(group).user, event=event)


def test_only_members_reply(group):
    event = make_event(group)
    for actor in (UserFactory(), UserFactory(is_staff=True)):
        with pytest.raises(NotAllowed):
            services.rsvp(actor=actor, event=event)
    suspended = UserFactory(suspended_until=timezone.now() + timedelta(days=1))
    add_member(group, suspended)
    with pytest.raises(NotAllowed):
        services.rsvp(actor=suspended, event=event)
    assert not GroupEventRSVP.objects.exists()


@pytest.mark.parametrize("visibility", [Group.Visibility.PRIVATE, Group.Visibility.SECRET])
def test_events_of_closed_groups_are_not_found_by_outsiders(visibility):
    group = GroupFactory(visibility=visibility)
    event = make_event(group)
    outsider = UserFactory()
    with pytest.raises(NotFound):
        services.rsvp(actor=outsider, event=event)
    with pytest.raises(NotFound):
        services.cancel_rsvp(actor=outsider, event=event)
    assert list(group_events(outsider, group)) == []


def test_leaving_gives_back_seats_at_coming_events(
    group, promoted, django_capture_on_commit_callbacks
):
    add_member(group, role=Role.OWNER)
    event = make_event(group, capacity=1, guests_allowed=0)
    leaver, waiting = members(group, 2)
    services.rsvp(actor=leaver, event=event)
    services.rsvp(actor=waiting, event=event)
    with django_capture_on_commit_callbacks(execute=True):
        leave_group(actor=fresh(leaver), group=group)
    assert not GroupEventRSVP.objects.filter(user=leaver).exists()
    assert status_of(event, waiting) == GOING
    assert [rsvp.user for rsvp in promoted] == [waiting]


@pytest.mark.parametrize("action", [remove_member, ban_member])
def test_removed_or_banned_members_give_back_their_seats(group, moderator, action):
    event = make_event(group, capacity=1, guests_allowed=0)
    target, waiting = members(group, 2)
    services.rsvp(actor=target, event=event)
    services.rsvp(actor=waiting, event=event)
    action(actor=moderator, group=group, user=target)
    assert status_of(event, waiting) == GOING


def test_the_event_list_counts_seats_and_waiting(group):
    event = make_event(group, capacity=2, guests_allowed=1)
    first, second = members(group, 2)
    services.rsvp(actor=first, event=event, guests=1)
    services.rsvp(actor=second, event=event)
    listed = group_events(first, group).get()
    assert (listed.seats_taken, listed.waitlist_length) == (2, 1)
    going, waiting = event_rsvps(event)
    assert [r.user for r in going] == [first]
    assert [r.user for r in waiting] == [second]


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_replies_cannot_both_take_the_last_seat():
    """Real concurrency needs a database with row locks (PostgreSQL): each reply waits for
    the other's lock on the event, then counts the seats again."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks need PostgreSQL")
    group = GroupFactory()
    event = make_event(group, capacity=1, guests_allowed=0)
    first, second = members(group, 2)
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def reply(user):
        try:
            barrier.wait()
            statuses.append(services.rsvp(actor=user, event=event).status)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reply, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(statuses) == [GOING, WAITLISTED]
    assert services.seats_taken(event) == 1
