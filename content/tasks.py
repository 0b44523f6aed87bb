"""Celery tasks of the content hub: thin, each calls one service."""

from celery import shared_task

from content.services.freshness import send_review_reminders


@shared_task
def send_review_reminders_task() -> int:
    """Daily (beat, see CELERY_BEAT_SCHEDULE): remind maintainers of pages past their review
    date. Safe to retry: a page is reminded at most once a day."""
    return send_review_reminders()
