"""Work that a request starts but its member need not wait for, run once the response has
been sent. Only the embedded setup uses it, for the tasks that a worker runs in production
(config/celery.py): an eager task inside the request would make every post wait for its
notifications to be fanned out.

The work runs in the server's process, in the thread that closes the response (Django calls
the response's closers once the last byte is handed to the server; the test client does it
before returning). It is as durable as the embedded setup's in-memory broker: a server
stopped meanwhile loses it."""

import logging
from collections.abc import Callable
from contextvars import ContextVar

logger = logging.getLogger(__name__)

_pending: ContextVar[list[Callable[[], object]] | None] = ContextVar(
    "after_response_pending", default=None
)


def defer_until_response_sent(work: Callable[[], object]) -> bool:
    """Keep `work` for after the current response. False outside a request (a management
    command, a consumer, a test calling a service): then the caller does the work itself."""
    pending = _pending.get()
    if pending is None:
        return False
    pending.append(work)
    return True


def _run(pending: list[Callable[[], object]]) -> None:
    for work in pending:
        try:
            work()
        except Exception:
            # Django ignores a closer's exception; the log is where it can be seen.
            logger.exception("Work after the response failed")


class AfterResponseMiddleware:
    """Collects the work deferred while the request is handled and hands it to the
    response's closers. First in MIDDLEWARE, so that the whole request is covered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending: list[Callable[[], object]] = []
        token = _pending.set(pending)
        try:
            response = self.get_response(request)
        except BaseException:
            _pending.reset(token)
            _run(pending)
            raise
        _pending.reset(token)
        if pending:
            # Django's own hook for what must happen once the response is closed (it closes
            # a FileResponse's file this way); called before request_finished.
            response._resource_closers.append(lambda: _run(pending))
        return response
