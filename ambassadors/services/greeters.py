"""Greeters (the Global Greeters model, free by design): a visitor without an account asks to
meet a resident; ambassadors who opted in are proposed; the first to accept wins; both get
each other's contact by e-mail; both may leave a short feedback after the date.

The visitor is known only by a confirmed e-mail: every link they get is signed
(`django.core.signing`), and what identifies them is blanked once the visit is long past
(`purge_greeter_data`, a beat task)."""

import time
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import ratelimit
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.mail import site_url, subject_line
from core.sanitizer import clean_text

from ..models import (
    Greeter,
    GreeterFeedback,
    GreeterProposal,
    GreeterRequest,
    Profile,
)
from ..models.licences import LANGUAGE_CODES, join_codes
from ..permissions import is_ambassador, is_programme_staff

NOTIFICATION_KIND = "greeter_request"
LINK_SALT = "ambassadors.greeters.link"
FORM_SALT = "ambassadors.greeters.form"
MAX_GROUP = 6
MAX_DAYS = 30  # a request covers at most this many days
MAX_AHEAD_DAYS = 365
PROPOSE_AT_MOST = 5
FEEDBACK_MAX = 500
CONFIRM_MAX_AGE = 2 * 24 * 3600
FEEDBACK_MAX_AGE = 400 * 24 * 3600
# The bot checks of the public form: a human takes a few seconds, a stale form is refused.
MIN_FILL_SECONDS = 3
MAX_FORM_AGE = 2 * 3600
RATE_PER_ADDRESS = (5, 3600)  # requests per client address per hour
RATE_PER_EMAIL = (3, 24 * 3600)  # and per e-mail per day


def purge_after_days() -> int:
    """The visitor's name, e-mail and message are kept this long after the visit."""
    return getattr(settings, "GREETER_PURGE_AFTER_DAYS", 90)


def register_notification_kind() -> None:
    from network.registries import NotificationKindSpec
    from network.registries import register_notification_kind as register

    register(
        NotificationKindSpec(
            key=NOTIFICATION_KIND,
            label=gettext_lazy("Visitors who would like to meet a greeter"),
            default_channel="email",
            sentence=gettext_lazy("A visitor would like to meet a greeter (%(dates)s)."),
        )
    )


# Signed links and the form's stamp --------------------------------------------------------------


def link_token(request: GreeterRequest, action: str) -> str:
    return signing.dumps({"r": request.pk, "a": action}, salt=LINK_SALT)


def _from_token(token: str, action: str, max_age: int) -> GreeterRequest:
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidInput(_("This link has expired.")) from exc
    except signing.BadSignature as exc:
        raise NotFound(_("This link is not valid.")) from exc
    if not isinstance(data, dict) or data.get("a") != action:
        raise NotFound(_("This link is not valid."))
    found = GreeterRequest.objects.filter(pk=data.get("r"), purged_at__isnull=True).first()
    if found is None:
        raise NotFound(_("This request no longer exists."))
    return found


def request_from_token(token: str, action: str) -> GreeterRequest:
    max_age = CONFIRM_MAX_AGE if action == "confirm" else FEEDBACK_MAX_AGE
    return _from_token(token, action, max_age)


def form_stamp(now: float | None = None) -> str:
    """The public form's signed time: a bot that posts at once, or replays an old form, is
    refused without any third-party captcha."""
    return signing.dumps({"t": int(now if now is not None else time.time())}, salt=FORM_SALT)


def check_human(*, stamp: str, honeypot: str, now: float | None = None) -> None:
    now = now if now is not None else time.time()
    if honeypot:
        raise InvalidInput(_("Your request could not be sent. Please try again."))
    try:
        sent = signing.loads(stamp or "", salt=FORM_SALT, max_age=MAX_FORM_AGE)["t"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise InvalidInput(
            _("This form has expired. Please check your answers and send it again.")
        ) from exc
    if not isinstance(sent, int) or now - sent > MAX_FORM_AGE:
        raise InvalidInput(_("This form has expired. Please check your answers and send it again."))
    if now - sent < MIN_FILL_SECONDS:
        raise InvalidInput(_("That was quick! Please check your answers and send it again."))


# The visitor's side ---------------------------------------------------------------------------


def _clean_request(*, name, email, date_from, date_to, group_size, languages, interests, message):
    today = timezone.localdate()
    name = clean_text(name or "").strip()
    if not name or len(name) > 80:
        raise InvalidInput(_("Give your first name (80 characters at most)."))
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("Give a valid e-mail address.")) from exc
    if date_from is None or date_to is None:
        raise InvalidInput(_("Give the dates of your stay."))
    if date_from < today:
        raise InvalidInput(_("The dates must be in the future."))
    if date_to < date_from:
        raise InvalidInput(_("The end of your stay comes before its start."))
    if (date_to - date_from).days > MAX_DAYS or date_from > today + timedelta(MAX_AHEAD_DAYS):
        raise InvalidInput(
            _("Ask for a stay of at most %(days)s days, within a year.") % {"days": MAX_DAYS}
        )
    if not isinstance(group_size, int) or not 1 <= group_size <= MAX_GROUP:
        raise InvalidInput(
            _("Greeters welcome groups of 1 to %(max)s people.") % {"max": MAX_GROUP}
        )
    codes = [code for code in languages or () if code in LANGUAGE_CODES]
    if not codes:
        raise InvalidInput(_("Choose at least one language you speak."))
    interests = ", ".join(
        dict.fromkeys(
            part.strip().lower() for part in clean_text(interests or "").split(",") if part.strip()
        )
    )
    if len(interests) > 300:
        raise InvalidInput(_("Name fewer interests (300 characters at most)."))
    message = clean_text(message or "").strip()
    if len(message) > 1000:
        raise InvalidInput(_("Your message is too long (1,000 characters at most)."))
    return name, email, join_codes(codes), interests, message


