"""The production stack of docs/deploy.md on loopback: gunicorn, two Daphne processes, a
Celery worker and beat on PostgreSQL and Redis, behind Debian's nginx running the shipped
site file (deploy/nginx/territory.conf, without its TLS lines). A page, a socket reaching each
Daphne, a task run by the worker and /healthz/ are checked through nginx; everything started
is stopped at the end.

Ports: TERRITORY_STACK_PORT names the first of six consecutive free ones (default: ports
the system hands out)."""

import base64
import json
import os
import re
import secrets
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from tests.deploy_files import ROOT, VENV_BIN, nginx_binary, nginx_main_conf, render_nginx_site

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
HOST = "territory.example"
ADMIN, ADMIN_EMAIL, ADMIN_PASSWORD = "admin", "admin@territory.example", secrets.token_urlsafe()

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        not DATABASE_URL.startswith(("postgres://", "postgresql://")),
        reason="DATABASE_URL is not PostgreSQL: the stack runs in CI (.ci/run) or with it set",
    ),
    pytest.mark.skipif(
        not REDIS_URL, reason="REDIS_URL is unset: the stack runs in CI (.ci/run) or with it set"
    ),
    pytest.mark.skipif(
        not nginx_binary(), reason="nginx is not installed (.ci/run installs Debian's)"
    ),
]


def free_ports(count: int) -> list[int]:
    if first := os.environ.get("TERRITORY_STACK_PORT"):
        return list(range(int(first), int(first) + count))
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def stack_redis_url() -> str:
    """A Redis database of the stack's own, two past the suite's (the suite's cache takes the
    next one): a Redis kept between runs, or the suite's own keys, must not reach the stack,
    whose rate limits would otherwise count exports made before it started."""
    parts = urlsplit(REDIS_URL)
    database = (int(parts.path.strip("/") or 0) + 2) % 16
    return urlunsplit(parts._replace(path=f"/{database}"))


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def psql(database_url: str, sql: str) -> None:
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", database_url, "-c", sql], check=True)


