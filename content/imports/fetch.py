"""Downloads for imports (flows, photos) that never reach a private address.

The host of every URL, and of every redirect, is resolved first; each address must be a
public one, unless `host:port` is named in TOURISM_IMPORT_ALLOWED_HOSTS (a local test
server). The connection then goes to the address that was checked, so a second DNS answer
cannot point it elsewhere. Bodies are read up to a size cap."""

import http.client
import ipaddress
import socket
import ssl
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
TIMEOUT = 20
CHUNK = 64 * 1024


class FetchError(Exception):
    pass


def allowed_hosts() -> set[str]:
    return set(getattr(settings, "TOURISM_IMPORT_ALLOWED_HOSTS", []))


def resolve(host: str, port: int) -> str:
    """A checked address of `host`: every address it resolves to must be public."""
    if f"{host}:{port}" in allowed_hosts():
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][4][0]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchError(_("The host %(host)s cannot be found.") % {"host": host}) from exc
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise FetchError(
                _("%(host)s points to a private address; it is not fetched.") % {"host": host}
            )
    return addresses[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, address, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def open_url(url: str):
    """The response to GET `url`, redirects followed and checked hop by hop."""
    for _hop in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError(_("Only http and https addresses can be fetched."))
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve(parts.hostname, port)
        connection_class = (
            PinnedHTTPSConnection if parts.scheme == "https" else PinnedHTTPConnection
        )
        connection = connection_class(parts.hostname, port, address, timeout=TIMEOUT)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            connection.request("GET", path, headers={"User-Agent": "Territory-import/1.0"})
            response = connection.getresponse()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            raise FetchError(_("%(url)s could not be reached.") % {"url": url[:200]}) from exc
        if response.status in (301, 302, 303, 307, 308):
            location = response.getheader("Location")
            connection.close()
            if not location:
                raise FetchError(_("A redirect without a location."))
            url = urljoin(url, location)
            continue
        if response.status != 200:
            connection.close()
            raise FetchError(
                _("%(url)s answered %(status)s.") % {"url": url[:200], "status": response.status}
            )
        response.connection_to_close = connection
        return response
    raise FetchError(_("Too many redirects."))


def fetch_bytes(url: str, *, max_bytes: int, content_types: tuple[str, ...] = ()) -> bytes:
    response = open_url(url)
    try:
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        if content_types and not kind.startswith(content_types):
            raise FetchError(
                _("%(url)s is not what was expected (%(type)s).")
                % {"url": url[:200], "type": kind or "?"}
            )
        length = response.getheader("Content-Length")
        if length and length.isdigit() and int(length) > max_bytes:
            raise FetchError(_("%(url)s is too large.") % {"url": url[:200]})
        data = response.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FetchError(_("%(url)s is too large.") % {"url": url[:200]})
        return data
    finally:
        response.connection_to_close.close()


def fetch_to_file(url: str, handle, *, max_bytes: int) -> int:
    """Stream `url` into the open binary file `handle`; returns the size."""
    response = open_url(url)
    size = 0
    try:
        while chunk := response.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(_("%(url)s is too large.") % {"url": url[:200]})
            handle.write(chunk)
    finally:
        response.connection_to_close.close()
    return size
