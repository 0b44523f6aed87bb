"""A member's sockets: they receive the live push of notifications and close when the member
is signed out everywhere (suspension, account deletion), with no way back in."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client
from django.utils import timezone

from config.asgi import application
from core.errors import InvalidInput
from network.models import Case
from network.services import moderation, personal_data
from network.services.notifications import push_to_user
from realtime.consumers import CLOSE_ACCESS_REVOKED, CLOSE_UNAUTHENTICATED
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")
PASSWORD = "Kenavo-Brest-29"


@sync_to_async
def member_with_cookie(**fields):
    user = UserFactory(**fields)
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return user, (b"cookie", f"{settings.SESSION_COOKIE_NAME}={value}".encode())


async def open_socket(cookie):
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=[ORIGIN, cookie])
    connected, code = await communicator.connect()
    assert connected, code
    assert (await communicator.receive_json_from())["type"] == "hello"
    return communicator


async def assert_closed_for_good(communicator, cookie):
    """The socket gets an error frame then closes; reconnecting with the same cookie fails."""
    frame = await communicator.receive_json_from(timeout=5)
    assert frame["type"] == "error"
    assert frame["code"] == "access_revoked"
    closed = await communicator.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_ACCESS_REVOKED}
    again = WebsocketCommunicator(application, "/ws/ping/", headers=[ORIGIN, cookie])
    connected, _ = await again.connect()
    assert connected
    closed = await again.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": CLOSE_UNAUTHENTICATED}


async def test_a_notification_reaches_every_open_page_of_the_member():
    hugo, cookie = await member_with_cookie(username="hugo")
    _, other_cookie = await member_with_cookie(username="lea")
    first, second = await open_socket(cookie), await open_socket(cookie)
    someone_else = await open_socket(other_cookie)

    await sync_to_async(push_to_user)(hugo.pk, {"kind": "mention", "url": "/feed/"})

    for communicator in (first, second):
        assert await communicator.receive_json_from(timeout=5) == {
            "type": "notification",
            "kind": "mention",
            "url": "/feed/",
        }
    assert await someone_else.receive_nothing(timeout=0.3)
    for communicator in (first, second, someone_else):
        await communicator.disconnect()


async def test_a_suspension_closes_the_members_sockets():
    nina, cookie = await member_with_cookie(username="nina")
    staff, staff_cookie = await member_with_cookie(username="agence", is_staff=True)
    mine = await open_socket(cookie)
    moderators = await open_socket(staff_cookie)

    @sync_to_async
    def suspend():
        post = PostFactory(author=nina)
        moderation.report(
            actor=staff, target=post, reason="harassment", explanation="Insultes répétées"
        )
        moderation.decide(
            actor=staff,
            case=Case.objects.get(),
            action="suspend",
            facts="Insultes répétées",
            ground="Règle 3",
            suspended_until=timezone.now() + timedelta(days=7),
        )

    await suspend()
    await assert_closed_for_good(mine, cookie)
    # The moderator's own socket stays open (it also got the notifications of the case).
    await moderators.send_json_to({"n": 1})
    frames = [await moderators.receive_json_from(timeout=5)]
    while frames[-1]["type"] == "notification":
        frames.append(await moderators.receive_json_from(timeout=5))
    assert frames[-1] == {"type": "pong", "echo": {"n": 1}}
    await moderators.disconnect()


async def test_deleting_ones_account_closes_its_sockets():
    camille, cookie = await member_with_cookie(username="camille")
    socket = await open_socket(cookie)

    await sync_to_async(personal_data.delete_account)(
        actor=camille, user=camille, password=PASSWORD, posts="anonymise"
    )

    await assert_closed_for_good(socket, cookie)


async def test_a_failed_decision_closes_nothing():
    nina, cookie = await member_with_cookie(username="nina")
    socket = await open_socket(cookie)

    @sync_to_async
    def suspend_without_an_end():
        staff = UserFactory(is_staff=True)
        moderation.report(
            actor=staff, target=PostFactory(author=nina), reason="spam", explanation="Pub"
        )
        with pytest.raises(InvalidInput):
            moderation.decide(
                actor=staff, case=Case.objects.get(), action="suspend", facts="x", ground="y"
            )

    await suspend_without_an_end()
    await socket.send_json_to({"n": 2})
    assert (await socket.receive_json_from(timeout=5))["type"] == "pong"
    await socket.disconnect()
