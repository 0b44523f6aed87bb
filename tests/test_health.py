"""`/healthz/` tells a load balancer whether each service answers."""

import pytest

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_every_service_answers(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["services"]) == {"database", "cache", "channel_layer", "broker"}
    assert all(state["ok"] for state in body["services"].values())


def test_a_stopped_broker_answers_503_and_is_named(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["failing"] == ["broker"]
    assert body["services"]["database"]["ok"] is True


def test_health_is_not_cached(client):
    assert "no-cache" in client.get("/healthz/").headers["Cache-Control"]
