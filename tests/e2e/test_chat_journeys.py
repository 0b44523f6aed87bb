"""Chat journeys in two browsers at once, against Daphne (pages and sockets) running in this
process on the test database, with the in-memory channel layer."""

import socket
import threading
import time
from pathlib import Path

import pytest

from realtime.models import Room
from tests.e2e.pages import log_in

SHOTS = Path("/tmp/chat")
PASSWORD = "territoire-demo"
_server = {}


def _free_port() -> int:
    for port in range(8150, 8199):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port in 8150-8199")


@pytest.fixture
def daphne_url(demo_territory):
    """Daphne serving config.asgi in a thread (Twisted's reactor runs once per process, so it
    is started once and kept)."""
    if "url" not in _server:
        from daphne.endpoints import build_endpoint_description_strings
        from daphne.server import Server

        from config.asgi import application

        port = _free_port()
        server = Server(
            application=application,
            endpoints=build_endpoint_description_strings(host="127.0.0.1", port=port),
            signal_handlers=False,
            verbosity=0,
        )
        threading.Thread(target=server.run, daemon=True).start()
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        _server["url"] = f"http://127.0.0.1:{port}"
    return _server["url"]


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def send(page, text):
    page.fill("[data-body]", text)
    page.press("[data-body]", "Enter")


def test_chat_journeys(daphne_url, browser):
    club = Room.objects.get(group__slug="club-des-entrepreneurs")
    room_url = f"{daphne_url}/chat/{club.pk}/"
    hugo_context, hugo = log_in(browser, daphne_url, "hugo")
    nina_context, nina = log_in(browser, daphne_url, "nina")

    # hugo and nina in the club's room see each other live: typing, message, read receipt.
    hugo.goto(room_url)
    nina.goto(room_url)
    hugo.wait_for_selector("[data-online]:has-text('nina')")
    hugo.fill("[data-body]", "Bonjour Nina")
    nina.wait_for_selector("[data-typing]:has-text('Hugo')")
    hugo.press("[data-body]", "Enter")
    nina.wait_for_selector(".chat-message:has-text('Bonjour Nina')")
    send(nina, "Salut Hugo, bien reçu")
    hugo.wait_for_selector(".chat-message:has-text('Salut Hugo, bien reçu')")
    send(hugo, "Parfait")
    hugo.wait_for_selector("[data-receipt]:has-text('nina')")
    shot(hugo, "journey-room-hugo")

    # A mention while nina reads her feed: a toast on the open page, the badge goes up.
    nina.goto(daphne_url + "/feed/")
    nina.wait_for_timeout(500)  # the member socket opens
    send(hugo, "@nina tu peux relire le devis ?")
    toast = nina.wait_for_selector("[data-testid=live-toast]", timeout=10000)
    assert toast.get_attribute("href").startswith(f"/chat/{club.pk}/")
    assert nina.locator("[data-testid=notifications-unread]").count() == 1
    shot(nina, "journey-feed-toast")

    # The rooms list on /chat/ follows the rooms live: the unread count and the last message.
    nina.goto(daphne_url + "/chat/")
    unread = nina.locator(f"[data-room-link='{club.pk}'] [data-testid=room-unread] [aria-hidden]")
    count = int(unread.inner_text()) if unread.count() else 0
    nina.wait_for_timeout(1500)  # the member socket opens and asks for its rooms
    send(hugo, "Liste en direct")
    nina.wait_for_selector(
        f"[data-room-link='{club.pk}'] .chat-rooms__last:has-text('Liste en direct')",
        timeout=10000,
    )
    assert int(unread.inner_text()) == count + 1
    shot(nina, "journey-rooms-list")

    # Offline and back: nothing sent meanwhile is lost, nothing comes twice.
    nina.goto(room_url)
    nina.wait_for_selector(".chat-message:has-text('relire le devis')")
    nina_context.set_offline(True)
    for n in range(3):
        send(hugo, f"Pendant ta coupure {n}")
    acknowledged = ".chat-message:has-text('Pendant ta coupure 2'):not(.chat-message--pending)"
    hugo.wait_for_selector(acknowledged)
    nina.wait_for_timeout(1500)
    nina_context.set_offline(False)
    for n in range(3):
        nina.wait_for_selector(f".chat-message:has-text('Pendant ta coupure {n}')", timeout=15000)
        assert nina.locator(f".chat-message:has-text('Pendant ta coupure {n}')").count() == 1
    seqs = [
        int(s)
        for s in nina.locator(".chat-messages [data-seq]").evaluate_all(
            "items => items.map(item => item.dataset.seq)"
        )
    ]
    assert seqs == sorted(set(seqs))
    shot(nina, "journey-room-nina")

    # camille is not in the club: the page is a 404 and the socket closes with 4403.
    camille_context, camille = log_in(browser, daphne_url, "camille")
    response = camille.goto(room_url)
    assert response.status == 404
    code = camille.evaluate(
        """url => new Promise(resolve => {
            const socket = new WebSocket(url);
            socket.onclose = event => resolve(event.code);
        })""",
        daphne_url.replace("http", "ws") + f"/ws/chat/{club.pk}/",
    )
    assert code == 4403

    for page in (hugo, nina, camille):
        assert page.csp_violations == []
    for context in (hugo_context, nina_context, camille_context):
        context.close()
