"""`/healthz/` tells a load balancer whether each service answers, and a monitor whether a
Celery worker answers and beat still runs."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

from config.health import BEAT_HEARTBEAT_KEY, beat_heartbeat_task

pytestmark = pytest.mark.django_db

REQUEST_PATH_SERVICES = {"database", "cache", "channel_layer", "broker"}


@pytest.fixture
def tasks_go_to_a_broker(settings):
    """As in production: tasks leave for a worker (none runs in the unit tests)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.HEALTHZ_WORKER_TIMEOUT = 0.2
    settings.HEALTHZ_BEAT_CHECK = True  # the cache is shared, as Redis is


def test_health_is_ok_when_every_service_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["services"]) == REQUEST_PATH_SERVICES | {"worker", "beat"}
    assert all(state["ok"] for state in body["services"].values())


def test_eager_tasks_need_no_worker_and_no_beat(client):
    services = client.get("/healthz/").json()["services"]
    assert services["worker"] == {"ok": True, "eager": True}
    assert services["beat"] == {"ok": True, "eager": True}


def test_a_stopped_broker_answers_503_and_is_named(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["broker"]
    assert body["services"]["database"]["ok"] is True
    assert body["services"]["worker"] == {"ok": False, "error": "BrokerUnreachable"}


def test_a_silent_worker_is_a_warning_that_keeps_the_process_in_the_balancer(
    client, tasks_go_to_a_broker
):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert "worker" in body["warnings"]
    assert body["services"]["worker"] == {"ok": False, "error": "NoWorker"}


def test_a_monitor_requiring_the_background_gets_503_without_a_worker(client, tasks_go_to_a_broker):
    response = client.get("/healthz/", {"background": "required"})
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert "worker" in body["failing"]


def test_beat_is_stale_without_any_heartbeat(client, tasks_go_to_a_broker):
    cache.delete(BEAT_HEARTBEAT_KEY)
    beat = client.get("/healthz/").json()["services"]["beat"]
    assert beat == {"ok": False, "error": "Stale", "last_run": None}


def test_beat_is_fresh_right_after_its_heartbeat_ran(client, tasks_go_to_a_broker):
    beat_heartbeat_task()
    body = client.get("/healthz/").json()
    assert body["services"]["beat"]["ok"] is True
    assert body["services"]["beat"]["age_seconds"] < 5
    assert "beat" not in body["warnings"]


def test_beat_is_stale_once_its_heartbeat_is_older_than_the_setting(
    client, settings, tasks_go_to_a_broker
):
    settings.HEALTHZ_BEAT_STALE_MINUTES = 5
    last_run = timezone.now() - timedelta(minutes=6)
    cache.set(BEAT_HEARTBEAT_KEY, last_run.isoformat())
    body = client.get("/healthz/").json()
    assert body["services"]["beat"] == {
        "ok": False,
        "error": "Stale",
        "last_run": last_run.isoformat(),
        "age_seconds": pytest.approx(360, abs=5),
    }
    assert "beat" in body["warnings"]


def test_beat_is_not_judged_when_the_cache_is_not_shared(client, settings, tasks_go_to_a_broker):
    """`make run`: the worker writes the heartbeat into a local-memory cache of its own."""
    settings.HEALTHZ_BEAT_CHECK = False
    body = client.get("/healthz/").json()
    assert body["services"]["beat"] == {"ok": True, "checked": False}
    assert "beat" not in body["warnings"]


def test_beat_sends_the_heartbeat_every_minute():
    entry = django_settings.CELERY_BEAT_SCHEDULE["healthz-heartbeat"]
    assert entry["task"] == beat_heartbeat_task.name
    assert entry["schedule"] == 60.0


def test_health_is_not_cached(client):
    assert "no-cache" in client.get("/healthz/").headers["Cache-Control"]
