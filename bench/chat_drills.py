"""Chat at scale and under faults (issue 16), next to bench/chat.py (whose members, servers
and relay it reuses):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/territory_chat \\
    REDIS_URL=redis://127.0.0.1:6379/8 .venv/bin/python bench/chat_drills.py SCENARIO

SCENARIO:
- `two`: two Daphne processes sharing Redis, the 200 members of bench/chat.py split between
  them; every member must receive every message of its room (sent from either process).
- `kill`: the same under load, and one Daphne is killed with SIGKILL midway: its clients
  reconnect to the other, replay with ?after=, resend what was not acknowledged (same
  client_id); each must end with exactly the acknowledged messages of its room, in order,
  once each.
- `redis`: the same against a redis-server of our own (port --redis-port, never the shared
  one), stopped midway for --outage seconds and started again: how long until messages are
  acknowledged again, and nothing acknowledged lost.
- `fanout`: one message to a room of 1,000 connected members, Daphne against the relay
  (bench/chat.py --relay) in the same run: time until the last member has it.
- `idle`: 2,000 members connected and idle (two rooms of 1,000, each member in its own
  room): the Daphne process's resident memory before and while they are connected, the
  close codes of any socket closed meanwhile, and pages served by the same Daphne (the feed
  and the chat pages, with bench/network.py's client: one keep-alive connection, p50/p99)
  before, while the 2,000 are connected, and after: the ratio while connected to before.

The clients are real WebSocket clients (the `websockets` library) in a separate process
pinned to core 1, the servers on core 0 (taskset), as in bench/chat.py.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT  # bench/http.py would shadow the standard library's http

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - our own servers
import time  # noqa: E402
import uuid  # noqa: E402
from pathlib import Path  # noqa: E402

from bench import chat  # noqa: E402

RESULTS = chat.RESULTS
CROWD_FILE = RESULTS / "chat-crowd.json"
RELEASE_FILE = RESULTS / "chat-crowd-release"
CROWD, CROWD_ROOMS = 2000, 2
ACK_TIMEOUT = 5.0
PYTHON = sys.executable


# Setting up (Django, in this process) ------------------------------------------------------


def room_starts(clients: list[dict]) -> list[dict]:
    """Each client with its room's last seq now: what it has already (it asks for what
    follows)."""
    from realtime.models import Room

    last = dict(
        Room.objects.filter(pk__in={c["room"] for c in clients}).values_list("pk", "last_seq")
    )
    return [{**client, "after": last[client["room"]]} for client in clients]


def make_crowd() -> list[dict]:
    """2,000 members in two rooms of 1,000, a session each (made once, then reused)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from network.models import User
    from realtime.models import Membership, Room

    if CROWD_FILE.exists():
        return json.loads(CROWD_FILE.read_text())
    rooms = [
        Room.objects.get_or_create(kind=Room.Kind.PRIVATE, name=f"bench-crowd-{n}")[0]
        for n in range(CROWD_ROOMS)
    ]
    names = [f"bench-crowd-{n:04d}" for n in range(CROWD)]
    existing = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    fresh = []
    for name in names:
        if name not in existing:
            user = User(username=name)
            user.set_unusable_password()
            fresh.append(user)
    User.objects.bulk_create(fresh, batch_size=500)
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    per_room = CROWD // CROWD_ROOMS
    Membership.objects.bulk_create(
        [Membership(room=rooms[n // per_room], user=users[name]) for n, name in enumerate(names)],
        ignore_conflicts=True,
        batch_size=500,
    )
    engine = import_module(settings.SESSION_ENGINE)
    clients = []
    for n, name in enumerate(names):
        user = users[name]
        store = engine.SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        clients.append(
            {
                "room": rooms[n // per_room].pk,
                "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
            }
        )
    CROWD_FILE.write_text(json.dumps(clients))
    return clients


# Servers ----------------------------------------------------------------------------------------


def start_daphne(port: int, env: dict, log: str) -> subprocess.Popen:
    return subprocess.Popen(  # nosec B603
        chat.pinned(
            0,
            [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "config.asgi:application"],
        ),
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(RESULTS / log, "w"),  # noqa: SIM115
    )


def start_redis(port: int) -> subprocess.Popen:
    """Our own redis-server, without persistence (what the channel layer and the cache hold
    is rebuilt: sessions are also in the database, messages only there)."""
    return subprocess.Popen(  # nosec B603 B607
        ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop(*processes) -> None:
    for process in processes:
        if process and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


# The resilient clients (load-generating process) -------------------------------------------------


class Member:
    """A chat client as chat.js is one: it keeps the last seq it has in order, reconnects
    with back-off (to the next server) asking for what follows, fills a gap the same way,
    and resends what was not acknowledged, with the same client_id."""

    def __init__(self, index, client, urls):
        self.index, self.room, self.cookie = index, client["room"], client["cookie"]
        self.urls = urls
        self.server = index % len(urls)
        self.start = self.last = client["after"]
        self.received: list[tuple[int, str]] = []  # (seq, client_id), in order
        self.raw_duplicates = 0
        self.pending: dict[str, dict] = {}  # client_id -> frame, sent and not acknowledged
        self.acked: dict[str, tuple[int, float]] = {}  # client_id -> (seq, when)
        self.sent_at: dict[str, float] = {}  # last (re)sent
        self.first_sent_at: dict[str, float] = {}
        self.socket = None
        self.live = asyncio.Event()  # replay done, sending allowed
        self.reconnections = 0
        self.stopping = False
        self.errors: dict[str, int] = {}
        self.stale_reconnections = 0
        self.error_times: list[float] = []

    def url(self):
        return f"{self.urls[self.server]}/ws/chat/{self.room}/?after={self.last}"

    async def run(self, final=False):
        from websockets.asyncio.client import connect

        delay = 1.0
        while not self.stopping:
            try:
                async with connect(
                    self.url(),
                    additional_headers={"Cookie": self.cookie},
                    origin="http://127.0.0.1",
                    max_size=2**20,
                    open_timeout=10,
                ) as socket:
                    self.socket = socket
                    delay = 1.0
                    async for raw in socket:
                        frame = json.loads(raw)
                        kind = frame.get("type")
                        if kind == "message":
                            if not self.on_message(frame):
                                break  # a gap: reconnect and replay from the last in order
                        elif kind == "presence" and "online" in frame:
                            if final:
                                return
                            self.live.set()
                            for pending in list(self.pending.values()):
                                await socket.send(json.dumps(pending))
            except Exception as error:  # noqa: BLE001 - refused, reset, closed: try again
                self.errors[type(error).__name__] = self.errors.get(type(error).__name__, 0) + 1
                self.error_times.append(time.time())
            self.socket = None
            self.live.clear()
            if self.stopping:
                return
            self.reconnections += 1
            self.server = (self.server + 1) % len(self.urls)
            # Jittered back-off: a hundred clients of a dead process must not all knock at
            # once (Daphne drops a handshake its application has not answered in 5 s).
            await asyncio.sleep(delay * (0.2 + 1.8 * random.random()))  # nosec B311
            delay = min(delay * 2, 3.0)

    def on_message(self, frame) -> bool:
        seq, client_id = frame["seq"], frame["client_id"]
        if seq <= self.last:
            self.raw_duplicates += 1
            return True
        if seq != self.last + 1:
            return False
        self.last = seq
        self.received.append((seq, client_id))
        if client_id in self.pending:
            del self.pending[client_id]
            self.acked[client_id] = (seq, time.time())
        return True

    async def watch(self):
        """A message unacknowledged for ACK_TIMEOUT seconds: the socket is presumed broken
        (its process lost Redis, say); reconnect, replay, resend."""
        while not self.stopping:
            await asyncio.sleep(1)
            now = time.time()
            stale = [c for c in self.pending if now - self.sent_at[c] > ACK_TIMEOUT]
            if stale and self.socket is not None:
                for client_id in stale:
                    self.sent_at[client_id] = now
                self.stale_reconnections += 1
                await self.socket.close()

    async def send(self, body):
        client_id = uuid.uuid4().hex
        frame = {"type": "message", "body": body, "client_id": client_id}
        self.pending[client_id] = frame
        self.sent_at[client_id] = self.first_sent_at[client_id] = time.time()
        if self.socket is not None and self.live.is_set():
            try:
                await self.socket.send(json.dumps(frame))
            except Exception:  # noqa: BLE001, S110 - resent on reconnection
                pass


async def resilient_load(urls, rate, seconds, settle) -> dict:
    clients = json.loads(chat.CLIENTS_FILE.read_text())
    members = [Member(i, c, urls) for i, c in enumerate(clients)]
    tasks = []
    for start in range(0, len(members), 20):  # opened 20 at a time, as bench/chat.py does
        batch = members[start : start + 20]
        tasks += [asyncio.ensure_future(m.run()) for m in batch]
        tasks += [asyncio.ensure_future(m.watch()) for m in batch]
        await asyncio.wait_for(asyncio.gather(*(m.live.wait() for m in batch)), 60)
    try:
        await asyncio.wait_for(asyncio.gather(*(m.live.wait() for m in members)), 90)
    except TimeoutError:
        errors = {}
        for m in members:
            for k, v in m.errors.items():
                errors[k] = errors.get(k, 0) + v
        sys.exit(f"{sum(not m.live.is_set() for m in members)} members not live: {errors}")
    print("SENDING", flush=True)
    total = int(rate * seconds)
    begin = time.perf_counter()
    for n in range(total):
        await members[n % len(members)].send(f"drill {n}")
        delay = begin + (n + 1) / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    print("SENT", flush=True)
    deadline = time.perf_counter() + settle
    while any(m.pending for m in members) and time.perf_counter() < deadline:
        await asyncio.sleep(0.25)
    for member in members:
        member.stopping = True
        if member.socket is not None:
            await member.socket.close()
    for task in tasks:
        task.cancel()
    # Last catch-up: each member asks a server that is up for what follows its last seq.
    for member in members:
        member.stopping = False
    for start in range(0, len(members), 20):
        await asyncio.gather(
            *(asyncio.wait_for(m.run(final=True), 30) for m in members[start : start + 20]),
            return_exceptions=True,
        )
    return verify(members, total)


def verify(members, total) -> dict:
    acked_by_room: dict[int, dict[str, int]] = {}
    ack_times = []
    for member in members:
        acked_by_room.setdefault(member.room, {}).update(
            {cid: seq for cid, (seq, _) in member.acked.items()}
        )
        ack_times += [when for _, when in member.acked.values()]
    exact = in_order = 0
    missing = extra = 0
    for member in members:
        expected = sorted((seq, cid) for cid, seq in acked_by_room[member.room].items())
        got = member.received
        if got == expected:
            exact += 1
        if [s for s, _ in got] == sorted({s for s, _ in got}):
            in_order += 1
        missing += len(set(expected) - set(got))
        extra += len(set(got) - set(expected))
    latencies = sorted(
        (when - m.first_sent_at[cid]) * 1000 for m in members for cid, (_, when) in m.acked.items()
    )
    return {
        "messages": total,
        "acknowledged": sum(len(m.acked) for m in members),
        "unacknowledged": sum(len(m.pending) for m in members),
        "members": len(members),
        "members_exact": exact,
        "members_in_order": in_order,
        "missing": missing,
        "not_acknowledged_but_received": extra,
        "raw_duplicates_dropped_by_seq": sum(m.raw_duplicates for m in members),
        "reconnections": sum(m.reconnections for m in members),
        "connection_errors": sum(sum(m.errors.values()) for m in members),
        "reconnections_for_a_late_ack": sum(m.stale_reconnections for m in members),
        "ack_p50_ms": latencies[len(latencies) // 2] if latencies else None,
        "ack_p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else None,
        "ack_times": sorted(ack_times),
        "error_times": sorted(t for m in members for t in m.error_times),
    }


async def crowd_load(target, base, rounds, count) -> dict:
    """`count` members of the first crowd room connected; one message, `rounds` times: the
    time until the last one has it."""
    from websockets.asyncio.client import connect

    clients = json.loads(CROWD_FILE.read_text())[:count]
    room = clients[0]["room"]

    async def open_client(client):
        if target == "relay":
            return await connect(
                f"{base}/{room}", max_size=2**20, open_timeout=60, ping_interval=None
            )
        # Each member in its own room (the first 1,000 are the first room's: `fanout`).
        return await connect(
            f"{base}/ws/chat/{client['room']}/",
            additional_headers={"Cookie": client["cookie"]},
            origin="http://127.0.0.1",
            max_size=2**20,
            open_timeout=60,
            ping_interval=None,
        )

    async def open_retrying(client):
        for attempt in range(8):
            try:
                return await open_client(client)
            except Exception:  # noqa: BLE001 - a handshake Daphne dropped: again, later
                await asyncio.sleep(0.5 * (attempt + 1))
        return await open_client(client)

    sockets = []
    for start in range(0, len(clients), 20):
        sockets += await asyncio.gather(*(open_retrying(c) for c in clients[start : start + 20]))
    print("CONNECTED", flush=True)
    await asyncio.sleep(3)  # presence frames out of the way
    for socket in sockets:  # drain
        try:
            while True:
                await asyncio.wait_for(socket.recv(), 0.001)
        except TimeoutError:
            pass
    times = []
    for n in range(rounds):
        client_id = uuid.uuid4().hex

        async def wait_for(socket, client_id=client_id):
            while True:
                frame = json.loads(await socket.recv())
                if frame.get("type") == "message" and frame.get("client_id") == client_id:
                    return time.perf_counter()

        waiters = [asyncio.ensure_future(wait_for(s)) for s in sockets]
        start = time.perf_counter()
        await sockets[n % len(sockets)].send(
            json.dumps({"type": "message", "body": f"crowd {n}", "client_id": client_id})
        )
        done = await asyncio.wait_for(asyncio.gather(*waiters), 60)
        times.append((max(done) - start) * 1000)
        await asyncio.sleep(0.5)
    print("HOLDING", flush=True)
    if os.environ.get("CHAT_DRILL_HOLD"):  # until the parent is done, at most this long
        deadline = time.monotonic() + float(os.environ["CHAT_DRILL_HOLD"])
        while time.monotonic() < deadline and not RELEASE_FILE.exists():
            await asyncio.sleep(0.2)
    closed = {}  # close code -> sockets closed by the server while held
    for socket in sockets:
        if socket.close_code is not None:
            closed[socket.close_code] = closed.get(socket.close_code, 0) + 1
    for socket in sockets:
        await socket.close()
    return {
        "target": target,
        "members": len(sockets),
        "rounds_ms": times,
        "median_ms": statistics.median(times) if times else None,
        "closed_by_server": closed,
    }


# The parent: servers, faults, figures ----------------------------------------------------------


def run_load_process(args: list[str], on_line=None, timeout=600) -> dict:
    process = subprocess.Popen(  # nosec B603
        chat.pinned(1, [PYTHON, __file__, *args]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ,
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if on_line:
            on_line(line.strip())
    stderr = process.stderr.read()
    if process.wait(timeout=timeout):
        sys.exit(f"The load generator failed:\n{stderr[-3000:]}")
    return json.loads(lines[-1])


def report(name, result, extra=None):
    result = {k: v for k, v in result.items() if k not in ("ack_times", "error_times")}
    print(f"{name} (load {os.getloadavg()[0]:.1f}): {json.dumps({**result, **(extra or {})})}")


def drill(scenario, args, env):
    """two / kill / redis: two Daphne processes (ports --port and --port+1)."""
    ports = [args.port, args.port + 1]
    redis = None
    if scenario == "redis":
        redis = start_redis(args.redis_port)
        chat.wait_for_port(args.redis_port)
        env = {**env, "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0"}
    servers = [start_daphne(port, env, f"chat-drill-{port}.log") for port in ports]
    events = {}
    try:
        for port in ports:
            chat.wait_for_port(port)
        chat.CLIENTS_FILE.write_text(
            json.dumps(room_starts(json.loads(chat.CLIENTS_FILE.read_text())))
        )

        def on_line(line):
            if line != "SENDING" or scenario == "two":
                return
            time.sleep(args.seconds / 3)
            if scenario == "kill":
                os.kill(servers[0].pid, signal.SIGKILL)
                events["killed_at"] = time.time()
            else:
                redis.kill()
                redis.wait()
                events["redis_down_at"] = time.time()
                time.sleep(args.outage)
                events["redis_back_at"] = time.time()
                events["redis"] = start_redis(args.redis_port)

        urls = ",".join(f"ws://127.0.0.1:{port}" for port in ports)
        result = run_load_process(
            ["--load-drill", urls, str(args.rate), str(args.seconds), str(args.settle)],
            on_line=on_line,
        )
        extra = {"rate": args.rate}
        if "redis_back_at" in events:
            back = events["redis_back_at"]
            after = [t for t in result["ack_times"] if t > back]
            extra["outage_s"] = args.outage
            extra["first_ack_after_redis_back_s"] = round(after[0] - back, 2) if after else None
            late = [t - back for t in result["error_times"] if t > back]
            extra["connection_errors_after_redis_back"] = len(late)
            extra["last_connection_error_after_back_s"] = round(max(late), 1) if late else None
        if "killed_at" in events:
            extra["killed"] = f"daphne :{ports[0]}"
        report(scenario, result, extra)
        return result
    finally:
        stop(*servers, redis, events.get("redis"))


def crowd(scenario, args, env):
    make_crowd()
    daphne = start_daphne(args.port, env, "chat-crowd.log")
    relay = subprocess.Popen(  # nosec B603
        chat.pinned(0, [PYTHON, chat.__file__, "--relay", str(args.port + 1)]), env=env, cwd=ROOT
    )
    try:
        chat.wait_for_port(args.port)
        chat.wait_for_port(args.port + 1)
        if scenario == "fanout":
            for _ in range(args.repeat):
                relay_result = run_load_process(
                    ["--load-crowd", "relay", f"ws://127.0.0.1:{args.port + 1}", "5", "1000"]
                )
                django = run_load_process(
                    ["--load-crowd", "django", f"ws://127.0.0.1:{args.port}", "5", "1000"]
                )
                report(
                    "fanout 1,000",
                    django,
                    {
                        "relay_median_ms": relay_result["median_ms"],
                        "ratio": round(django["median_ms"] / relay_result["median_ms"], 2),
                    },
                )
        else:
            clients = json.loads(CROWD_FILE.read_text())
            pages = crowd_pages(clients[0])
            time.sleep(2)
            measure_pages(args.port, pages, warm=True)
            pages_before = measure_pages(args.port, pages)
            before = rss_mib(daphne.pid)
            measured = {}

            def on_line(line):
                if line == "HOLDING":
                    time.sleep(3)
                    measured["after"] = rss_mib(daphne.pid)
                    measured["pages"] = measure_pages(args.port, pages)
                    measured["after_pages"] = rss_mib(daphne.pid)
                    RELEASE_FILE.touch()

            RELEASE_FILE.unlink(missing_ok=True)
            os.environ["CHAT_DRILL_HOLD"] = "300"
            result = run_load_process(
                ["--load-crowd", "django", f"ws://127.0.0.1:{args.port}", "0", str(CROWD)],
                on_line=on_line,
            )
            RELEASE_FILE.unlink(missing_ok=True)
            time.sleep(3)
            pages_after = measure_pages(args.port, pages)
            report(
                "idle 2,000",
                {"members": result["members"]},
                {
                    "closed_by_server": result["closed_by_server"],
                    "daphne_rss_before_mib": round(before, 1),
                    "daphne_rss_connected_mib": round(measured["after"], 1),
                    "added_mib": round(measured["after"] - before, 1),
                    "kib_per_member": round((measured["after"] - before) * 1024 / CROWD, 1),
                    "rss_after_pages_mib": round(measured["after_pages"], 1),
                },
            )
            for name in pages:
                b, d, a = pages_before[name], measured["pages"][name], pages_after[name]
                print(
                    f"  page {name:<10} p50/p99 ms: before {b[0]:.1f}/{b[1]:.1f}, "
                    f"2,000 connected {d[0]:.1f}/{d[1]:.1f} "
                    f"({d[0] / b[0]:.2f}x / {d[1] / b[1]:.2f}x), after {a[0]:.1f}/{a[1]:.1f}"
                )
    finally:
        stop(daphne, relay)


def crowd_pages(client) -> dict:
    """Pages of bench/network.py's kind that this database has: the feed and the chat pages,
    signed in as one member of the crowd."""
    return {
        "feed": {"path": "/feed/", "cookie": client["cookie"]},
        "chat": {"path": "/chat/", "cookie": client["cookie"]},
        "chat room": {"path": f"/chat/{client['room']}/", "cookie": client["cookie"]},
    }


def measure_pages(port, pages, *, warm=False, rounds=3, requests=40) -> dict:
    """{name: (p50, p99) ms}: bench/network.py's client (one keep-alive connection), the
    pages interleaved over `rounds`."""
    from bench.content import percentile
    from bench.network import run_load

    latencies = {name: [] for name in pages}
    for _ in range(1 if warm else rounds):
        for name, page in pages.items():
            run = run_load(
                {
                    "port": port,
                    "path": page["path"],
                    "method": "GET",
                    "headers": {"Cookie": page["cookie"]},
                    "warmup": 3,
                    "requests": 20 if warm else requests,
                    "seconds": 30,
                }
            )
            if run["errors"]:
                sys.exit(f"{page['path']}: {run['statuses']}")
            latencies[name] += run["latencies_ms"]
    return {
        name: (percentile(sorted(v), 50), percentile(sorted(v), 99))
        for name, v in latencies.items()
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=["two", "kill", "redis", "fanout", "idle"])
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--settle", type=float, default=30)
    parser.add_argument("--outage", type=float, default=3)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--port", type=int, default=8130)
    parser.add_argument("--redis-port", type=int, default=6390)
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: see the docstring.")
    chat.setup_django()
    RESULTS.mkdir(exist_ok=True)
    if args.scenario in ("two", "kill", "redis"):
        chat.CLIENTS_FILE.write_text(json.dumps(chat.make_members()))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": chat.SETTINGS, "CHAT_BENCH_LAYER": "pubsub"}
    if args.scenario in ("fanout", "idle"):
        crowd(args.scenario, args, env)
    else:
        drill(args.scenario, args, env)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--load-drill":
        urls, rate, seconds, settle = sys.argv[2].split(","), *map(float, sys.argv[3:6])
        print(json.dumps(asyncio.run(resilient_load(urls, rate, seconds, settle))))
    elif len(sys.argv) > 1 and sys.argv[1] == "--load-crowd":
        target, base, rounds, count = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        print(json.dumps(asyncio.run(crowd_load(target, base, rounds, count))))
    else:
        main()