class Stack:
    def __init__(self, folder: Path):
        self.folder = folder
        ports = free_ports(6)
        self.http_port, self.site_port, self.media_port, self.gunicorn = ports[:4]
        self.daphnes = ports[4:]
        parts = urlsplit(DATABASE_URL)
        self.database = f"territory_stack_{os.getpid()}"
        self.server_url = urlunsplit(parts._replace(path="/postgres"))
        self.database_url = urlunsplit(parts._replace(path=f"/{self.database}"))
        self.redis_url = stack_redis_url()
        self.media = folder / "media"
        self.media.mkdir()
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
            "CSRF_TRUSTED_ORIGINS": f"http://{HOST}",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "MEDIA_ROOT": str(self.media),
            "PRIVATE_ROOT": str(folder / "private"),
            "EXPORTS_ACCEL_REDIRECT": "/protected-exports/",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(folder / "celerybeat-schedule"),
            "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
            # No TLS in the test: nginx says the request came over HTTP.
            "SECURE_SSL_REDIRECT": "off",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD,
        }

    # Processes ------------------------------------------------------------------------------

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}"
        return result.stdout

    def start(self, name: str, *command: str) -> None:
        log = (self.folder / f"{name}.log").open("w")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def log(self, name: str) -> str:
        path = self.folder / f"{name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_for(self, name: str, port: int, path: str = "/healthz/", timeout=120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                pytest.fail(f"{name} exited:\n{self.log(name)}")
            try:
                requests.get(f"http://127.0.0.1:{port}{path}", headers={"Host": HOST}, timeout=10)
                return
            except requests.RequestException:  # not listening yet, or still loading
                time.sleep(0.3)
        pytest.fail(f"{name} did not answer on port {port}:\n{self.log(name)}")

    # Requests through nginx ------------------------------------------------------------------

    def url(self, path: str, *, port=None) -> str:
        return f"http://127.0.0.1:{port or self.site_port}{path}"

    def get(self, path: str, *, port=None, cookies=None, **kwargs):
        return requests.get(
            self.url(path, port=port),
            headers={"Host": HOST},
            cookies=cookies,
            allow_redirects=False,
            timeout=30,
            **kwargs,
        )

    def post(self, path: str, data: dict, *, cookies: dict):
        page = self.get(path if path.endswith("/login/") else "/accounts/data/", cookies=cookies)
        cookies = {**cookies, **page.cookies.get_dict()}
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        response = requests.post(
            self.url(path),
            data={"csrfmiddlewaretoken": token, **data},
            headers={"Host": HOST, "Referer": f"http://{HOST}{path}"},
            cookies=cookies,
            allow_redirects=False,
            timeout=30,
        )
        # Secure cookies: requests keeps them off plain HTTP, so the test carries them.
        return response, {**cookies, **response.cookies.get_dict()}


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stack")
    folder.chmod(0o755)
    stack = Stack(folder)
    psql(stack.server_url, f'CREATE DATABASE "{stack.database}"')
    flush_redis(stack.redis_url)
    try:
        stack.manage("migrate", "--noinput")
        stack.manage("collectstatic", "--noinput")
        stack.manage("setup_site", "--host", HOST, "--port", str(stack.site_port))
        stack.manage("createsuperuser", "--noinput", "--username", ADMIN, "--email", ADMIN_EMAIL)

        site = folder / "territory.conf"
        site.write_text(
            render_nginx_site(
                listen_ports=[stack.http_port, stack.site_port, stack.media_port],
                gunicorn=stack.gunicorn,
                daphnes=tuple(stack.daphnes),
                media_root=stack.media,
                exports_root=folder / "private" / "exports",
                acme_root=folder / "acme",
            )
        )
        conf = nginx_main_conf(folder, site)
        stack.start("nginx", nginx_binary(), "-c", str(conf), "-p", str(folder))
        stack.start(
            "gunicorn",
            str(VENV_BIN / "gunicorn"),
            *("--workers", "2", "--bind", f"127.0.0.1:{stack.gunicorn}", "--timeout", "30"),
            "config.wsgi:application",
        )
        for port in stack.daphnes:
            stack.start(
                f"daphne-{port}",
                str(VENV_BIN / "daphne"),
                *("--proxy-headers", "--bind", "127.0.0.1", "--port", str(port)),
                *("--access-log", str(folder / f"daphne-{port}-access.log")),
                "config.asgi:application",
            )
        stack.start(
            "worker",
            str(VENV_BIN / "celery"),
            *("--app", "config", "worker", "--loglevel", "INFO", "--concurrency", "1"),
        )
        stack.start(
            "beat",
            str(VENV_BIN / "celery"),
            *("--app", "config", "beat", "--loglevel", "INFO"),
            *("--schedule", str(folder / "celerybeat-schedule")),
        )
        stack.wait_for("gunicorn", stack.gunicorn)
        for port in stack.daphnes:
            stack.wait_for(f"daphne-{port}", port)
        stack.wait_for("nginx", stack.site_port)
        yield stack
    finally:
        stack.stop()
        flush_redis(stack.redis_url)
        psql(stack.server_url, f'DROP DATABASE IF EXISTS "{stack.database}" WITH (FORCE)')


@pytest.fixture(scope="module")
def admin_cookies(stack):
    """The first admin (createsuperuser, address verified by it) signs in through nginx."""
    response, cookies = stack.post(
        "/accounts/login/", {"login": ADMIN, "password": ADMIN_PASSWORD}, cookies={}
    )
    assert response.status_code == 302, response.text[-2000:]
    assert "sessionid" in cookies
    return cookies


# A WebSocket client, enough for JSON text frames (RFC 6455) ----------------------------------


