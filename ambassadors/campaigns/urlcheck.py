"""Fetch a published content's address once: does it answer, and does it carry the mention?

The fetch stays on an allow-list of hosts (CAMPAIGN_URL_CHECK_HOSTS: the platforms creators
publish on, and their subdomains) and never reaches a private address: the host is resolved
once, every address must be public (links/safety.py's rule), and the connection goes to that
resolved address (a second resolution cannot swap it for a private one). Redirects are
followed three times at most, each checked the same way. The body is read up to 512 KiB."""

import html
import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from ..links.safety import is_private_host

MAX_BYTES = 512 * 1024
TIMEOUT = 8
MAX_REDIRECTS = 3
DEFAULT_HOSTS = (
    "instagram.com",
    "tiktok.com",
    "youtube.com",
    "youtu.be",
    "facebook.com",
    "x.com",
    "twitter.com",
    "linkedin.com",
    "threads.net",
    "pinterest.com",
    "medium.com",
    "substack.com",
    "wordpress.com",
    "blogspot.com",
    "over-blog.com",
    "ouest-france.fr",
    "letelegramme.fr",
)


@dataclass
class Outcome:
    status: str  # "ok", "no_mention", "failed", "refused"
    detail: str = ""


class Refused(Exception):
    pass


def allowed_hosts() -> tuple[str, ...]:
    return tuple(getattr(settings, "CAMPAIGN_URL_CHECK_HOSTS", DEFAULT_HOSTS))


def host_allowed(host: str) -> bool:
    host = (host or "").rstrip(".").lower()
    return any(host == allowed or host.endswith("." + allowed) for allowed in allowed_hosts())


def resolve(host: str, port: int) -> list[str]:
    """The host's addresses (a seam for tests: they point an allowed name at their server)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def address_allowed(address: str) -> bool:
    """Public addresses only (loopback, private, link-local, reserved… are refused)."""
    return not is_private_host(address)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to a resolved address, with the certificate checked for the host's name."""

    def __init__(self, host, address, port, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, address, port, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _open(url: str):
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise Refused("scheme")
    host = parts.hostname
    if not host_allowed(host):
        raise Refused(f"host {host} is not on the allow-list")
    if is_private_host(host):
        raise Refused(f"host {host} is private")
    port = parts.port or (443 if scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except OSError as exc:
        raise ConnectionError(f"cannot resolve {host}") from exc
    if not addresses or not all(address_allowed(address) for address in addresses):
        raise Refused(f"{host} resolves to a private address")
    if scheme == "https":
        connection = _PinnedHTTPSConnection(
            host, addresses[0], port, timeout=TIMEOUT, context=ssl.create_default_context()
        )
    else:
        connection = _PinnedHTTPConnection(host, addresses[0], port, timeout=TIMEOUT)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    connection.request(
        "GET",
        path,
        headers={
            "Host": parts.netloc,
            "User-Agent": "TerritoryCampaignCheck/1.0 (+content check, once)",
            "Accept": "text/html,*/*;q=0.5",
        },
    )
    return connection, connection.getresponse()


def fetch(url: str) -> tuple[int, str]:
    """(status, body text) of `url`, following a few redirects; Refused or OSError."""
    for _hop in range(MAX_REDIRECTS + 1):
        connection, response = _open(url)
        try:
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            body = response.read(MAX_BYTES)
            charset = response.headers.get_content_charset() or "utf-8"
            return response.status, body.decode(charset, errors="replace")
        finally:
            connection.close()
    raise ConnectionError("too many redirects")


def check(url: str, mentions: list[str]) -> Outcome:
    try:
        status, body = fetch(url)
    except Refused as exc:
        return Outcome("refused", str(exc))
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return Outcome("failed", str(exc)[:200])
    if not 200 <= status < 300:
        return Outcome("failed", f"HTTP {status}")
    text = html.unescape(body).casefold()
    missing = [m for m in mentions if m.casefold() not in text]
    if mentions and len(missing) == len(mentions):
        return Outcome("no_mention", ", ".join(missing))
    return Outcome("ok", f"HTTP {status}")
