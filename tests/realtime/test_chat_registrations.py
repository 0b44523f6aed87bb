"""Chat in the network's registries: mentions notify, messages go to the one moderation
queue, and a member's messages are in their export and go with their account."""

import pytest
from django.core import mail

from network.models import Case, Notification
from network.services import moderation, personal_data
from realtime import services
from realtime.models import Message
from tests.factories import UserFactory
from tests.network.factories import add_member
from tests.realtime.factories import group_room

pytestmark = pytest.mark.django_db


def test_a_mention_in_chat_notifies_the_member_named(django_capture_on_commit_callbacks):
    hugo, nina = UserFactory(username="hugo"), UserFactory(username="nina")
    room = group_room(hugo, nina)
    with django_capture_on_commit_callbacks(execute=True):
        message, _ = services.send_message(
            actor=hugo, room=room, body="@nina tu viens ?", client_id="m1"
        )
    notification = Notification.objects.get(recipient=nina)
    assert notification.kind == "chat_mention"
    assert notification.url == f"/chat/{room.pk}/#m{message.seq}"


def test_a_chat_mention_is_e_mailed_at_once_with_its_kind(django_capture_on_commit_callbacks):
    """Chat's kind is registered, not one of the network's model choices: the e-mail names
    it from the registry (it raised, and the notification was never made)."""
    hugo = UserFactory(username="hugo", display_name="Hugo")
    nina = UserFactory(username="nina", email="nina@example.org")
    room = group_room(hugo, nina)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(actor=hugo, room=room, body="@nina tu viens ?", client_id="m3")
    assert Notification.objects.get(recipient=nina).kind == "chat_mention"
    assert len(mail.outbox) == 1
    assert "Hugo" in mail.outbox[0].subject


def test_a_mention_of_someone_outside_the_room_notifies_nobody(
    django_capture_on_commit_callbacks,
):
    hugo = UserFactory(username="hugo")
    UserFactory(username="camille")
    room = group_room(hugo)
    with django_capture_on_commit_callbacks(execute=True):
        services.send_message(actor=hugo, room=room, body="@camille ?", client_id="m2")
    assert not Notification.objects.exists()


def test_a_reported_message_is_hidden_by_the_groups_moderator(
    django_capture_on_commit_callbacks,
):
    hugo, nina, moderator = UserFactory(), UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    add_member(room.group, moderator, role="moderator")
    message, _ = services.send_message(actor=hugo, room=room, body="Pub !", client_id="s")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.report(actor=nina, target=message, reason="spam", explanation="Pub")
    case = Case.objects.get()
    assert case.kind == "chat_message"
    assert case.group == room.group
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            actor=moderator, case=case, action="hide", facts="Publicité", ground="Règle 2"
        )
    message.refresh_from_db()
    assert message.hidden_at is not None


def test_the_export_has_the_members_messages_and_the_erasure_removes_them():
    hugo, nina = UserFactory(), UserFactory()
    room = group_room(hugo, nina)
    services.send_message(actor=hugo, room=room, body="À moi", client_id="a")
    services.send_message(actor=nina, room=room, body="À elle", client_id="b")
    data, _files = personal_data.collect_personal_data(hugo)
    assert [m["text"] for m in data["chat"]["messages"]] == ["À moi"]
    from network.registries import personal_data_sections

    (chat,) = [section for section in personal_data_sections() if section.key == "chat"]
    chat.erase(hugo)
    assert list(Message.objects.values_list("text", flat=True)) == ["À elle"]