def open_socket(stack, path: str, cookies: dict) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", stack.site_port), timeout=15)
    key = base64.b64encode(os.urandom(16)).decode()
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    sock.sendall(
        (
            f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: http://{HOST}\r\nCookie: {cookie}\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        assert chunk, f"the socket closed during the handshake: {head!r}"
        head += chunk
    assert head.startswith(b"HTTP/1.1 101"), head
    return sock


def receive_exactly(sock, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "the socket closed"
        data += chunk
    return data


def receive_json(sock) -> dict:
    first, second = receive_exactly(sock, 2)
    assert first & 0x0F == 1, f"not a text frame (opcode {first & 0x0F})"
    size = second & 0x7F
    if size == 126:
        size = struct.unpack("!H", receive_exactly(sock, 2))[0]
    elif size == 127:
        size = struct.unpack("!Q", receive_exactly(sock, 8))[0]
    return json.loads(receive_exactly(sock, size))


def send_json(sock, payload: dict) -> None:
    data = json.dumps(payload).encode()
    assert len(data) < 126
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(data))
    sock.sendall(bytes([0x81, 0x80 | len(data)]) + mask + masked)


# The checks ---------------------------------------------------------------------------------


def test_pages_are_served_through_nginx(stack):
    home = stack.get("/")
    assert home.status_code == 200
    assert "/destinations/" in home.text
    for path in ("/destinations/", "/stories/", "/events/", "/community-rules/"):
        assert stack.get(path).status_code == 200, path
    # Static files, hashed by collectstatic and served by WhiteNoise.
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home.text)[1]
    assert stack.get(stylesheet).status_code == 200


def test_plain_http_answers_the_health_probe_and_redirects_the_rest(stack):
    assert stack.get("/healthz/", port=stack.http_port).status_code == 200
    redirect = stack.get("/destinations/", port=stack.http_port)
    assert redirect.status_code == 301
    assert redirect.headers["Location"] == f"https://{HOST}/destinations/"


def test_a_socket_through_nginx_reaches_each_daphne(stack, admin_cookies):
    logs = [stack.folder / f"daphne-{port}-access.log" for port in stack.daphnes]
    for _attempt in range(6):
        sock = open_socket(stack, "/ws/ping/", admin_cookies)
        try:
            assert receive_json(sock) == {"type": "hello", "user": ADMIN}
            send_json(sock, {"n": 1})
            assert receive_json(sock) == {"type": "pong", "echo": {"n": 1}}
        finally:
            sock.close()
        if all(log.exists() and "WSCONNECT /ws/ping/" in log.read_text() for log in logs):
            break
    for log in logs:
        assert "WSCONNECT /ws/ping/" in log.read_text(), f"{log.name} served no socket"


def test_a_task_runs_on_the_worker_and_its_file_comes_through_nginx(stack, admin_cookies):
    response, cookies = stack.post("/accounts/data/export/", {}, cookies=admin_cookies)
    assert response.status_code == 200, response.text[-2000:]
    deadline, link = time.monotonic() + 60, None
    while time.monotonic() < deadline and not link:
        page = stack.get("/accounts/data/", cookies=cookies).text
        link = re.search(r'href="(/accounts/data/download/[^"]+)"', page)
        time.sleep(0.5)
    assert link, f"the worker built no export:\n{stack.log('worker')}"

    download = stack.get(link[1].replace("&amp;", "&"), cookies=cookies)
    assert download.status_code == 200
    assert download.content[:2] == b"PK"  # a zip, sent by nginx from /protected-exports/
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "X-Accel-Redirect" not in download.headers


def test_healthz_is_green_with_a_worker_and_beat(stack):
    # Beat's first heartbeat leaves a minute after it starts.
    deadline = time.monotonic() + 150
    while True:
        response = stack.get("/healthz/")
        body = response.json()
        if body["services"]["beat"]["ok"] or time.monotonic() > deadline:
            break
        time.sleep(3)
    assert response.status_code == 200
    assert body["status"] == "ok", body
    assert body["warnings"] == [], f"{body}\nbeat:\n{stack.log('beat')}"
    assert body["services"]["worker"]["ok"] is True
    assert body["services"]["beat"]["age_seconds"] < 120
    assert stack.get("/healthz/", params={"background": "required"}).status_code == 200


def test_every_process_is_still_running(stack):
    assert {name: process.poll() for name, process in stack.processes.items()} == dict.fromkeys(
        stack.processes
    )
