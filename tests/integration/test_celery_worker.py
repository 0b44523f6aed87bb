"""A task crosses Redis to a real Celery worker process, which works on the test database."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from config.celery import app as celery_app
from network.tasks import clear_expired_sessions_task
from tests.integration.conftest import REDIS_URL, requires_redis

pytestmark = [pytest.mark.integration, requires_redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
QUEUE = f"territory-test-{os.getpid()}"


def database_url_of_test_database() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url_of_test_database(),
        "REDIS_URL": REDIS_URL,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            QUEUE,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def tasks_go_to_the_broker():
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = True


def test_a_worker_process_runs_the_task_against_the_database(worker, tasks_go_to_the_broker):
    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(days=1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(days=1))

    # Results are ignored unless asked for (CELERY_TASK_IGNORE_RESULT).
    result = clear_expired_sessions_task.apply_async(queue=QUEUE, ignore_result=False)
    try:
        removed = result.get(timeout=60, disable_sync_subtasks=False)
    except Exception:
        worker.terminate()
        pytest.fail(f"The worker did not run the task: {worker.communicate(timeout=20)[0]}")

    assert removed == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]
    assert worker.poll() is None, "the worker is a separate, still-running process"
