"""Fixtures of the import tests: the hub's sections, a source, the fixture flow written to a
temporary zip, and a local HTTP server (the only outside world the importer meets)."""

import copy
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image as PILImage

from content.demo_imports import fixture_records, write_flow
from content.imports.models import ImportSource
from tests.content import factories_pages as pages

# This branch's port range is 8300-8399; two test runs at once each take a free one.
SERVER_PORTS = range(8391, 8400)


def png_bytes(color="navy") -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (40, 30), color).save(buffer, "PNG")
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    """Photos and flows for the tests: /photos/<name>.png answers a PNG, /html an HTML page,
    /missing 404, /to-private a redirect to a private address, /huge more than the cap,
    /files/<name> a file registered by the test."""

    files: dict[str, bytes] = {}
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def reply(self, status, body=b"", kind="text/plain", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802
        Handler.requests.append(self.path)
        if self.path.startswith("/photos/"):
            self.reply(200, png_bytes(), "image/png")
        elif self.path == "/html":
            self.reply(200, b"<html><body>Not a photo</body></html>", "text/html")
        elif self.path == "/to-private":
            self.reply(302, headers=[("Location", "http://10.0.0.7/photo.png")])
        elif self.path == "/huge":
            self.reply(200, b"\0" * (2 * 1024 * 1024), "image/png")
        elif self.path.startswith("/files/") and self.path[7:] in Handler.files:
            self.reply(200, Handler.files[self.path[7:]], "application/zip")
        else:
            self.reply(404, b"not found")


@pytest.fixture(scope="session")
def http_server():
    for port in SERVER_PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
            break
        except OSError:
            continue
    else:
        pytest.fail("no free port for the test server in 8391-8399")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def server(http_server, settings):
    """The test server, allowed by name in the settings as a deployment would list it."""
    settings.TOURISM_IMPORT_ALLOWED_HOSTS = [http_server.removeprefix("http://")]
    settings.TOURISM_IMPORT_MAX_IMAGE = 1024 * 1024
    Handler.requests.clear()
    Handler.files.clear()
    return http_server


@pytest.fixture
def sections(db):
    return {"places": pages.destination_index(), "events": pages.event_index()}


@pytest.fixture
def records(http_server):
    return fixture_records(image_base=f"{http_server}/photos/")


@pytest.fixture
def flow(tmp_path, records):
    """A function writing the fixture flow (or the given records) to a zip; returns its path."""
    counter = iter(range(1000))

    def write(items=None, **kwargs):
        path = tmp_path / f"flow-{next(counter)}.zip"
        write_flow(path, copy.deepcopy(records if items is None else items), **kwargs)
        return path

    return write


@pytest.fixture
def source(sections, server):
    return ImportSource.objects.create(
        name="Morvellec",
        url=f"{server}/files/flow.zip",
        places_parent=sections["places"],
        events_parent=sections["events"],
        publish=True,
    )
