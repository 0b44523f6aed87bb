"""Content freshness: marking a page reviewed, and the daily reminders for pages past due."""

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.log_actions import log
from wagtail.models import Page

from content import selectors
from content.models import FreshnessMixin
from content.signals import review_due
from core.errors import DomainError, NotAllowed
from core.mail import site_url, subject_line
from core.roles import MODERATORS_GROUP

logger = logging.getLogger(__name__)

MARK_REVIEWED_ACTION = "content.mark_reviewed"
# Wagtail creates this group; it also reviews contributions (content/migrations/0004).


def can_mark_reviewed(user, page: Page) -> bool:
    """Checking a page's content is a publishing decision: the people who may publish it."""
    return bool(
        user
        and user.is_authenticated
        and isinstance(page.specific, FreshnessMixin)
        and page.permissions_for_user(user).can_publish()
    )


def next_review_due(reviewed_on: date, review_interval_days: int) -> date:
    """As FreshnessMixin.save computes it."""
    return reviewed_on + timedelta(days=review_interval_days)


@transaction.atomic
def mark_reviewed(*, actor, page: Page) -> Page:
    """Record that `actor` checked `page` today. Only the review dates change: the live row
    is updated in place (no new revision, so unrelated draft changes stay unpublished), and
    the draft and scheduled revisions get the same dates so that publishing them later does
    not bring the old date back."""
    page = page.specific
    if not isinstance(page, FreshnessMixin):
        raise DomainError(_("This page has no review schedule."))
    if not can_mark_reviewed(actor, page):
        raise NotAllowed(_("Only people who can publish this page can mark it as reviewed."))

    model = type(page)
    # Read again under lock: the caller's copy may predate a draft or a settings change.
    current = (
        model.objects.select_for_update()
        .filter(pk=page.pk)
        .values_list("review_interval_days", "latest_revision_id")
        .first()
    )
    if current is None:
        raise DomainError(_("This page has no review schedule."))
    interval, latest_revision_id = current
    today = timezone.localdate()
    due = next_review_due(today, interval)
    model.objects.filter(pk=page.pk).update(last_reviewed_at=today, next_review_due=due)
    _stamp_pending_revisions(page, latest_revision_id, interval, today)

    page.review_interval_days = interval
    page.last_reviewed_at = today
    page.next_review_due = due
    log(
        instance=page,
        action=MARK_REVIEWED_ACTION,
        user=actor,
        data={"last_reviewed_at": today.isoformat(), "next_review_due": due.isoformat()},
    )
    return page


def _stamp_pending_revisions(
    page: Page, latest_revision_id: int | None, live_interval: int, today: date
) -> None:
    """Write the new review dates into the revisions that may still be published: the latest
    one (the editor opens it, "Publish" publishes it) and any scheduled one. Older revisions
    are history and stay as they were."""
    pending = Q(approved_go_live_at__isnull=False)
    if latest_revision_id:
        pending |= Q(pk=latest_revision_id)
    for revision in page.revisions.filter(pending):
        content = revision.content
        interval = int(content.get("review_interval_days") or live_interval)
        content["last_reviewed_at"] = today.isoformat()
        content["next_review_due"] = next_review_due(today, interval).isoformat()
        revision.save(update_fields=["content"])


# Reminders -------------------------------------------------------------------------------


def _moderators() -> list:
    User = get_user_model()
    return list(
        User.objects.filter(groups__name=MODERATORS_GROUP, is_active=True).distinct().order_by("pk")
    )


def _recipients_by_page(pages: list[Page]) -> dict[Page, list]:
    """Each page's active maintainers; the Moderators group for a page that has none."""
    moderators = None
    recipients = {}
    for page in pages:
        people = [user for user in page.maintainers.all() if user.is_active]
        if not people:
            if moderators is None:
                moderators = _moderators()
            people = moderators
        if not people:
            logger.warning("Page %s is past its review date and nobody can be reminded.", page.pk)
        recipients[page] = people
    return recipients


def _admin_url(path: str) -> str:
    return site_url(path)


def _reminder_message(user, pages: list[Page], today: date, connection) -> EmailMultiAlternatives:
    """The one e-mail that lists all of `user`'s overdue pages, in their language."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        items = [
            {
                "title": page.title,
                "type": type(page)._meta.verbose_name,
                "last_reviewed_at": page.last_reviewed_at,
                "due": page.next_review_due,
                "days_overdue": (today - page.next_review_due).days,
                "edit_url": _admin_url(reverse("wagtailadmin_pages:edit", args=[page.pk])),
            }
            for page in pages
        ]
        context = {
            "user": user,
            "name": user.get_display_name(),
            "pages": items,
            "report_url": _admin_url(reverse("content_review_report")),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = ngettext(
            "%(count)s page to review on %(site)s",
            "%(count)s pages to review on %(site)s",
            len(items),
        ) % {"count": len(items), "site": settings.WAGTAIL_SITE_NAME}
        text = render_to_string("content/email/review_due.txt", context)
        html = render_to_string("content/email/review_due.html", context)
    message = EmailMultiAlternatives(
        subject=subject_line(subject), body=text, to=[user.email], connection=connection
    )
    message.attach_alternative(html, "text/html")
    return message


def send_review_reminders(*, today: date | None = None) -> int:
    """Remind the maintainers of every live page past its review date: one e-mail per person
    listing all their overdue pages, and a `review_due` signal per page (network turns it into
    an in-site notification). A page already reminded today is skipped, so a retried task
    sends nothing twice. Returns the number of e-mails sent."""
    today = today or timezone.localdate()
    pages = list(
        selectors.pages_due_for_review(today).filter(
            Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)
        )
    )
    if not pages:
        return 0
    recipients = _recipients_by_page(pages)

    pages_by_user = defaultdict(list)
    users = {}
    for page, people in recipients.items():
        for user in people:
            users[user.pk] = user
            pages_by_user[user.pk].append(page)

    # Slow I/O first and outside any transaction; the pages are stamped once it succeeded, so
    # a failure part-way lets the retry try again (at worst someone gets a second copy).
    connection = get_connection()
    messages = [
        _reminder_message(users[pk], user_pages, today, connection)
        for pk, user_pages in pages_by_user.items()
        if users[pk].email
    ]
    sent = (connection.send_messages(messages) or 0) if messages else 0

    with transaction.atomic():
        pks_by_model = defaultdict(list)
        for page in pages:
            pks_by_model[type(page)].append(page.pk)
        for model, pks in pks_by_model.items():
            model.objects.filter(pk__in=pks).update(last_reminder_sent_on=today)

    for page, people in recipients.items():
        page.last_reminder_sent_on = today
        review_due.send(sender=type(page), page=page, maintainers=list(people))
    return sent
