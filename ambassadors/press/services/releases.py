"""Press releases: a hub story and a short pitch, prepared as a draft, previewed, then sent
once to the contacts of a segment who can receive it (see sending.py for the e-mails)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.errors import Conflict, InvalidInput
from core.sanitizer import clean_html, clean_text

from ...links.services import is_shareable
from ..models import PressContact, PressRecipient, PressRelease
from .contacts import check_staff

SENDS_PER_HOUR = 10


def audience(segment):
    """The segment's contacts, those who can receive a release first."""
    return segment.contacts.all()


@transaction.atomic
def save_release(
    *, actor, release: PressRelease | None = None, story, segment, subject: str, pitch: str
) -> PressRelease:
    """Create or change a draft. The pitch is sanitised; the story must be public."""
    check_staff(actor)
    if release is not None:
        release = PressRelease.objects.select_for_update().get(pk=release.pk)
        if release.status != PressRelease.Status.DRAFT:
            raise Conflict(_("This press release is already sent: it cannot change."))
    if not is_shareable(story):
        raise InvalidInput(_("This story is not published: publish it before sending it."))
    pitch = clean_html(pitch)
    if not clean_text(pitch):
        raise InvalidInput(_("Write a short pitch for the journalists."))
    release = release or PressRelease(created_by=actor)
    release.story = story
    release.segment = segment
    release.subject = " ".join(subject.split())
    release.pitch = pitch
    release.save()
    return release


@transaction.atomic
def send_release(*, actor, release: PressRelease) -> int:
    """Record one recipient per contact of the segment and hand the e-mails to the worker.
    Contacts who unsubscribed or whose address bounced are recorded as not sent and get
    nothing. Returns how many will receive it."""
    check_staff(actor)
    release = PressRelease.objects.select_for_update().get(pk=release.pk)
    if release.status != PressRelease.Status.DRAFT:
        raise Conflict(_("This press release is already sent."))
    if not is_shareable(release.story):
        raise Conflict(_("This story is not published any more: publish it before sending it."))
    contacts = list(audience(release.segment).only("pk", "name", "email", "status"))
    receiving = [contact for contact in contacts if contact.can_receive]
    if not receiving:
        raise Conflict(_("No contact of this segment can receive it (none, or all unsubscribed)."))
    ratelimit.hit(
        "press-send",
        actor.pk,
        limit=getattr(settings, "PRESS_SENDS_PER_HOUR", SENDS_PER_HOUR),
        window=3600,
    )
    PressRecipient.objects.bulk_create(
        [
            PressRecipient(
                release=release,
                contact=contact,
                name=contact.name,
                email=contact.email,
                status=(
                    PressRecipient.Status.PENDING
                    if contact.can_receive
                    else PressRecipient.Status.SKIPPED
                ),
                error="" if contact.can_receive else contact.get_status_display(),
            )
            for contact in contacts
        ],
        ignore_conflicts=True,
    )
    release.status = PressRelease.Status.SENDING
    release.sent_at = timezone.now()
    release.save(update_fields=["status", "sent_at"])
    from ..tasks import send_press_release_task

    transaction.on_commit(lambda: send_press_release_task.delay(release.pk))
    return len(receiving)


def count_receiving(segment) -> int:
    return audience(segment).filter(status=PressContact.Status.ACTIVE).count()