def request_greeter(
    *,
    name: str,
    email: str,
    date_from,
    date_to,
    group_size: int,
    languages,
    interests: str = "",
    area=None,
    message: str = "",
    client: str = "",
) -> GreeterRequest:
    """A visitor's request, waiting for the confirmation of their e-mail."""
    name, email, languages, interests, message = _clean_request(
        name=name,
        email=email,
        date_from=date_from,
        date_to=date_to,
        group_size=group_size,
        languages=languages,
        interests=interests,
        message=message,
    )
    ratelimit.hit(
        "greeter-request", client or "-", limit=RATE_PER_ADDRESS[0], window=RATE_PER_ADDRESS[1]
    )
    ratelimit.hit(
        "greeter-request-email", email.lower(), limit=RATE_PER_EMAIL[0], window=RATE_PER_EMAIL[1]
    )
    with transaction.atomic():
        request = GreeterRequest.objects.create(
            visitor_name=name,
            visitor_email=email,
            visitor_language=(translation.get_language() or "fr")[:8],
            date_from=date_from,
            date_to=date_to,
            group_size=group_size,
            languages=languages,
            interests=interests,
            area=area,
            message=message,
        )
        url = site_url(
            reverse("ambassadors:greeter_confirm", args=[link_token(request, "confirm")])
        )
        body = _(
            "Hello %(name)s,\n\nPlease confirm your request to meet a greeter by opening this "
            "link (valid for two days):\n%(url)s\n\nIf you did not ask for anything, ignore "
            "this message: nothing will happen."
        ) % {"name": name, "url": url}
        title = _("Confirm your request to meet a greeter")
        transaction.on_commit(
            lambda: send_mail(subject_line(title), body, None, [email], fail_silently=True)
        )
    return request


def _date_range(request: GreeterRequest) -> str:
    from django.utils.formats import date_format

    start = date_format(request.date_from, "SHORT_DATE_FORMAT")
    if request.date_to == request.date_from:
        return start
    return f"{start} – {date_format(request.date_to, 'SHORT_DATE_FORMAT')}"


def matching_greeters(request: GreeterRequest, *, limit: int = PROPOSE_AT_MOST) -> list[int]:
    """The user ids of the greeters to propose: valid ambassadors who opted in, speak one of
    the visitor's languages and know the area (or an area inside or around it); those who
    share most of the visitor's interests first, then the least asked."""
    from ..selectors import ambassadors

    profiles = ambassadors().filter(greeter=True)
    offer, none = "user__greeter_offer__", {"user__greeter_offer__isnull": True}
    speaks = Q()
    for code in request.language_codes:
        speaks |= Q(**{f"{offer}languages__contains": f",{code},"}) | Q(
            languages__contains=f",{code},", **none
        )
    profiles = profiles.filter(speaks)
    if request.area_id:
        area = request.area
        ids = set(area.descendant_ids())
        parent = area.parent
        while parent is not None:
            ids.add(parent.pk)
            parent = parent.parent
        profiles = profiles.filter(
            Q(**{f"{offer}areas__in": ids}) | Q(areas__in=ids, **none)
        ).distinct()
    candidates = list(
        profiles.select_related("user__greeter_offer").prefetch_related("interests")[:200]
    )
    wanted = set(request.interest_list)
    asked = dict(
        GreeterProposal.objects.filter(greeter_id__in=[p.user_id for p in candidates])
        .values_list("greeter_id")
        .annotate(n=Count("pk"))
    )

    def shared(profile) -> int:
        offered = getattr(profile.user, "greeter_offer", None)
        names = (
            {part.strip().lower() for part in offered.interests.split(",") if part.strip()}
            if offered is not None
            else {tag.name.lower() for tag in profile.interests.all()}
        )
        return len(wanted & names)

    candidates.sort(key=lambda p: (-shared(p), asked.get(p.user_id, 0), p.user_id))
    return [profile.user_id for profile in candidates[:limit]]


