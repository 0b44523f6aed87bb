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
