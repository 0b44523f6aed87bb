"""Celery tasks of the content hub: thin, each calls one service."""

from celery import shared_task

from content.services.freshness import send_review_reminders


@shared_task
def send_review_reminders_task() -> int:
    """Daily (beat, see CELERY_BEAT_SCHEDULE): remind maintainers of pages past their review
    date. Safe to retry: a page is reminded at most once a day."""
    return send_review_reminders()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_registration_email_task(registration_id: int, promoted: bool = False) -> bool:
    """A member's place at an event is confirmed (or freed up for them): e-mail with .ics."""
    from content.services.events import send_registration_email

    return send_registration_email(registration_id=registration_id, promoted=promoted)


@shared_task(soft_time_limit=3 * 3600, time_limit=3 * 3600 + 60)
def run_import_task(source_id: int) -> int | None:
    """Import one source now (the admin's "Run now"). A source already running is left to
    its run."""
    from content.imports.models import ImportSource
    from content.imports.services import run_import
    from core.errors import Conflict

    source = ImportSource.objects.filter(pk=source_id).first()
    if source is None:
        return None
    try:
        return run_import(actor=None, source=source).pk
    except Conflict:
        return None


@shared_task
def run_daily_imports_task() -> int:
    """Daily (beat): queue every source marked to run daily, one task each."""
    from content.imports.models import ImportSource

    ids = list(ImportSource.objects.filter(daily=True).values_list("pk", flat=True))
    for pk in ids:
        run_import_task.delay(pk)
    return len(ids)