def confirm_request(*, token: str) -> GreeterRequest:
    """The visitor's e-mail is confirmed: the request opens and matching greeters are told.
    A second click changes nothing."""
    found = request_from_token(token, "confirm")
    with transaction.atomic():
        request = GreeterRequest.objects.select_for_update().get(pk=found.pk)
        if request.status != GreeterRequest.Status.UNCONFIRMED:
            return request
        request.status = GreeterRequest.Status.OPEN
        request.confirmed_at = timezone.now()
        request.save(update_fields=["status", "confirmed_at"])
        propose(request)
    return request


def propose(request: GreeterRequest) -> list[int]:
    from network.services.notifications import notify

    ids = matching_greeters(request)
    GreeterProposal.objects.bulk_create(
        [GreeterProposal(request=request, greeter_id=user_id) for user_id in ids],
        ignore_conflicts=True,
    )
    if ids:
        notify(
            kind=NOTIFICATION_KIND,
            recipients=ids,
            actor=None,
            target=request,
            event_key=f"greeter:{request.pk}",
            url=reverse("ambassadors:greeter_request", args=[request.pk]),
            data={"dates": _date_range(request)},
        )
    return ids


# The greeter's side ---------------------------------------------------------------------------


def _check_greeter(actor) -> None:
    if not is_ambassador(actor):
        raise NotAllowed(_("Only ambassadors welcome visitors as greeters."))


@transaction.atomic
def save_greeter_offer(*, actor, active: bool, languages, areas, interests: str) -> Greeter:
    _check_greeter(actor)
    interests = ", ".join(
        dict.fromkeys(
            part.strip().lower() for part in clean_text(interests or "").split(",") if part.strip()
        )
    )
    if len(interests) > 300:
        raise InvalidInput(_("Name fewer interests (300 characters at most)."))
    codes = join_codes(languages or ())
    if active and not codes:
        raise InvalidInput(_("Choose at least one language you greet in."))
    offer, _created = Greeter.objects.update_or_create(
        user=actor, defaults={"languages": codes, "interests": interests}
    )
    offer.areas.set(areas or [])
    profile, _created = Profile.objects.get_or_create(user=actor)
    if profile.greeter != active:
        Profile.objects.filter(pk=profile.pk).update(greeter=active)
    if active:
        from .badges import evaluate_badges

        evaluate_badges([actor.pk])
    return offer


def get_request_for(actor, pk: int) -> GreeterRequest:
    """A request proposed to `actor` (or any, for staff); NotFound otherwise, the same answer
    for one that does not exist."""
    request = GreeterRequest.objects.select_related("area", "greeter").filter(pk=pk).first()
    if request is None or request.status == GreeterRequest.Status.UNCONFIRMED:
        raise NotFound(_("No such request."))
    if is_programme_staff(actor):
        return request
    if not is_ambassador(actor) or not (
        request.greeter_id == actor.pk
        or GreeterProposal.objects.filter(request=request, greeter=actor).exists()
    ):
        raise NotFound(_("No such request."))
    return request


def accept_request(*, actor, request: GreeterRequest) -> GreeterRequest:
    """The first greeter to accept wins (one conditional UPDATE, so two at once cannot both
    win); the others find it taken. Both sides then get each other's contact by e-mail."""
    _check_greeter(actor)
    request = get_request_for(actor, request.pk)
    if not GreeterProposal.objects.filter(request=request, greeter=actor).exists():
        raise NotAllowed(_("This request was not proposed to you."))
    if request.date_to < timezone.localdate():
        raise Conflict(_("The visitor's stay is over."))
    with transaction.atomic():
        won = GreeterRequest.objects.filter(
            pk=request.pk, status=GreeterRequest.Status.OPEN, greeter__isnull=True
        ).update(status=GreeterRequest.Status.MATCHED, greeter=actor, matched_at=timezone.now())
        if not won:
            current = GreeterRequest.objects.get(pk=request.pk)
            if current.greeter_id == actor.pk:
                raise Conflict(_("You already accepted this request."))
            if current.status == GreeterRequest.Status.MATCHED:
                raise Conflict(_("Another greeter already accepted this request."))
            raise Conflict(_("This request is no longer open."))
        request.refresh_from_db()
        transaction.on_commit(lambda: _introduce(request.pk))
    return request


