"""Chat benchmark (issue 16): messages into 20 rooms of 10 members, with every message stored
first, through Daphne + channels_redis + PostgreSQL, against a minimal relay (the `websockets`
library and Redis pub/sub, no Django) measured in the same run as the physical limit.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/territory_chat \\
    REDIS_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/chat.py [--rates 100,200,400]
        [--seconds 10] [--layer pubsub|core] [--port 8120]

1. Makes 200 members, 20 private rooms of 10 and a session per member (once), and times
   storing one message with its room sequence number (realtime.services.send_message, and
   the bare UPDATE … RETURNING + INSERT transaction) in this process.
2. Starts one Daphne process pinned to core 0 (taskset) with bench/chat_settings.py and the
   chosen channel layer, and the relay (this script with --relay) pinned to the same core.
3. For each rate, a separate load-generating process pinned to core 1 (this script with
   --load) opens the 200 WebSocket clients, sends at that total rate for --seconds (each
   member in turn, with a client_id), waits for stragglers, and counts at every client:
   deliveries expected (10 per message: the sender's acknowledgement included), lost,
   duplicated, and the latency from sending to delivery (p50, p99).
4. Prints each figure with its ratio to the relay's at the same rate, and writes
   bench/results/chat.json.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT  # bench/http.py would shadow the standard library's http

import argparse  # noqa: E402
import asyncio  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - our own servers
import time  # noqa: E402
import uuid  # noqa: E402
from collections import defaultdict  # noqa: E402
from pathlib import Path  # noqa: E402

RESULTS = Path(HERE) / "results"
CLIENTS_FILE = RESULTS / "chat-clients.json"
ROOMS, PER_ROOM = 20, 10
SETTINGS = "bench.chat_settings"
PYTHON = sys.executable


# Setting up (in this process, with Django) -------------------------------------------------


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    import django

    django.setup()


def make_members() -> list[dict]:
    """200 members, 20 rooms of 10, a session each; returns [{"room", "cookie"}]."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from network.models import User
    from realtime.models import Membership, Room

    clients = []
    for number in range(ROOMS):
        room, _ = Room.objects.get_or_create(kind=Room.Kind.PRIVATE, name=f"bench-room-{number}")
        for seat in range(PER_ROOM):
            username = f"bench-chat-{number:02d}-{seat}"
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User.objects.create_user(username=username, password="bench-chat-0")
            Membership.objects.get_or_create(room=room, user=user)
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
            clients.append({"room": room.pk, "cookie": cookie})
    return clients


