"""Reports (DSA Art. 16 notices), the cases they open, and items held or filed for review."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import ratelimit
from core.errors import InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from network.models import (
    Case,
    HeldReason,
    NotificationKind,
    Post,
    Report,
    ReportReason,
    User,
)
from network.models.moderation import MAX_EXPLANATION_LENGTH
from network.permissions import (
    can_report,
    is_agency_moderator,
    report_weights,
    skips_first_posts_hold,
)
from network.services.moderation import common  # limits read at call time: tests lower them
from network.services.moderation.common import (
    HIDE_AFTER_REPORTS,
    Action,
)
from network.services.moderation.decisions import _default_language_path
from network.services.moderation.kinds import Kind, _preview, kind_of
from network.services.moderation.rules import _rules, blocked_word_in

# Reports -----------------------------------------------------------------------------------


def _clean_report(*, actor, reason, explanation, url, name, email, good_faith):
    if reason not in ReportReason.values:
        raise InvalidInput(_("Choose one of the reasons in the list."))
    explanation = clean_text(explanation or "").strip()
    if len(explanation) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The explanation is too long (%(max)s characters at most).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    url = clean_text(url or "").strip()[:500]
    name = clean_text(name or "").strip()[:150]
    email = (email or "").strip()[:254]
    if actor.is_authenticated:
        name = name or actor.get_display_name()
        email = email or actor.email
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("Enter a valid e-mail address.")) from None
    if reason == ReportReason.ILLEGAL:
        # DSA Art. 16(2): the reasons, the exact location, a name and e-mail, good faith.
        if not explanation:
            raise InvalidInput(_("Explain why you consider this content illegal."))
        if not url:
            raise InvalidInput(_("Give the exact address (URL) of the content."))
        if not name or not email:
            raise InvalidInput(_("A notice of illegal content needs your name and e-mail."))
        if not good_faith:
            raise InvalidInput(
                _("Confirm that you believe in good faith that the information is accurate.")
            )
    return explanation, url, name, email


def _open_case(item, kind: Kind) -> Case:
    target_type = ContentType.objects.get_for_model(item)
    case = (
        Case.objects.select_for_update()
        .filter(target_type=target_type, target_id=item.pk, status=Case.Status.OPEN)
        .first()
    )
    if case is not None:
        return case
    group = kind.group_of(item)
    try:
        with transaction.atomic():
            return Case.objects.create(
                target_type=target_type,
                target_id=item.pk,
                kind=kind.name,
                group=group,
                target_author=kind.author_of(item),
                preview=_preview(kind.preview_of(item)),
                target_url=_default_language_path(kind.url_of, item)[:500],
            )
    except IntegrityError:  # another report opened it meanwhile
        return Case.objects.select_for_update().get(
            target_type=target_type, target_id=item.pk, status=Case.Status.OPEN
        )


def held_reason_for(author, text: str) -> str:
    """Why a new post by `author` saying `text` must wait for a moderator (a HeldReason), or
    "" to publish it at once."""
    rules = _rules()
    if blocked_word_in(text, rules=rules) is not None:
        return HeldReason.BLOCKED_WORD
    held_first_posts = rules["held_first_posts"]
    if held_first_posts and not (author.is_staff or is_agency_moderator(author)):
        published = Post.objects.filter(author=author, status=Post.Status.PUBLISHED)
        if published.count() < held_first_posts and not skips_first_posts_hold(author):
            return HeldReason.FIRST_POSTS
    return ""


def hold_for_review(item, *, reason: str) -> Case:
    """Put an item the site held back (a HeldReason) in the queue, hidden until a moderator
    decides: dismissing the case publishes it (its kind's `release`)."""
    with transaction.atomic():
        case = _open_case(item, kind_of(item))
        Case.objects.filter(pk=case.pk).update(auto_hidden=True, held_reason=reason)
        case.auto_hidden, case.held_reason = True, reason
    return case


def file_for_review(item) -> Case:
    """Put an item that waits for staff (a proposal, a request) in the one queue, without a
    report: its kind's actions decide it there, or its own screens do and call
    `close_case_for`."""
    with transaction.atomic():
        return _open_case(item, kind_of(item))


def close_case_for(item) -> None:
    """The item was decided outside the queue (its own admin screen): its open case, if any,
    is closed."""
    Case.objects.filter(
        target_type=ContentType.objects.get_for_model(item),
        target_id=item.pk,
        status=Case.Status.OPEN,
    ).update(status=Case.Status.DECIDED, decided_at=timezone.now())


def report(
    *,
    actor,
    target,
    reason: str,
    explanation: str = "",
    url: str = "",
    name: str = "",
    email: str = "",
    good_faith: bool = False,
    client_key: str = "",
) -> Report:
    """Report an item. The same member reporting the same open case again adds nothing (their
    first report is returned). Three distinct members' reports hide a post or comment until
    a moderator decides."""
    if not can_report(actor):
        raise NotAllowed()
    kind = kind_of(target)
    if target is None or not kind.can_see(actor, target):
        raise NotFound(_("This content does not exist or is not visible to you."))
    explanation, url, name, email = _clean_report(
        actor=actor,
        reason=reason,
        explanation=explanation,
        url=url,
        name=name,
        email=email,
        good_faith=good_faith,
    )
    reporter = actor if actor.is_authenticated else None
    if reporter is not None:
        ratelimit.hit(
            "report", reporter.pk, limit=common.REPORTS_PER_WINDOW, window=common.REPORT_WINDOW
        )
    else:
        if client_key:
            ratelimit.hit(
                "report-visitor",
                client_key,
                limit=common.REPORTS_PER_WINDOW,
                window=common.REPORT_WINDOW,
            )
        ratelimit.hit(
            "report",
            "anonymous",
            limit=common.VISITOR_REPORTS_PER_WINDOW,
            window=common.REPORT_WINDOW,
        )
    with transaction.atomic():
        case = _open_case(target, kind)
        if reporter is not None:
            existing = case.reports.filter(reporter=reporter).first()
            if existing is not None:
                return existing
        created = Report.objects.create(
            case=case,
            reporter=reporter,
            reporter_name=name,
            reporter_email=email,
            reason=reason,
            explanation=explanation,
            url=url,
            good_faith=bool(good_faith),
        )
        Case.objects.filter(pk=case.pk).update(report_count=F("report_count") + 1)
        can_hide = Action.HIDE in kind.actions  # members, organisations, groups are not hidden
        if can_hide and not case.auto_hidden and _report_weight(case) >= HIDE_AFTER_REPORTS:
            kind.apply(target, "auto_hide", False)
            Case.objects.filter(pk=case.pk).update(auto_hidden=True)
            _notify_auto_hidden(case)
    return created


def _report_weight(case: Case) -> int:
    """The distinct members who reported the case, a trusted member's report counting for
    more (TrustSettings' flag weight)."""

    reporters = User.objects.filter(
        pk__in=case.reports.filter(reporter__isnull=False).values("reporter")
    )
    return sum(report_weights(reporters).values())


def _notify_auto_hidden(case: Case) -> None:
    """The author learns at once that an automated rule hid their item, and why (Art. 17);
    the moderator's decision and its full statement follow."""
    from network.services.notifications import notify

    if case.target_author_id:
        notify(
            kind=NotificationKind.MODERATION_DECISION,
            recipients=[case.target_author_id],
            actor=None,
            target=case,
            event_key=f"moderation:case:{case.pk}:auto_hidden",
            url=case.target_url,
            data={"auto_hidden": True, "kind": case.kind, "reports": HIDE_AFTER_REPORTS},
        )
