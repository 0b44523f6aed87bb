"""The e-mails of a press release, one per recipient, in batches (a rate the mail server
accepts). Each recipient is claimed before its e-mail leaves (PENDING → SENDING in one
conditional UPDATE), so a retried or duplicated task never mails anyone twice; a worker that
dies between the claim and the send leaves that one recipient "being sent", not mailed
twice."""

import logging
import re
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.models import Locale

from core.mail import site_root_url, site_url, subject_line
from core.sanitizer import clean_text

from ...links.services import is_shareable, make_link
from ..models import PressContact, PressRecipient, PressRelease
from .contacts import unsubscribe_token

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
BATCH_PAUSE = 60  # seconds between two batches


def batch_size() -> int:
    return getattr(settings, "PRESS_BATCH_SIZE", BATCH_SIZE)


def batch_pause() -> int:
    return getattr(settings, "PRESS_BATCH_PAUSE", BATCH_PAUSE)


def page_for(story, language: str):
    """The story in the contact's language when it has a public translation."""
    if language == story.locale.language_code:
        return story
    locale = Locale.objects.filter(language_code=language).first()
    translated = story.get_translation_or_none(locale) if locale else None
    if translated is not None and is_shareable(translated):
        return translated.specific
    return story


def pitch_as_text(pitch: str) -> str:
    """The sanitised pitch as plain text, its paragraphs and list items on their own lines."""
    spaced = re.sub(r"(?i)</p>|<br\s*/?>|</li>|</blockquote>", "\n", pitch)
    spaced = re.sub(r"(?i)<li>", "- ", spaced)
    return "\n".join(line.strip() for line in clean_text(spaced).splitlines() if line.strip())


def _context(release, *, name, link_url, unsubscribe_url, page) -> dict:
    return {
        "release": release,
        "pitch_text": pitch_as_text(release.pitch),
        "name": name,
        "story": page,
        "link_url": link_url,
        "unsubscribe_url": unsubscribe_url,
        "site_name": settings.WAGTAIL_SITE_NAME,
    }


def render_release(
    release: PressRelease, *, name: str, link_url: str, unsubscribe_url: str, page
) -> tuple[str, str]:
    """The text and HTML bodies, in the active language."""
    context = _context(
        release, name=name, link_url=link_url, unsubscribe_url=unsubscribe_url, page=page
    )
    return (
        render_to_string("press/emails/release.txt", context),
        render_to_string("press/emails/release.html", context),
    )


def _message(release, recipient, contact, *, link, connection) -> EmailMultiAlternatives:
    root = site_root_url()
    unsubscribe_url = site_url(
        reverse("press:unsubscribe", args=[unsubscribe_token(contact)]), root=root
    )
    page = link.page.specific
    text, html = render_release(
        release,
        name=recipient.name,
        link_url=site_url(reverse("tracked_link", args=[link.code]), root=root),
        unsubscribe_url=unsubscribe_url,
        page=page,
    )
    reply_to = [release.created_by.email] if release.created_by.email else None
    message = EmailMultiAlternatives(
        subject=subject_line(release.subject),
        body=text,
        to=[recipient.email],
        reply_to=reply_to,
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def _claim(recipient_id: int) -> bool:
    return bool(
        PressRecipient.objects.filter(pk=recipient_id, status=PressRecipient.Status.PENDING).update(
            status=PressRecipient.Status.SENDING
        )
    )


def _finish(recipient_id: int, status: str, **fields) -> None:
    PressRecipient.objects.filter(pk=recipient_id).update(status=status, **fields)


def deliver_batch(release_id: int) -> int:
    """Send the next batch of a release's e-mails; returns how many are still waiting."""
    release = (
        PressRelease.objects.select_related("story", "created_by").filter(pk=release_id).first()
    )
    if release is None or release.status != PressRelease.Status.SENDING:
        return 0
    story = release.story
    waiting = list(
        PressRecipient.objects.filter(release=release, status=PressRecipient.Status.PENDING)
        .select_related("contact")
        .order_by("pk")[: batch_size()]
    )
    connection = get_connection()
    for recipient in waiting:
        if not _claim(recipient.pk):
            continue  # another worker took it
        contact = recipient.contact
        if contact is None or not contact.can_receive:
            _finish(
                recipient.pk,
                PressRecipient.Status.SKIPPED,
                error=contact.get_status_display() if contact else "",
            )
            continue
        language = contact.mail_language
        try:
            with translation.override(language):
                link = make_link(
                    owner=release.created_by,
                    page=page_for(story, language),
                    source="press",
                    reference=f"press-{recipient.pk}",
                )
                _message(release, recipient, contact, link=link, connection=connection).send()
        except smtplib.SMTPRecipientsRefused as error:
            _finish(recipient.pk, PressRecipient.Status.FAILED, error=str(error)[:300])
            PressContact.objects.filter(pk=contact.pk).update(
                status=PressContact.Status.BOUNCED, status_changed_at=timezone.now()
            )
        except Exception as error:  # noqa: BLE001 - recorded on the recipient, shown to staff
            logger.warning("Press release %s to %s failed", release.pk, recipient.pk, exc_info=True)
            _finish(recipient.pk, PressRecipient.Status.FAILED, error=str(error)[:300])
        else:
            _finish(recipient.pk, PressRecipient.Status.SENT, sent_at=timezone.now(), link=link)
    remaining = PressRecipient.objects.filter(
        release=release, status=PressRecipient.Status.PENDING
    ).count()
    if not remaining:
        PressRelease.objects.filter(pk=release.pk, status=PressRelease.Status.SENDING).update(
            status=PressRelease.Status.SENT
        )
    return remaining


def mark_opened(link_ids, when) -> None:
    """A click listener (links.services): the first click on a recipient's link is when they
    opened the release. With Redis, clicks reach the database at the next flush (a minute)."""
    PressRecipient.objects.filter(Q(link_id__in=list(link_ids)), opened_at__isnull=True).update(
        opened_at=when
    )


def preview(release: PressRelease) -> dict:
    """The e-mail as the segment's first contact would get it (in their language), with a
    sample link."""
    contact = release.segment.contacts.filter(status=PressContact.Status.ACTIVE).first()
    language = contact.mail_language if contact else settings.LANGUAGE_CODE
    with translation.override(language):
        name = contact.name if contact else _("Jane Doe")
        context = _context(
            release,
            name=name,
            link_url=site_url(reverse("tracked_link", args=["apercu"])),
            unsubscribe_url="#",
            page=page_for(release.story, language),
        )
        return {
            "text": render_to_string("press/emails/release.txt", context),
            "html": render_to_string("press/emails/release_content.html", context),
            "name": name,
        }
