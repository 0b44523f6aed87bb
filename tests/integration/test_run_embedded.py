"""`manage.py run_embedded` (what `make run` serves with): Daphne, a Celery worker and beat on
the file-system broker, no server needed; Ctrl+C stops all three."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except OSError:
        return False


def children_of(pid: int) -> list[int]:
    done = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True)  # noqa: S603, S607
    return [int(line) for line in done.stdout.split()]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; it only waits for its parent to read its status.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split()[2] != "Z"


@pytest.fixture
def embedded(tmp_path):
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DEBUG")},
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "STATE_DIR": str(tmp_path / "state"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    process = subprocess.Popen(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", "run_embedded", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process, port, env, tmp_path / "state"
    if process.poll() is None:
        for child in children_of(process.pid):
            os.kill(child, signal.SIGKILL)
        process.kill()
        process.wait()


def test_make_runs_web_worker_and_beat_and_ctrl_c_stops_them_all(embedded):
    process, port, env, state = embedded
    wait_for(
        lambda: answers(f"http://127.0.0.1:{port}/static/css/site.css"), 90, "Daphne to answer"
    )
    children = children_of(process.pid)
    assert len(children) == 3  # web, worker, beat

    # A task sent to the file-system broker is taken by the worker.
    subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-m", "celery", "-A", "config", "call", "celery.accumulate"],
        cwd=ROOT,
        env={**env, "EMBEDDED_WORKERS": "1"},
        check=True,
        capture_output=True,
    )
    queue = state / "broker" / "queue"
    wait_for(lambda: not any(queue.iterdir()), 60, "the worker to take the task")
    # Beat keeps its schedule in the state folder, never in the checkout.
    wait_for(lambda: any(state.glob("celerybeat-schedule*")), 60, "beat's schedule file")
    assert not list(ROOT.glob("celerybeat-schedule*"))

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    assert [pid for pid in children if alive(pid)] == []