def time_storing(count: int = 200) -> dict:
    """Median time to store one message with its room sequence number, four ways, against
    the floor of any durable write here (a one-row UPDATE committed alone: the flush of
    PostgreSQL's log to disk):
    - the service alone (realtime.services.send_message: checks, rate limit, sanitiser, the
      one statement, its commit);
    - the statement without its commit (in a transaction committed afterwards): what storing
      costs the database apart from the flush;
    - per message in batches of 10 and 50 (store_messages: one commit for the batch), as the
      sockets' writer stores them under load."""
    from django.db import connection, transaction

    from network.models import User
    from realtime import services
    from realtime.models import Room

    room = Room.objects.get(name="bench-room-0")
    author = User.objects.get(username="bench-chat-00-0")

    def outgoing(n):
        return services.Outgoing(
            actor=author, room=room, body=f"store {n}", client_id=uuid.uuid4().hex
        )

    floor, service, statement = [], [], []
    batched = {10: [], 50: []}
    for n in range(count):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("UPDATE realtime_room SET name = name WHERE id = %s", [room.pk])
        floor.append(time.perf_counter() - start)
        start = time.perf_counter()
        services.send_message(
            actor=author, room=room, body=f"store {n}", client_id=uuid.uuid4().hex, broadcast=False
        )
        service.append(time.perf_counter() - start)
    with transaction.atomic():
        for n in range(count):
            item = outgoing(n)
            item.prepare()
            params = item.params(datetime.datetime.now(datetime.UTC))
            with connection.cursor() as cursor:
                start = time.perf_counter()
                services._store_row(cursor, params)
                statement.append(time.perf_counter() - start)
    for size, times in batched.items():
        for _ in range(max(3, count // size // 2)):
            items = [outgoing(n) for n in range(size)]
            start = time.perf_counter()
            services.store_messages(items)
            times.append((time.perf_counter() - start) / size)
    ms = lambda values: statistics.median(values) * 1000  # noqa: E731
    return {
        "commit_floor_ms_median": ms(floor),
        "service_ms_median": ms(service),
        "statement_without_commit_ms_median": ms(statement),
        "batched_10_ms_per_message": ms(batched[10]),
        "batched_50_ms_per_message": ms(batched[50]),
    }


# The relay: websockets + Redis pub/sub, no Django ----------------------------------------------


async def run_relay(port: int) -> None:
    import redis.asyncio as aioredis
    import websockets
    from websockets.asyncio.server import serve

    url = os.environ["REDIS_URL"]
    # A bounded pool that waits for a free connection (the default one raises past its size).
    publisher = aioredis.Redis(
        connection_pool=aioredis.BlockingConnectionPool.from_url(url, max_connections=20)
    )
    rooms: dict[str, set] = defaultdict(set)

    async def listen():
        # One subscription for the whole process, fanned out locally.
        pubsub = aioredis.from_url(url).pubsub()
        await pubsub.psubscribe("benchrelay:*")
        async for message in pubsub.listen():
            if message["type"] == "pmessage":
                room = message["channel"].decode().split(":", 1)[1]
                websockets.broadcast(rooms[room], message["data"].decode())

    async def handler(connection):
        room = connection.request.path.strip("/")
        rooms[room].add(connection)
        try:
            async for frame in connection:
                await publisher.publish(f"benchrelay:{room}", frame)
        finally:
            rooms[room].discard(connection)

    listener = asyncio.ensure_future(listen())
    async with serve(handler, "127.0.0.1", port, max_size=65536):
        await asyncio.Future()
    listener.cancel()


# The load generator (its own process) -----------------------------------------------------------


async def run_load(target: str, base: str, rate: float, seconds: float) -> dict:
    from websockets.asyncio.client import connect

    clients = json.loads(CLIENTS_FILE.read_text())
    sent: dict[str, float] = {}
    seen: dict[tuple, int] = defaultdict(int)
    latencies: list[float] = []
    errors = defaultdict(int)

    async def open_client(client):
        if target == "relay":
            return await connect(f"{base}/{client['room']}", max_size=2**20)
        return await connect(
            f"{base}/ws/chat/{client['room']}/",
            additional_headers={"Cookie": client["cookie"]},
            origin="http://127.0.0.1",
            max_size=2**20,
        )

    connections = []
    started = time.perf_counter()
    for start in range(0, len(clients), 20):
        connections += await asyncio.gather(*(open_client(c) for c in clients[start : start + 20]))
    connect_seconds = time.perf_counter() - started

    async def reader(index, connection):
        async for raw in connection:
            frame = json.loads(raw)
            if frame.get("type") == "message":
                client_id = frame["client_id"]
                seen[(index, client_id)] += 1
                if client_id in sent and seen[(index, client_id)] == 1:
                    latencies.append(time.time() - sent[client_id])
            elif frame.get("type") == "error":
                errors[frame.get("code")] += 1

    readers = [asyncio.ensure_future(reader(i, c)) for i, c in enumerate(connections)]
    await asyncio.sleep(1)  # opening frames (presence) out of the way
    total = int(rate * seconds)
    interval = 1.0 / rate
    print("SENDING", flush=True)  # the parent reads the server's CPU time from here…
    begin = time.perf_counter()
    for n in range(total):
        connection = connections[n % len(connections)]
        client_id = uuid.uuid4().hex
        frame = {"type": "message", "body": f"bench {n}", "client_id": client_id}
        sent[client_id] = time.time()
        await connection.send(json.dumps(frame))
        delay = begin + (n + 1) * interval - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
    send_seconds = time.perf_counter() - begin
    expected = total * PER_ROOM
    deadline = time.perf_counter() + 15
    while len(latencies) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.25)
    print("RECEIVED", flush=True)  # … to here (the connections' opening not counted)
    for task in readers:
        task.cancel()
    for connection in connections:
        await connection.close()
    latencies.sort()
    delivered = sum(1 for count in seen.values() if count)
    return {
        "target": target,
        "rate": rate,
        "achieved_rate": total / send_seconds,
        "messages": total,
        "expected": expected,
        "delivered": delivered,
        "lost": expected - delivered,
        "duplicated": sum(count - 1 for count in seen.values() if count > 1),
        "errors": dict(errors),
        "p50_ms": latencies[len(latencies) // 2] * 1000 if latencies else None,
        "p99_ms": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else None,
        "connect_seconds": connect_seconds,
    }


# The run --------------------------------------------------------------------------------------


def wait_for_port(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise RuntimeError(f"nothing listens on {port}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time the process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pinned(core: int, command: list[str]) -> list[str]:
    return (["taskset", "-c", str(core)] if shutil.which("taskset") else []) + command


def load(target: str, base: str, rate: float, seconds: float, server=None) -> dict:
    """One load run; with `server` (its Popen), also the CPU time the server spent per
    message: unlike latencies, a figure the other sessions' load hardly moves."""
    process = subprocess.Popen(  # nosec B603
        pinned(1, [PYTHON, __file__, "--load", target, base, str(rate), str(seconds)]),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    marks, lines = {}, []
    for line in process.stdout:
        lines.append(line)
        if line.strip() in ("SENDING", "RECEIVED") and server:
            marks[line.strip()] = cpu_seconds(server.pid)
    stderr = process.stderr.read()
    if process.wait(timeout=seconds + 120):
        sys.exit(f"The load generator failed:\n{stderr[-3000:]}")
    result = json.loads(lines[-1])
    if server:
        used = marks["RECEIVED"] - marks["SENDING"]
        result["server_cpu_ms_per_message"] = used * 1000 / max(1, result["messages"])
    result["load_average"] = os.getloadavg()[0]
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rates", default="100,200,400")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--layer", default="pubsub", choices=["core", "pubsub"])
    parser.add_argument("--port", type=int, default=8120)
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL")):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL: see the docstring.")
    setup_django()
    RESULTS.mkdir(exist_ok=True)
    CLIENTS_FILE.write_text(json.dumps(make_members()))
    storing = time_storing()
    floor = storing["commit_floor_ms_median"]
    print(
        f"storing one message (uptime: {os.getloadavg()[0]:.1f}), medians, ratio to the "
        f"floor (a one-row UPDATE committed alone: {floor:.2f} ms):"
    )
    for name, value in storing.items():
        print(f"  {name:38} {value:7.2f} ms  {value / floor:5.2f}x")

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, "CHAT_BENCH_LAYER": args.layer}
    daphne_port, relay_port = args.port, args.port + 1
    servers = [
        subprocess.Popen(  # nosec B603
            pinned(
                0,
                [
                    PYTHON,
                    "-m",
                    "daphne",
                    "-b",
                    "127.0.0.1",
                    "-p",
                    str(daphne_port),
                    "config.asgi:application",
                ],
            ),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=open(RESULTS / "chat-daphne.log", "w"),  # noqa: SIM115
        ),
        subprocess.Popen(  # nosec B603
            pinned(0, [PYTHON, __file__, "--relay", str(relay_port)]),
            env=env,
            cwd=ROOT,
        ),
    ]
    results = {"storing": storing, "layer": args.layer, "runs": []}
    try:
        wait_for_port(daphne_port)
        wait_for_port(relay_port)
        print(
            f"{'rate':>6} {'target':>7} {'sent/s':>7} {'lost':>6} {'dup':>5} "
            f"{'p50 ms':>8} {'p99 ms':>8} {'cpu ms/msg':>10} {'load':>5}"
        )
        for rate in [float(r) for r in args.rates.split(",")]:
            relay = load("relay", f"ws://127.0.0.1:{relay_port}", rate, args.seconds, servers[1])
            django = load("django", f"ws://127.0.0.1:{daphne_port}", rate, args.seconds, servers[0])
            for run in (relay, django):
                print(
                    f"{rate:>6.0f} {run['target']:>7} {run['achieved_rate']:>7.0f} "
                    f"{run['lost']:>6} {run['duplicated']:>5} "
                    f"{(run['p50_ms'] or 0):>8.1f} {(run['p99_ms'] or 0):>8.1f} "
                    f"{run['server_cpu_ms_per_message']:>10.2f} {run['load_average']:>5.1f}"
                    + (f"  errors {run['errors']}" if run["errors"] else "")
                )
            if relay["p99_ms"] and django["p99_ms"]:
                cpu = django["server_cpu_ms_per_message"] / relay["server_cpu_ms_per_message"]
                print(
                    f"{'':>6} ratio to the relay: p50 {django['p50_ms'] / relay['p50_ms']:.1f}x, "
                    f"p99 {django['p99_ms'] / relay['p99_ms']:.1f}x, cpu per message {cpu:.1f}x, "
                    f"delivered {django['delivered']}/{django['expected']}"
                )
            results["runs"] += [relay, django]
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
    (RESULTS / "chat.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--relay":
        asyncio.run(run_relay(int(sys.argv[2])))
    elif len(sys.argv) > 5 and sys.argv[1] == "--load":
        target, base = sys.argv[2], sys.argv[3]
        rate, seconds = float(sys.argv[4]), float(sys.argv[5])
        print(json.dumps(asyncio.run(run_load(target, base, rate, seconds))))
    else:
        main()
