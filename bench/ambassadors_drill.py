"""Fault drill of the tracked links (issue 18): no click is lost when Redis dies.

Run it with `.venv/bin/python bench/ambassadors_drill.py`. It starts its own Redis
(redis-server on 127.0.0.1:8221, append-only file fsynced at every write, in a temporary
folder) and one Daphne process (port 8222) counting clicks there, then:

1. sends clicks from distinct visitors;
2. kills Redis with SIGKILL and sends more clicks while it is down (they go to the database);
3. restarts Redis on its append-only file and sends more clicks;
4. flushes (as the beat task does) and checks that the link's total grew by exactly the
   clicks sent.

The "flush worker dies" cases (before and after its database commit) are drilled in
tests/ambassadors/test_links.py.
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if sys.path and os.path.abspath(sys.path[0] or os.curdir) == HERE:
    sys.path[0] = ROOT

import signal  # noqa: E402
import subprocess  # noqa: E402  # nosec B404 - our own servers
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.ambassadors import BIN, env, link_total, measure, wait  # noqa: E402

REDIS_PORT, DAPHNE_PORT = 8221, 8222
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"


def start_redis(folder):
    proc = subprocess.Popen(  # nosec B603 B607
        [
            "redis-server",
            "--port",
            str(REDIS_PORT),
            "--bind",
            "127.0.0.1",
            "--dir",
            folder,
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _attempt in range(50):
        if (
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"],  # nosec B603 B607
                capture_output=True,
                text=True,
            ).stdout.strip()
            == "PONG"
        ):
            return proc
        time.sleep(0.1)
    raise RuntimeError("redis-server did not start")


def main():
    folder = tempfile.mkdtemp(prefix="amb-drill-")
    redis = start_redis(folder)
    from bench.ambassadors import django_shell

    code = django_shell(
        "from ambassadors.models import TrackedLink; print(TrackedLink.objects.first().code)",
        REDIS_URL,
    )
    before = link_total(code, REDIS_URL)
    daphne = subprocess.Popen(  # nosec B603
        [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(DAPHNE_PORT), "config.asgi:application"],
        cwd=ROOT,
        env=env(REDIS_URL),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    sent = 0
    try:
        wait(DAPHNE_PORT)
        path = f"/r/{code}"
        sent += len(measure(DAPHNE_PORT, path, 200, new_visitor=True))
        redis.send_signal(signal.SIGKILL)
        redis.wait()
        down = len(measure(DAPHNE_PORT, path, 50, new_visitor=True))
        sent += down
        redis = start_redis(folder)
        sent += len(measure(DAPHNE_PORT, path, 200, new_visitor=True))
    finally:
        os.killpg(daphne.pid, signal.SIGTERM)
        daphne.wait(timeout=20)
    after = link_total(code, REDIS_URL)
    redis.terminate()
    redis.wait()
    print(f"clicks sent: {sent} (of which {down} while Redis was down)")
    verdict = "none lost" if after - before == sent else "LOST OR DOUBLED"
    print(f"link total grew by: {after - before} -> {verdict}")


if __name__ == "__main__":
    main()
