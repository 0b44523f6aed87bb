"""`GET /healthz/` for load balancers: is each service this process depends on answering?

The request path's services (database, cache, channel layer, broker) decide the status: one
failing turns it to 503, so that a balancer routes around the process. The background ones
(a Celery worker answering a ping, beat's heartbeat) are reported beside them, with their
failures listed in `warnings`: a stopped worker must not take every web process out of the
balancer. A monitor that wants them to count asks for `/healthz/?background=required`.
"""

import uuid
from datetime import datetime, timedelta

from asgiref.sync import async_to_sync
from celery import shared_task
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

BROKER_TIMEOUT_SECONDS = 2
BEAT_HEARTBEAT_KEY = "healthz:beat-heartbeat"


class Stale(Exception):
    """Beat's last heartbeat is older than HEALTHZ_BEAT_STALE_MINUTES, or there is none."""


class NoWorker(Exception):
    """No Celery worker answered the ping in time."""


@shared_task(name="config.health.beat_heartbeat_task", ignore_result=True)
def beat_heartbeat_task() -> None:
    """Sent by beat every minute (CELERY_BEAT_SCHEDULE), run by a worker: the time it ran."""
    cache.set(BEAT_HEARTBEAT_KEY, timezone.now().isoformat(), timeout=None)


def check_database() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache() -> dict | None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=5)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value it was given")
    cache.delete(key)


def check_channel_layer() -> dict | None:
    layer = get_channel_layer()

    async def round_trip():
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping"})
        return await layer.receive(channel)

    if async_to_sync(round_trip)().get("type") != "healthz.ping":
        raise RuntimeError("channel layer lost a message")


def check_broker() -> dict | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # Tasks run inline: there is no broker to reach.
    with Connection(settings.CELERY_BROKER_URL, connect_timeout=BROKER_TIMEOUT_SECONDS) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def check_worker() -> dict | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"eager": True}  # Tasks run inline, in this process.
    from config.celery import app

    # The first answer is enough; with none, this waits the whole timeout.
    replies = app.control.ping(timeout=settings.HEALTHZ_WORKER_TIMEOUT, limit=1)
    if not replies:
        raise NoWorker()
    return {"workers": sorted(name for reply in replies for name in reply)}


def check_beat() -> dict | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"eager": True}  # No beat runs beside eager tasks.
    stamp = cache.get(BEAT_HEARTBEAT_KEY)
    if not stamp:
        raise Stale({"last_run": None})
    last_run = datetime.fromisoformat(stamp)
    age = timezone.now() - last_run
    details = {"last_run": stamp, "age_seconds": int(age.total_seconds())}
    if age > timedelta(minutes=settings.HEALTHZ_BEAT_STALE_MINUTES):
        raise Stale(details)
    return details


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "broker": check_broker,
}
BACKGROUND_CHECKS = {
    "worker": check_worker,
    "beat": check_beat,
}


def run(check) -> dict:
    try:
        details = check()
    except Exception as exc:  # noqa: BLE001 - any failure means "not healthy"
        state = {"ok": False, "error": exc.__class__.__name__}
        if isinstance(exc, Stale) and exc.args:
            state.update(exc.args[0])
        return state
    return {"ok": True, **(details or {})}


@never_cache
@require_GET
def healthz(request):
    services = {name: run(check) for name, check in CHECKS.items()}
    if services["broker"]["ok"]:
        background = {name: run(check) for name, check in BACKGROUND_CHECKS.items()}
    else:
        # A ping through an unreachable broker would wait on its connection retries.
        unreachable = {"ok": False, "error": "BrokerUnreachable"}
        background = {name: dict(unreachable) for name in BACKGROUND_CHECKS}
    failing = [name for name, state in services.items() if not state["ok"]]
    warnings = [name for name, state in background.items() if not state["ok"]]
    if request.GET.get("background") == "required":
        failing += warnings
    body = {
        "status": "fail" if failing else "ok",
        "failing": failing,
        "warnings": warnings,
        "services": {**services, **background},
    }
    return JsonResponse(body, status=503 if failing else 200)
