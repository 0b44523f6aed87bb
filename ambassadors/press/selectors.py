"""The staff's reads: contact lists with their filters, releases with their figures."""

from django.db.models import Count, F, Q

from .models import PressContact, PressRecipient, PressRelease
from .services.contacts import check_staff

PAGE_SIZE = 50


def contacts_for(actor, *, q="", segment="", status="", language="", area=""):
    """Contacts matching the filters, with what the list shows (3 queries whatever the
    number of rows: the contacts with their area, then their segments)."""
    check_staff(actor)
    contacts = PressContact.objects.select_related("area").prefetch_related("segments")
    if q:
        contacts = contacts.filter(
            Q(name__icontains=q)
            | Q(email__icontains=q)
            | Q(outlet__icontains=q)
            | Q(beats__icontains=q)
            | Q(role__icontains=q)
        )
    if segment.isdigit():
        contacts = contacts.filter(segments=int(segment))
    if status in PressContact.Status.values:
        contacts = contacts.filter(status=status)
    if language:
        contacts = contacts.filter(languages__contains=f",{language},")
    if area.isdigit():
        contacts = contacts.filter(area_id=int(area))
    return contacts.order_by("name", "pk")


def _figures():
    counted = PressRecipient.Status
    return {
        "sent_count": Count("recipients", filter=Q(recipients__status=counted.SENT)),
        "failed_count": Count("recipients", filter=Q(recipients__status=counted.FAILED)),
        "skipped_count": Count("recipients", filter=Q(recipients__status=counted.SKIPPED)),
        "waiting_count": Count(
            "recipients",
            filter=Q(recipients__status__in=[counted.PENDING, counted.SENDING]),
        ),
        "opened_count": Count("recipients", filter=Q(recipients__opened_at__isnull=False)),
        "unsubscribed_count": Count(
            "recipients",
            filter=Q(recipients__contact__status=PressContact.Status.UNSUBSCRIBED),
        ),
    }


def releases_for(actor):
    """Every release with its figures (one query)."""
    check_staff(actor)
    return (
        PressRelease.objects.select_related("story", "segment", "created_by")
        .annotate(**_figures())
        .order_by("-created_at", "-pk")
    )


def release_for(actor, pk: int) -> PressRelease | None:
    return releases_for(actor).filter(pk=pk).first()


def recipients_of(release: PressRelease):
    """Who it went to: those who opened the link first, by first open."""
    return (
        PressRecipient.objects.filter(release=release)
        .select_related("contact")
        .order_by(F("opened_at").asc(nulls_last=True), "name", "pk")
    )
