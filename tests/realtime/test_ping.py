"""`/ws/ping/`: the authenticated echo socket that proves the ASGI stack end to end."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from realtime.consumers import CLOSE_UNAUTHENTICATED
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://localhost")


@sync_to_async
def session_cookie_for_new_member():
    client = Client()
    client.force_login(UserFactory())
    return (
        b"cookie",
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}".encode(),
    )


async def connect(headers):
    communicator = WebsocketCommunicator(application, "/ws/ping/", headers=headers)
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_an_authenticated_member_gets_an_echo():
    communicator, connected, _ = await connect([ORIGIN, await session_cookie_for_new_member()])
    assert connected
    hello = await communicator.receive_json_from()
    assert hello["type"] == "hello"
    await communicator.send_json_to({"n": 1, "text": "Kenavo"})
    assert await communicator.receive_json_from() == {
        "type": "pong",
        "echo": {"n": 1, "text": "Kenavo"},
    }
    await communicator.disconnect()


async def test_an_anonymous_client_is_accepted_then_closed_with_4401():
    """Refused at the handshake, a browser would only see HTTP 403: the close code says why."""
    communicator, connected, _ = await connect([ORIGIN])
    assert connected
    assert await communicator.receive_output(timeout=5) == {
        "type": "websocket.close",
        "code": CLOSE_UNAUTHENTICATED,
    }


async def test_an_unknown_socket_path_is_refused_cleanly():
    communicator = WebsocketCommunicator(application, "/ws/nowhere/", headers=[ORIGIN])
    connected, _ = await communicator.connect()
    assert not connected


async def test_a_foreign_origin_is_refused():
    cookie = await session_cookie_for_new_member()
    communicator, connected, _ = await connect([(b"origin", b"https://evil.example"), cookie])
    assert not connected


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "invalid"),
        ("[" * 2000 + "]" * 2000, "invalid"),  # nested past the parser's recursion limit
        ("[1, 2]", "invalid"),
        ('{"x": "' + "a" * 70_000 + '"}', "too_long"),
    ],
)
async def test_bad_frames_get_an_error_frame_and_the_socket_stays_open(frame, code):
    communicator, connected, _ = await connect([ORIGIN, await session_cookie_for_new_member()])
    assert connected
    await communicator.receive_json_from()
    await communicator.send_to(text_data=frame)
    error = await communicator.receive_json_from()
    assert error["type"] == "error"
    assert error["code"] == code
    assert error["message"]
    await communicator.send_json_to({"still": "open"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.disconnect()
