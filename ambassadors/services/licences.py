"""Applications, decisions, licences and the charter."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from taggit.utils import parse_tags

from content.models import Area
from core.errors import Conflict, InvalidInput, NotAllowed
from core.mail import subject_line
from core.sanitizer import clean_text

from ..cache import forget_markers
from ..links.safety import validate_public_url
from ..models import Application, Charter, Licence, Profile
from ..models.licences import join_codes
from ..permissions import can_apply, is_programme_staff, licence_of

MAX_LINKS = 5
REMIND_DAYS = 30


def licence_days() -> int:
    return getattr(settings, "AMBASSADOR_LICENCE_DAYS", 365)


def _clean_tags(text: str) -> str:
    tags = [clean_text(tag)[:50] for tag in parse_tags(clean_text(text or ""))][:15]
    return ", ".join(tag for tag in tags if tag)[:300]


def _clean_links(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_LINKS:
        raise InvalidInput(_("Give %(max)s links at most.") % {"max": MAX_LINKS})
    try:
        return "\n".join(validate_public_url(line) for line in lines)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0]) from exc


@transaction.atomic
def submit_application(
    *,
    actor,
    motivation: str,
    areas=(),
    interests: str = "",
    skills: str = "",
    languages=(),
    links: str = "",
    charter_version: int | None,
) -> Application:
    if not can_apply(actor):
        raise NotAllowed(_("Sign in with an active account to apply."))
    if licence_of(actor) is not None and licence_of(actor).is_valid():
        raise Conflict(_("You already are an ambassador."))
    if Application.objects.filter(
        applicant=actor, status__in=[Application.Status.PENDING, Application.Status.MORE_INFO]
    ).exists():
        raise Conflict(_("Your application is already waiting for a decision."))
    charter = Charter.current()
    if charter is None or charter_version != charter.version:
        raise InvalidInput(_("Accept the current version of the charter."))
    motivation = clean_text(motivation or "")[:3000]
    if len(motivation) < 20:
        raise InvalidInput(_("Tell us in a few sentences why you want to be an ambassador."))
    application = Application.objects.create(
        applicant=actor,
        motivation=motivation,
        interests=_clean_tags(interests),
        skills=_clean_tags(skills),
        languages=join_codes(languages),
        links=_clean_links(links),
        charter_version=charter.version,
    )
    application.areas.set(Area.objects.filter(pk__in=[getattr(a, "pk", a) for a in areas]))
    return application


@transaction.atomic
def decide_application(
    *, actor, application: Application, decision: str, reason: str = "", note: str = ""
) -> Application:
    """approve | decline | more_info. Declining and asking for more need a reason, which the
    applicant reads; the committee note stays with staff."""
    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff decide applications."))
    if application.applicant_id == actor.pk:
        raise NotAllowed(_("You cannot decide your own application."))
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Application.Status.PENDING, Application.Status.MORE_INFO):
        raise Conflict(_("This application is already decided."))
    reason = clean_text(reason or "")[:2000]
    statuses = {
        "approve": Application.Status.APPROVED,
        "decline": Application.Status.DECLINED,
        "more_info": Application.Status.MORE_INFO,
    }
    if decision not in statuses:
        raise InvalidInput(_("Unknown decision."))
    if decision != "approve" and not reason:
        raise InvalidInput(_("Give the applicant a reason."))
    application.status = statuses[decision]
    application.decision_reason = reason
    application.committee_note = clean_text(note or "")[:4000] or application.committee_note
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save()
    if decision == "approve":
        grant_licence(application=application)
    _tell_applicant(application)
    return application


def grant_licence(*, application: Application) -> Licence:
    today = timezone.localdate()
    licence, _created = Licence.objects.update_or_create(
        holder=application.applicant,
        defaults={
            "starts_on": today,
            "expires_on": today + timedelta(days=licence_days()),
            "status": Licence.Status.ACTIVE,
            "charter_version": application.charter_version,
            "application": application,
            "reminded_for": None,
        },
    )
    profile, _created = Profile.objects.get_or_create(user=application.applicant)
    refresh_listed(user_ids=[application.applicant_id])
    profile.areas.add(*application.areas.all())
    profile.interests.add(*parse_tags(application.interests))
    profile.skills.add(*parse_tags(application.skills))
    if not profile.languages:
        profile.languages = application.languages
        profile.save(update_fields=["languages"])
    application.applicant._ambassador_licence = licence
    return licence


def refresh_listed(*, user_ids=None, today=None) -> int:
    """Make each profile's `listed` say whether its member's licence is valid `today`: for
    the members of `user_ids` (the licence services, in their transaction) or for everyone
    (the daily task, when licences start and expire). Returns how many profiles changed."""
    today = today or timezone.localdate()
    valid = Licence.objects.filter(Licence.valid_q(today=today)).values("holder_id")
    profiles = Profile.objects.all()
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    changed = profiles.filter(listed=False, user_id__in=valid).update(listed=True)
    changed += profiles.filter(listed=True).exclude(user_id__in=valid).update(listed=False)
    if changed:
        forget_markers()
    return changed


@transaction.atomic
def revoke_licence(*, actor, licence: Licence) -> Licence:
    """Staff withdraw a licence: its holder leaves the directory and the leaderboards at
    once and loses ambassador rights; only a new application brings them back."""
    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff revoke or renew licences."))
    if licence.holder_id == actor.pk:
        raise NotAllowed(_("You cannot revoke or renew your own licence."))
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status == Licence.Status.REVOKED:
        raise Conflict(_("This licence is already revoked."))
    licence.status = Licence.Status.REVOKED
    licence.save(update_fields=["status"])
    refresh_listed(user_ids=[licence.holder_id])
    return licence


@transaction.atomic
def renew_licence(*, actor, licence: Licence) -> Licence:
    """Staff extend a licence by the licence's length, from its expiry if it is still
    running, from today if it has expired; a revoked licence needs a new application."""
    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff revoke or renew licences."))
    if licence.holder_id == actor.pk:
        raise NotAllowed(_("You cannot revoke or renew your own licence."))
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if licence.status == Licence.Status.REVOKED:
        raise Conflict(_("This licence is revoked: its holder has to apply again."))
    today = timezone.localdate()
    licence.starts_on = min(licence.starts_on, today)
    licence.expires_on = max(licence.expires_on, today) + timedelta(days=licence_days())
    licence.reminded_for = None
    licence.save(update_fields=["starts_on", "expires_on", "reminded_for"])
    refresh_listed(user_ids=[licence.holder_id])
    return licence


def _tell_applicant(application: Application) -> None:
    subject = {
        Application.Status.APPROVED: _("Welcome, ambassador!"),
        Application.Status.DECLINED: _("Your ambassador application"),
        Application.Status.MORE_INFO: _("Your ambassador application: a question"),
    }[application.status]
    body = {
        Application.Status.APPROVED: _("Your application is approved: your licence starts today."),
        Application.Status.DECLINED: _("Your application was not accepted: %(reason)s"),
        Application.Status.MORE_INFO: _("The agency asks for more information: %(reason)s"),
    }[application.status] % {"reason": application.decision_reason}
    email = application.applicant.email
    if email:
        transaction.on_commit(
            lambda: send_mail(subject_line(subject), body, None, [email], fail_silently=True)
        )


def needs_charter(user) -> bool:
    """A valid licence holder who has not accepted the current charter version yet."""
    licence = licence_of(user)
    if licence is None or not licence.is_valid():
        return False
    charter = Charter.current()
    return charter is not None and licence.charter_version < charter.version


@transaction.atomic
def accept_charter(*, actor, version: int) -> Licence:
    licence = licence_of(actor)
    if licence is None:
        raise NotAllowed(_("Only ambassadors accept the charter."))
    charter = Charter.current()
    if charter is None or charter.version != version:
        raise Conflict(_("The charter changed meanwhile: read the current version."))
    Licence.objects.filter(pk=licence.pk).update(charter_version=version)
    licence.charter_version = version
    return licence


def remind_expiring_licences(*, today=None) -> int:
    """Tell each holder once, 30 days before their licence expires. Returns how many."""
    today = today or timezone.localdate()
    due = (
        Licence.objects.select_related("holder")
        .filter(
            status=Licence.Status.ACTIVE,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(days=REMIND_DAYS),
        )
        .exclude(reminded_for=F_expiry())
    )
    count = 0
    for licence in due:
        updated = (
            Licence.objects.filter(pk=licence.pk)
            .exclude(reminded_for=licence.expires_on)
            .update(reminded_for=licence.expires_on)
        )
        if not updated:
            continue
        count += 1
        if licence.holder.email:
            send_mail(
                subject_line(_("Your ambassador licence expires soon")),
                _(
                    "Your licence expires on %(date)s. Ask the agency to renew it to keep your "
                    "missions, links and place in the leaderboards."
                )
                % {"date": licence.expires_on},
                None,
                [licence.holder.email],
                fail_silently=True,
            )
    return count


def F_expiry():  # noqa: N802 - reads as the column
    from django.db.models import F

    return F("expires_on")
