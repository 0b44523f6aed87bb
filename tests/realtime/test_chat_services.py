"""Chat's services: rooms come with groups and follow their membership, messages are stored
with their room sequence number, once per client_id, within the rules."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.errors import Conflict, InvalidInput, NotAllowed, RateLimited
from network.models import Group
from network.services import groups as group_services
from realtime import selectors, services
from realtime.models import Membership, Message, Room
from tests.factories import UserFactory
from tests.network.factories import GroupFactory, add_member
from tests.realtime.factories import group_room, suspended_member

pytestmark = pytest.mark.django_db


def test_creating_a_group_creates_its_room_with_its_creator_in_it():
    camille = UserFactory()
    group = group_services.create_group(
        actor=camille, name="Club des marcheurs", visibility="public", join_policy="open"
    )
    room = Room.objects.get(group=group)
    assert room.kind == Room.Kind.GROUP
    assert list(room.memberships.values_list("user", flat=True)) == [camille.pk]


def test_joining_a_group_joins_its_room_reading_from_its_end():
    hugo, nina = UserFactory(), UserFactory()
    room = group_room(hugo)
    services.send_message(actor=hugo, room=room, body="Bonjour", client_id="a1")
    group_services.join_group(actor=nina, group=room.group)
    assert Membership.objects.get(room=room, user=nina).last_read_seq == 1


def test_leaving_a_group_leaves_its_room():
    hugo, nina = UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    group_services.leave_group(actor=nina, group=room.group)
    assert not Membership.objects.filter(room=room, user=nina).exists()
    with pytest.raises(NotAllowed):
        services.send_message(actor=nina, room=room, body="Toujours là ?", client_id="x")


def test_messages_get_consecutive_sequence_numbers_per_room():
    hugo = UserFactory()
    first, second = group_room(hugo), group_room(hugo)
    seqs = [
        services.send_message(actor=hugo, room=room, body="Salut", client_id=f"c{n}")[0].seq
        for n, room in enumerate([first, first, second, first])
    ]
    assert seqs == [1, 2, 1, 3]
    first.refresh_from_db()
    assert first.last_seq == 3


def test_the_same_client_id_stores_one_message():
    hugo = UserFactory()
    room = group_room(hugo)
    message, created = services.send_message(actor=hugo, room=room, body="Un", client_id="dup")
    again, created_again = services.send_message(actor=hugo, room=room, body="Un", client_id="dup")
    assert (created, created_again) == (True, False)
    assert again.pk == message.pk
    assert Message.objects.count() == 1


def test_a_client_id_used_in_another_room_is_a_conflict():
    hugo = UserFactory()
    first, second = group_room(hugo), group_room(hugo)
    services.send_message(actor=hugo, room=first, body="Un", client_id="dup")
    with pytest.raises(Conflict):
        services.send_message(actor=hugo, room=second, body="Un", client_id="dup")


def test_storing_a_message_takes_one_short_transaction():
    """Expect: the mention lookup skipped (no @), then SAVEPOINT, the room's counter bumped
    with UPDATE…RETURNING (checking membership and the client_id), INSERT, the read mark,
    RELEASE (on PostgreSQL the three middle ones are one statement)."""
    hugo = UserFactory()
    room = group_room(hugo)
    with CaptureQueriesContext(connection) as queries:
        services.send_message(actor=hugo, room=room, body="Salut", client_id="q")
    sql = [q["sql"] for q in queries.captured_queries]
    assert any("RETURNING" in s and "last_seq" in s for s in sql)
    assert len(sql) <= 7


@pytest.mark.parametrize(
    ("body", "error", "code"),
    [
        ("", InvalidInput, "invalid"),
        ("   \n ", InvalidInput, "invalid"),
        (None, InvalidInput, "invalid"),
        (42, InvalidInput, "invalid"),
        ("x" * 4001, services.MessageTooLong, "too_long"),
    ],
)
def test_a_bad_body_is_refused_and_nothing_stored(body, error, code):
    hugo = UserFactory()
    room = group_room(hugo)
    with pytest.raises(error) as raised:
        services.send_message(actor=hugo, room=room, body=body, client_id="b")
    assert raised.value.code == code
    assert not Message.objects.exists()
    room.refresh_from_db()
    assert room.last_seq == 0


@pytest.mark.parametrize("client_id", ["a" * 65, "with space", 12, "<script>"])
def test_a_bad_client_id_is_refused(client_id):
    hugo = UserFactory()
    room = group_room(hugo)
    with pytest.raises(InvalidInput):
        services.send_message(actor=hugo, room=room, body="Salut", client_id=client_id)


def test_a_body_of_4000_characters_is_accepted():
    hugo = UserFactory()
    room = group_room(hugo)
    message, _ = services.send_message(actor=hugo, room=room, body="é" * 4000, client_id="l")
    assert len(message.text) == 4000


def test_the_twenty_first_message_in_ten_seconds_is_rate_limited():
    hugo = UserFactory()
    room = group_room(hugo)
    for n in range(20):
        services.send_message(actor=hugo, room=room, body="Vite", client_id=f"r{n}")
    with pytest.raises(RateLimited):
        services.send_message(actor=hugo, room=room, body="Trop", client_id="r20")
    assert Message.objects.count() == 20


def test_a_non_member_cannot_send():
    room = group_room(UserFactory())
    with pytest.raises(NotAllowed):
        services.send_message(actor=UserFactory(), room=room, body="Coucou", client_id="n")


def test_a_suspended_member_cannot_send():
    member = suspended_member()
    room = group_room(member)
    with pytest.raises(NotAllowed):
        services.send_message(actor=member, room=room, body="Coucou", client_id="s")


def test_the_body_is_escaped_and_links_made_safe_and_clickable():
    hugo = UserFactory()
    room = group_room(hugo)
    message, _ = services.send_message(
        actor=hugo,
        room=room,
        body='<script>alert(1)</script> voir https://example.org/a\n<a href="javascript:x">b</a>',
        client_id="h",
    )
    assert "<script" not in message.body
    assert "&lt;script&gt;" in message.body
    assert 'href="https://example.org/a"' in message.body
    assert 'rel="nofollow ugc noopener"' in message.body
    assert 'href="javascript' not in message.body
    assert "<br>" in message.body


def test_a_mention_of_a_room_member_is_linked_and_others_are_not():
    hugo, nina, outsider = UserFactory(), UserFactory(username="nina"), UserFactory(username="zoe")
    room = group_room(hugo, nina)
    message, _ = services.send_message(
        actor=hugo, room=room, body="Merci @nina et @zoe", client_id="m"
    )
    assert "@nina</a>" in message.body
    assert "@zoe</a>" not in message.body
    assert outsider.pk


def test_members_edit_and_delete_their_own_messages_only():
    hugo, nina = UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    message, _ = services.send_message(actor=hugo, room=room, body="Typo", client_id="e")
    with pytest.raises(NotAllowed):
        services.edit_message(actor=nina, message=message, body="Piraté")
    services.edit_message(actor=hugo, message=message, body="Corrigé")
    message.refresh_from_db()
    assert (message.text, message.edited_at is not None) == ("Corrigé", True)
    with pytest.raises(NotAllowed):
        services.delete_message(actor=nina, message=message)
    services.delete_message(actor=hugo, message=message)
    message.refresh_from_db()
    assert message.deleted_at is not None
    assert message.text == ""


def test_group_moderators_hide_messages_and_members_do_not():
    hugo, nina, owner = UserFactory(), UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    add_member(room.group, owner, role="moderator")
    message, _ = services.send_message(actor=hugo, room=room, body="Spam", client_id="sp")
    with pytest.raises(NotAllowed):
        services.hide_message(actor=nina, message=message)
    services.hide_message(actor=owner, message=message)
    message.refresh_from_db()
    assert message.hidden_at is not None


def test_the_read_mark_moves_forward_only_and_not_past_the_end():
    hugo, nina = UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    for n in range(3):
        services.send_message(actor=hugo, room=room, body="m", client_id=f"k{n}")
    assert services.mark_read(actor=nina, room=room, seq=2) == 2
    assert services.mark_read(actor=nina, room=room, seq=1) == 2
    assert services.mark_read(actor=nina, room=room, seq=99) == 3


@pytest.mark.parametrize("seq", [-1, "3", None, True, 1.5])
def test_a_bad_read_mark_is_refused(seq):
    nina = UserFactory()
    room = group_room(nina)
    with pytest.raises(InvalidInput):
        services.mark_read(actor=nina, room=room, seq=seq)


def test_a_direct_room_is_one_per_pair_whoever_opens_it():
    camille, hugo = UserFactory(), UserFactory()
    room = services.open_direct_room(actor=camille, other=hugo)
    assert services.open_direct_room(actor=hugo, other=camille).pk == room.pk
    assert set(room.memberships.values_list("user", flat=True)) == {camille.pk, hugo.pk}


@pytest.mark.parametrize("who", ["self", "suspended", "inactive"])
def test_a_direct_room_is_refused_with(who):
    camille = UserFactory()
    other = {
        "self": camille,
        "suspended": suspended_member(),
        "inactive": UserFactory(is_active=False),
    }[who]
    with pytest.raises(NotAllowed):
        services.open_direct_room(actor=camille, other=other)


def test_a_suspended_member_cannot_open_a_direct_room():
    with pytest.raises(NotAllowed):
        services.open_direct_room(actor=suspended_member(), other=UserFactory())


def test_a_private_room_holds_at_most_twenty_people():
    camille = UserFactory()
    nineteen = UserFactory.create_batch(19)
    room = services.create_private_room(actor=camille, name="Sortie vélo", members=nineteen)
    assert room.memberships.count() == 20
    with pytest.raises(InvalidInput):
        services.create_private_room(actor=camille, name="Trop", members=[*nineteen, UserFactory()])


def test_a_private_room_needs_a_name():
    with pytest.raises(InvalidInput):
        services.create_private_room(actor=UserFactory(), name=" ", members=[UserFactory()])


def test_history_pages_by_sequence_number():
    hugo = UserFactory()
    room = group_room(hugo)
    for n in range(10):
        services.send_message(actor=hugo, room=room, body=f"m{n}", client_id=f"p{n}")
    assert [m.seq for m in selectors.history(room, limit=3)] == [8, 9, 10]
    assert [m.seq for m in selectors.history(room, before=8, limit=3)] == [5, 6, 7]
    assert [m.seq for m in selectors.history(room, after=2, limit=3)] == [3, 4, 5]


@pytest.mark.parametrize("value", ["x", "-1", "1.5"])
def test_a_bad_history_cursor_is_refused(value):
    room = group_room(UserFactory())
    with pytest.raises(InvalidInput):
        selectors.history(room, after=value)


def test_rooms_list_counts_unread_and_shows_the_last_message(django_assert_num_queries):
    hugo, nina = UserFactory(), UserFactory()
    busy, quiet = group_room(hugo, nina), group_room(hugo, nina)
    direct = services.open_direct_room(actor=hugo, other=nina)
    for n in range(3):
        services.send_message(actor=hugo, room=busy, body=f"b{n}", client_id=f"b{n}")
    services.send_message(actor=nina, room=quiet, body="moi", client_id="q0")
    services.send_message(actor=hugo, room=direct, body="Salut Nina", client_id="d0")
    with django_assert_num_queries(4):  # rooms, unread counts, last messages, direct partners
        rooms = {room.pk: room for room in selectors.rooms_for(nina)}
    assert rooms[busy.pk].unread == 3
    assert rooms[quiet.pk].unread == 0  # her own message
    assert rooms[direct.pk].last_message.text == "Salut Nina"
    assert rooms[direct.pk].title == hugo.get_display_name()


def test_rooms_list_costs_the_same_for_one_room_and_twenty(django_assert_num_queries):
    nina = UserFactory()

    def talk():
        other = UserFactory()
        room = services.open_direct_room(actor=nina, other=other)
        services.send_message(actor=other, room=room, body="Salut", client_id="x")

    talk()
    with django_assert_num_queries(4):
        selectors.rooms_for(nina)
    for _ in range(19):
        talk()
    with django_assert_num_queries(4):
        assert len(selectors.rooms_for(nina)) == 20


def test_a_group_deleted_takes_its_room_along():
    group = GroupFactory()
    group.delete()
    assert not Room.objects.exists()
    assert Group.objects.count() == 0


def test_a_batch_is_stored_in_one_transaction_and_a_refused_message_holds_up_no_other():
    """The sockets' writer (realtime/writer.py) stores what arrived together in one commit."""
    hugo, nina = UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    outsider = UserFactory()
    batch = [
        services.Outgoing(actor=hugo, room=room, body="Un", client_id="b1"),
        services.Outgoing(actor=outsider, room=room, body="Intrus", client_id="b2"),
        services.Outgoing(actor=nina, room=room, body="", client_id="b3"),
        services.Outgoing(actor=nina, room=room, body="Deux", client_id="b4"),
        services.Outgoing(actor=hugo, room=room, body="Un", client_id="b1"),  # a retry
    ]
    with CaptureQueriesContext(connection) as queries:
        results = services.store_messages(batch)
    assert [type(r) for r in results[1:3]] == [NotAllowed, InvalidInput]
    assert [(m.seq, created) for m, created in (results[0], results[3], results[4])] == [
        (1, True),
        (2, True),
        (1, False),
    ]
    assert sum("SAVEPOINT" in q["sql"] and "RELEASE" not in q["sql"] for q in queries) <= 1
    assert list(Message.objects.order_by("seq").values_list("text", flat=True)) == ["Un", "Deux"]


def test_the_rate_limit_counts_every_message_of_a_batch():
    hugo = UserFactory()
    room = group_room(hugo)
    batch = [
        services.Outgoing(actor=hugo, room=room, body="Vite", client_id=f"v{n}") for n in range(21)
    ]
    results = services.store_messages(batch)
    assert isinstance(results[20], RateLimited)
    assert Message.objects.count() == 20
