from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task
def clear_expired_sessions_task() -> int:
    """Delete expired sessions (beat runs it daily); returns how many were removed."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


# Notifications: thin tasks over network/services/notifications.py, which enqueues them
# (hence the imports inside the functions).


@shared_task(bind=True, max_retries=5)
def create_notifications_task(self, **kwargs) -> int:
    """Fan one event out to its recipients (see notifications.notify), then queue the
    e-mails due at once. Safe to retry; returns the number of e-mails queued."""
    from django.db import DatabaseError

    from network.services import notifications

    send_email = kwargs.pop("send_email", True)  # False for replayed past events (demo)
    try:
        to_email = notifications.create_notifications(**kwargs)
    except DatabaseError as error:  # a lost connection, a deadlock: the retry redoes nothing
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    if not send_email:
        return 0
    if to_email:
        send_notification_emails_task.delay(to_email)
    return len(to_email)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_emails_task(notification_ids: list[int]) -> int:
    from network.services import notifications

    return notifications.send_notification_emails(notification_ids)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_daily_digest_task() -> int:
    from network.services import notifications

    return notifications.send_digests(channel="daily")


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_weekly_digest_task() -> int:
    from network.services import notifications

    return notifications.send_digests(channel="weekly")


@shared_task
def push_notifications_task(user_ids: list[int], payload: dict) -> None:
    from network.services import notifications

    notifications.push_to_users(user_ids, payload)


# Personal data: the export zip (network/services/personal_data.py).


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def build_data_export_task(user_id: int) -> str | None:
    """Build a member's data export and e-mail its link; returns the export's token."""
    from network.services import personal_data

    return personal_data.build_and_send_export(user_id=user_id)


@shared_task
def purge_expired_exports_task() -> int:
    """Remove data exports past their 7 days (run daily by beat, and at each new export)."""
    from network.services import personal_data

    return personal_data.purge_expired_exports()