def _introduce(request_pk: int) -> None:
    """Each side gets the other's contact, in their own language."""
    request = GreeterRequest.objects.select_related("greeter", "area").get(pk=request_pk)
    greeter = request.greeter
    feedback = site_url(
        reverse("ambassadors:greeter_feedback", args=[link_token(request, "feedback")])
    )
    with translation.override(request.visitor_language):
        body = _(
            "Hello %(name)s,\n\n%(greeter)s, a resident and ambassador of the territory, will "
            "be glad to meet you (%(dates)s). Write to them to agree on a time and a place: "
            "%(email)s\n\nAfter your visit, tell us how it went: %(feedback)s"
        ) % {
            "name": request.visitor_name,
            "greeter": greeter.get_display_name(),
            "dates": _date_range(request),
            "email": greeter.email,
            "feedback": feedback,
        }
        visitor_mail = (_("A greeter will meet you"), body, request.visitor_email)
    with translation.override(greeter.preferred_language or settings.LANGUAGE_CODE):
        body = _(
            "Thank you for welcoming %(name)s (a group of %(size)s, %(dates)s, %(area)s). "
            "Their e-mail: %(email)s\n\nTheir message: %(message)s\n\nAfter the visit, leave "
            "a word about it: %(url)s"
        ) % {
            "name": request.visitor_name,
            "size": request.group_size,
            "dates": _date_range(request),
            "area": request.area.name if request.area else "—",
            "email": request.visitor_email,
            "message": request.message or "—",
            "url": site_url(reverse("ambassadors:greeter_request", args=[request.pk])),
        }
        greeter_mail = (_("Your visitor's contact"), body, greeter.email)
    for title, body, to in (visitor_mail, greeter_mail):
        if to:
            send_mail(subject_line(title), body, None, [to], fail_silently=True)


def _clean_feedback(text: str) -> str:
    text = clean_text(text or "").strip()
    if not text:
        raise InvalidInput(_("Write a few words."))
    if len(text) > FEEDBACK_MAX:
        raise InvalidInput(_("Keep it short (%(max)s characters at most).") % {"max": FEEDBACK_MAX})
    return text


def _add_feedback(request: GreeterRequest, author: str, text: str) -> GreeterFeedback:
    if request.status != GreeterRequest.Status.MATCHED:
        raise Conflict(_("No greeter met this visitor."))
    if request.date_from > timezone.localdate():
        raise Conflict(_("Come back after the visit to leave a feedback."))
    text = _clean_feedback(text)
    with transaction.atomic():
        feedback, created = GreeterFeedback.objects.get_or_create(
            request=request, author=author, defaults={"text": text}
        )
    if not created:
        raise Conflict(_("Your feedback is already recorded. Thank you!"))
    return feedback


def leave_greeter_feedback(*, actor, request: GreeterRequest, text: str) -> GreeterFeedback:
    request = GreeterRequest.objects.get(pk=request.pk)
    if request.greeter_id != actor.pk:
        raise NotAllowed(_("Only the greeter who met the visitor leaves this feedback."))
    return _add_feedback(request, GreeterFeedback.Author.GREETER, text)


def leave_visitor_feedback(*, token: str, text: str) -> GreeterFeedback:
    request = request_from_token(token, "feedback")
    return _add_feedback(request, GreeterFeedback.Author.VISITOR, text)


# Staff and housekeeping -----------------------------------------------------------------------


def purge_greeter_data(today=None) -> dict:
    """Unconfirmed requests go after a week; a visit's name, e-mail and message are blanked
    `purge_after_days()` after it (the anonymous request stays for the agency's figures)."""
    today = today or timezone.localdate()
    now = timezone.now()
    stale, _kinds = GreeterRequest.objects.filter(
        status=GreeterRequest.Status.UNCONFIRMED, created_at__lt=now - timedelta(days=7)
    ).delete()
    old = GreeterRequest.objects.filter(
        purged_at__isnull=True, date_to__lt=today - timedelta(days=purge_after_days())
    ).exclude(status=GreeterRequest.Status.UNCONFIRMED)
    with transaction.atomic():
        ids = list(old.values_list("pk", flat=True))
        GreeterProposal.objects.filter(request_id__in=ids).delete()
        purged = GreeterRequest.objects.filter(pk__in=ids).update(
            visitor_name="", visitor_email="", message="", purged_at=now
        )
    return {"deleted": stale, "purged": purged}


def waiting_requests():
    """Confirmed requests no greeter took, soonest visit first (the staff's list)."""
    return (
        GreeterRequest.objects.filter(
            status=GreeterRequest.Status.OPEN,
            greeter__isnull=True,
            date_to__gte=timezone.localdate(),
        )
        .select_related("area")
        .order_by("date_from", "pk")
    )
