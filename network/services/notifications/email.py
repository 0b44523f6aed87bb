"""E-mails: one at once per notification, or digests by day and week."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.errors import InvalidInput
from core.mail import site_url, subject_line
from network.models import (
    Notification,
    NotificationPreference,
    User,
)
from network.registries import notification_kind_label, notification_kinds
from network.services.notifications.common import DIGEST_WINDOWS, Channel
from network.services.notifications.kinds import describe
from network.services.notifications.preferences import unsubscribe_token

# E-mail ---------------------------------------------------------------------------------------


def localized_path(path: str, language: str) -> str:
    """A stored path (written in the default language, unprefixed) in `language`."""
    if not path:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def _absolute(path: str, language: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_url(localized_path(path, language) or "/")


def _unsubscribe_url(user: User, kinds) -> str:
    return site_url(
        reverse("network:notifications_unsubscribe", args=[unsubscribe_token(user.pk, kinds)])
    )


def _claim(ids) -> list[int]:
    """Take the notifications `ids` not e-mailed yet, marking them sent, so that two workers
    (or a retried task) never send the same one twice. Returns the ids taken."""
    with transaction.atomic():
        taken = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), emailed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=taken).update(emailed_at=timezone.now())
    return taken


def _release(ids) -> None:
    Notification.objects.filter(pk__in=list(ids)).update(emailed_at=None)


def _message(user: User, *, subject: str, template: str, context: dict, kinds):
    """One e-mail to `user`, HTML and text, in their language, with a one-click unsubscribe
    (RFC 8058) for `kinds`. Call inside translation.override(user's language)."""
    unsubscribe_url = _unsubscribe_url(user, kinds)
    context = {
        **context,
        "user": user,
        "name": user.get_display_name(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": _absolute(
            reverse("network:notification_preferences"), translation.get_language()
        ),
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=subject_line(subject),
        body=render_to_string(f"emails/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _item(notification: Notification, language: str, *, others: int = 0) -> dict:
    actor = notification.actor
    return {
        "text": describe(
            notification.kind,
            actor_name=actor.get_display_name() if actor else "",
            others=others,
            data=notification.data,
        ),
        "excerpt": notification.data.get("excerpt", ""),
        "url": _absolute(notification.url, language),
        "kind": notification.kind,
    }


def send_notification_emails(notification_ids) -> int:
    """E-mail each of these notifications at once to its recipient (the "e-mail at once"
    channel). Each is sent at most once; if sending fails, those not sent are released for
    the task's retry. Returns the number sent."""
    taken = _claim(notification_ids)
    if not taken:
        return 0
    notifications = (
        Notification.objects.filter(pk__in=taken, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "actor")
    )
    connection = get_connection()
    sent = []
    try:
        for notification in notifications:
            user = notification.recipient
            language = _language(user)
            with translation.override(language):
                item = _item(notification, language)
                message = _message(
                    user,
                    subject=item["text"],
                    template="notification",
                    context={
                        "item": item,
                        "kind_label": notification_kind_label(notification.kind),
                    },
                    kinds=[notification.kind],
                )
            message.connection = connection
            message.send()
            sent.append(notification.pk)
    except Exception:
        _release(set(taken) - set(sent))
        raise
    return len(sent)


def _digest_candidates(channel: str, now):
    """Unread notifications not e-mailed yet, of the kinds each recipient gets in `channel`'s
    digest (their choice, else the default): one query whatever the number of members."""
    chosen = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind")
    ).values("channel")[:1]
    default_kinds = [spec.key for spec in notification_kinds() if spec.default_channel == channel]
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gt=now - DIGEST_WINDOWS[channel],
            created_at__lte=now,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .annotate(chosen=Subquery(chosen))
        .filter(Q(chosen=channel) | Q(chosen__isnull=True, kind__in=default_kinds))
    )


def group_notifications(notifications) -> list[dict]:
    """Gather notifications of the same kind and target, read state and day into one entry
    ("Camille and 4 others reacted to your post"). Input newest first; so is the output.
    Each entry: latest (the newest Notification), actors (distinct, newest first), ids,
    is_read."""
    entries, index = [], {}
    for notification in notifications:
        day = timezone.localdate(notification.created_at)
        key = (
            notification.kind,
            notification.target_type_id,
            notification.target_id,
            notification.read_at is not None,
            day,
        )
        entry = index.get(key)
        if entry is None:
            entry = index[key] = {
                "latest": notification,
                "actors": [],
                "ids": [],
                "is_read": notification.read_at is not None,
            }
            entries.append(entry)
        entry["ids"].append(notification.pk)
        if notification.actor is not None and notification.actor not in entry["actors"]:
            entry["actors"].append(notification.actor)
    return entries


def send_digests(*, channel: str, now=None) -> int:
    """Send the daily or weekly digest: one e-mail per member listing their unread
    notifications of the kinds they get that way. Returns the number of e-mails sent."""
    if channel not in DIGEST_WINDOWS:
        raise InvalidInput(_("Unknown digest."))
    now = now or timezone.now()
    by_user = {}
    for pk, user_id in _digest_candidates(channel, now).values_list("pk", "recipient_id"):
        by_user.setdefault(user_id, []).append(pk)
    connection = get_connection()
    sent = 0
    for ids in by_user.values():
        taken = _claim(ids)
        if not taken:
            continue
        try:
            notifications = list(
                Notification.objects.filter(pk__in=taken)
                .select_related("actor", "recipient")
                .order_by("-created_at", "-id")
            )
            user = notifications[0].recipient
            language = _language(user)
            with translation.override(language):
                entries = group_notifications(notifications)
                items = [
                    _item(entry["latest"], language, others=len(entry["actors"]) - 1)
                    for entry in entries
                ]
                kinds = sorted({n.kind for n in notifications})
                unsubscribe_links = [
                    {"label": notification_kind_label(kind), "url": _unsubscribe_url(user, [kind])}
                    for kind in kinds
                ]
                if channel == Channel.DAILY:
                    subject = _("Your day on %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
                else:
                    subject = _("Your week on %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
                message = _message(
                    user,
                    subject=subject,
                    template="digest",
                    context={
                        "items": items,
                        "count": len(notifications),
                        "weekly": channel == Channel.WEEKLY,
                        "unsubscribe_links": unsubscribe_links,
                        "notifications_url": _absolute(reverse("network:notifications"), language),
                    },
                    kinds=kinds,
                )
            message.connection = connection
            message.send()
        except Exception:
            _release(taken)
            raise
        sent += 1
    return sent
