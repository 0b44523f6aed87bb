"""Briefings: sent to all ambassadors or a segment, acknowledged, reminded once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, NotAllowed

from ..models import Briefing, BriefingRecipient, Profile
from ..permissions import is_ambassador, is_programme_staff
from ..selectors import ambassadors

NOTIFICATION_KIND = "ambassador_briefing"
REMINDER_KIND = "briefing_reminder"


def register_notification_kind() -> None:
    """The briefing's notifications (on the site and by e-mail at once, unless the member
    chose otherwise), in the network's registry: the briefing itself, and the one reminder."""
    from network.registries import NotificationKindSpec
    from network.registries import register_notification_kind as register

    for key, label, sentence in (
        (
            NOTIFICATION_KIND,
            gettext_lazy("Briefings of the ambassador programme"),
            gettext_lazy("New briefing: %(title)s"),
        ),
        (
            REMINDER_KIND,
            gettext_lazy("Reminders of unread briefings"),
            gettext_lazy("Reminder: the briefing %(title)s is waiting for you"),
        ),
    ):
        register(
            NotificationKindSpec(key=key, label=label, default_channel="email", sentence=sentence)
        )


def audience(briefing: Briefing):
    profiles = ambassadors()
    if briefing.segment_area_id:
        profiles = profiles.filter(areas=briefing.segment_area_id)
    if briefing.segment_language:
        profiles = profiles.filter(languages__contains=f",{briefing.segment_language},")
    if briefing.segment_tag:
        tag = briefing.segment_tag
        ids = set(
            Profile.objects.filter(interests__name__iexact=tag).values_list("pk", flat=True)
        ) | set(Profile.objects.filter(skills__name__iexact=tag).values_list("pk", flat=True))
        profiles = profiles.filter(pk__in=ids)
    return profiles.values_list("user_id", flat=True).distinct()


def _tell(briefing: Briefing, user_ids, *, reminder: bool) -> None:
    """A notification, which the notifications' e-mail carries as each member chose (at once
    by default, with its unsubscribe link): the briefing's own e-mail sent it a second time."""
    from network.services.notifications import notify

    notify(
        kind=REMINDER_KIND if reminder else NOTIFICATION_KIND,
        recipients=list(user_ids),
        actor=None,
        target=briefing,
        event_key=f"briefing:{briefing.pk}:{'reminder' if reminder else 'sent'}",
        url=briefing.get_absolute_url(),
        data={"title": briefing.title},
    )


@transaction.atomic
def send_briefing(*, actor, briefing: Briefing) -> int:
    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff send briefings."))
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.sent_at is not None:
        raise Conflict(_("This briefing is already sent."))
    user_ids = list(audience(briefing))
    BriefingRecipient.objects.bulk_create(
        [BriefingRecipient(briefing=briefing, user_id=user_id) for user_id in user_ids],
        ignore_conflicts=True,
    )
    briefing.sent_at = timezone.now()
    briefing.save(update_fields=["sent_at"])
    _tell(briefing, user_ids, reminder=False)
    return len(user_ids)


def mark_read(*, actor, briefing: Briefing) -> BriefingRecipient:
    if not is_ambassador(actor):
        raise NotAllowed(_("Only ambassadors acknowledge briefings."))
    recipient = BriefingRecipient.objects.filter(briefing=briefing, user=actor).first()
    if recipient is None:
        raise NotAllowed(_("This briefing was not sent to you."))
    if recipient.read_at is None:
        BriefingRecipient.objects.filter(pk=recipient.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        recipient.refresh_from_db()
    return recipient


@transaction.atomic
def remind_unread(*, actor, briefing: Briefing) -> int:
    """Once per briefing: those who have not read it yet are told again."""
    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff send briefings."))
    briefing = Briefing.objects.select_for_update().get(pk=briefing.pk)
    if briefing.sent_at is None:
        raise Conflict(_("Send the briefing first."))
    if briefing.reminded_at is not None:
        raise Conflict(_("The reminder was already sent."))
    user_ids = list(
        BriefingRecipient.objects.filter(briefing=briefing, read_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    briefing.reminded_at = timezone.now()
    briefing.save(update_fields=["reminded_at"])
    _tell(briefing, user_ids, reminder=True)
    return len(user_ids)
