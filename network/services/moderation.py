"""Moderation: reports (DSA Art. 16 notices), cases, decisions with their statement of reasons
(Art. 17) and internal complaints (Art. 20). Pages, the API and other apps all go through
these functions.

Kinds of items. `register()` tells the queue about a kind of item: its model, label, the
actions a moderator may take on it, and how to apply (and undo) them. The network registers
posts, comments, members, organisations and groups below; other apps (story proposals,
suggestions, proofs…) call `register()` from their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import ratelimit
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.mail import subject_line
from core.sanitizer import clean_text
from network.caches import MODERATION_RULES
from network.models import (
    Case,
    Comment,
    Complaint,
    Decision,
    Group,
    HeldReason,
    ModerationAction,
    ModerationSettings,
    NotificationKind,
    Organisation,
    Post,
    Report,
    ReportReason,
    User,
)
from network.models.moderation import COMPLAINT_WINDOW_DAYS, MAX_EXPLANATION_LENGTH
from network.permissions import (
    can_contest,
    can_decide_complaint,
    can_moderate_case,
    can_report,
    can_see_group,
    can_see_member_directory,
    can_see_post,
    is_agency_moderator,
    report_weights,
    skips_first_posts_hold,
)
from network.services.accounts import sign_out_everywhere

Action = ModerationAction
HIDE_AFTER_REPORTS = 3  # distinct members: the item is hidden until a moderator decides
MAX_PREVIEW = 300
MAX_SUSPENSION_DAYS = 365
COMPLAINT_WINDOW = timedelta(days=COMPLAINT_WINDOW_DAYS)
# Reports are rate-limited per reporter: a member by their account, a visitor by their
# address (the caller's `client_key`; an e-mail address would be no key: a visitor types a
# new one for each report). All visitors together also have a ceiling, high enough that one
# address cannot use it up before its own limit stops it.
REPORT_WINDOW = 600  # seconds
REPORTS_PER_WINDOW = 10
VISITOR_REPORTS_PER_WINDOW = 500


def community_rules_url() -> str:
    """The community rules page (a Wagtail page seeded at /community-rules/), in the active
    language, as the footer links it."""
    return reverse("wagtail_serve", args=["community-rules/"])


def default_redress() -> str:
    return _(
        "You can contest this decision within six months with an internal complaint, from "
        "the page of this decision; another moderator will examine it. You may also turn to "
        "a certified out-of-court dispute settlement body or to the courts."
    )


# The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What the queue needs to know about one kind of item."""

    name: str
    model: type
    label: str
    actions: tuple[str, ...]
    can_see: Callable  # (user, item) -> bool
    author_of: Callable  # item -> User | None: whom the decision concerns
    preview_of: Callable  # item -> str
    url_of: Callable  # item -> str
    group_of: Callable = field(default=lambda item: None)  # whose moderators decide
    # (item, action, undo) -> None: make the action (or its reversal) real on the item.
    apply: Callable = field(default=lambda item, action, undo: None)
    # item -> None: publish an item the site held back (hold_for_review) once a moderator
    # dismisses its case; None when this kind is never held.
    release: Callable | None = None
    # Labels of this kind's own actions (beyond ModerationAction's), e.g.
    # {"request_changes": gettext_lazy("Ask for changes")}; `apply` carries them out.
    action_labels: dict = field(default_factory=dict)
    # (item, action, actor=, reason=) -> None: a kind's own action that needs the moderator,
    # carried out by the owning app's service (accept a suggestion, approve a licence);
    # it raises a domain error to refuse, and the whole decision is rolled back.
    decide: Callable | None = None

    def label_of(self, action: str) -> str:
        return self.action_labels.get(action) or dict(Action.choices).get(action, action)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_of(item) -> Kind:
    for kind in KINDS.values():
        if isinstance(item, kind.model):
            return kind
    raise InvalidInput(_("This kind of item cannot be reported."))


def load_item(kind_name: str, item_id):
    """The item of a kind by its id (None when missing)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return None
    try:
        return kind.model._base_manager.filter(pk=int(item_id)).first()
    except (TypeError, ValueError):
        return None


def _set_status(item, action, undo):
    """Posts and comments: hidden or removed (kept, out of sight, so that a reversed
    decision can bring them back), or published again."""
    if action in (Action.HIDE, Action.REMOVE, "auto_hide"):
        status = Post.Status.PUBLISHED if undo else Post.Status.HIDDEN
        type(item).objects.filter(pk=item.pk).update(status=status)
        item.status = status


def _publish_held_post(post):
    from network.services.posts import publish_held_post  # posts calls this module

    publish_held_post(post)


def _publish_held_comment(comment):
    from network.services.posts import publish_held_comment  # posts calls this module

    publish_held_comment(comment)


def _comment_visible(user, comment) -> bool:
    return can_see_post(user, comment.post) and (
        comment.status == Post.Status.PUBLISHED
        or (user.is_authenticated and comment.author_id == user.pk)
        or can_moderate_case_group(user, comment.post.group)
    )


def can_moderate_case_group(user, group) -> bool:
    from network.permissions import can_moderate_group

    return can_moderate_group(user, group) if group is not None else is_agency_moderator(user)


ITEM_ACTIONS = (
    Action.DISMISS,
    Action.HIDE,
    Action.REMOVE,
    Action.WARN,
    Action.SUSPEND,
    Action.BAN_FROM_GROUP,
)
PERSON_ACTIONS = (Action.DISMISS, Action.WARN, Action.SUSPEND)

register(
    Kind(
        name="post",
        model=Post,
        label=gettext_lazy("Post"),
        actions=ITEM_ACTIONS,
        can_see=can_see_post,
        author_of=lambda post: post.author,
        preview_of=lambda post: post.body_text,
        url_of=lambda post: post.get_absolute_url(),
        group_of=lambda post: post.group,
        apply=_set_status,
        release=_publish_held_post,
    )
)
register(
    Kind(
        name="comment",
        model=Comment,
        label=gettext_lazy("Comment"),
        actions=ITEM_ACTIONS,
        can_see=_comment_visible,
        author_of=lambda comment: comment.author,
        preview_of=lambda comment: clean_text(comment.body),
        url_of=lambda comment: f"{comment.post.get_absolute_url()}#comment-{comment.pk}",
        group_of=lambda comment: comment.post.group,
        apply=_set_status,
        release=_publish_held_comment,
    )
)
register(
    Kind(
        name="member",
        model=User,
        label=gettext_lazy("Member"),
        actions=PERSON_ACTIONS,
        can_see=lambda user, person: person.is_active and can_see_member_directory(user),
        author_of=lambda person: person,
        preview_of=lambda person: f"{person.get_display_name()} — {clean_text(person.bio)}",
        url_of=lambda person: reverse("network:person", args=[person.username]),
    )
)
register(
    Kind(
        name="organisation",
        model=Organisation,
        label=gettext_lazy("Organisation"),
        actions=(Action.DISMISS, Action.WARN),
        can_see=lambda user, organisation: True,
        author_of=lambda organisation: (
            User.objects.filter(
                organisation_memberships__organisation=organisation,
                organisation_memberships__role="owner",
            )
            .order_by("pk")
            .first()
        ),
        preview_of=lambda organisation: (
            f"{organisation.name} — {clean_text(organisation.description)}"
        ),
        url_of=lambda organisation: organisation.get_absolute_url(),
    )
)
register(
    Kind(
        name="group",
        model=Group,
        label=gettext_lazy("Group"),
        actions=(Action.DISMISS, Action.WARN),
        can_see=can_see_group,
        author_of=lambda group: group.created_by if hasattr(group, "created_by") else None,
        preview_of=lambda group: f"{group.name} — {clean_text(group.description)}",
        url_of=lambda group: group.get_absolute_url(),
    )
)


def _preview(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_PREVIEW else text[: MAX_PREVIEW - 1] + "…"


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
        ratelimit.hit("report", reporter.pk, limit=REPORTS_PER_WINDOW, window=REPORT_WINDOW)
    else:
        if client_key:
            ratelimit.hit(
                "report-visitor", client_key, limit=REPORTS_PER_WINDOW, window=REPORT_WINDOW
            )
        ratelimit.hit("report", "anonymous", limit=VISITOR_REPORTS_PER_WINDOW, window=REPORT_WINDOW)
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
    from network.models import User

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


# Decisions ---------------------------------------------------------------------------------


def _apply(case: Case, item, action: str, *, actor, decision: Decision, undo: bool = False):
    kind = KINDS.get(case.kind)
    author = decision.affected
    if action not in Action.values and item is not None and kind is not None:
        if kind.decide is not None and not undo:
            kind.decide(item, action, actor=actor, reason=decision.ground)
        else:
            kind.apply(item, action, undo)  # a registered kind's own action
    elif action in (Action.HIDE, Action.REMOVE) and item is not None and kind is not None:
        kind.apply(item, action, undo)
    elif action == Action.DISMISS and case.held_reason and item is not None and kind:
        if kind.release is not None and not undo:
            kind.release(item)  # nothing wrong with it: published now
    elif action == Action.DISMISS and case.auto_hidden and item is not None and kind:
        kind.apply(item, "auto_hide", True)  # the three-report rule's hiding is lifted
    elif action == Action.SUSPEND and author is not None:
        if undo:
            User.objects.filter(pk=author.pk, suspended_until=decision.suspended_until).update(
                suspended_until=None
            )
        else:
            User.objects.filter(pk=author.pk).update(suspended_until=decision.suspended_until)
            sign_out_everywhere(author)
    elif action == Action.BAN_FROM_GROUP and author is not None and case.group is not None:
        from network.services import groups as group_services

        try:
            if undo:
                group_services.unban_member(actor=actor, group=case.group, user=author)
            else:
                group_services.ban_member(
                    actor=actor, group=case.group, user=author, reason=decision.ground[:1000]
                )
        except (Conflict, NotFound):
            pass  # already banned / no longer banned


def _default_language_path(build, *args, **kwargs) -> str:
    """A path as stored for notifications and cases: in the default language (unprefixed),
    whatever the language of the request that made it."""
    with translation.override(settings.LANGUAGE_CODE):
        return build(*args, **kwargs)


def _notify_decision(decision: Decision, *, actor, complaint: Complaint | None = None):
    from network.services.notifications import notify

    url = _default_language_path(reverse, "network:moderation_decision", args=[decision.pk])
    if decision.affected_id and decision.action == Action.DISMISS and decision.case.held_reason:
        notify(
            kind=NotificationKind.MODERATION_DECISION,
            recipients=[decision.affected_id],
            actor=None,
            target=decision,
            event_key=f"moderation:{decision.pk}:released",
            url=decision.case.target_url,
            data={"action": decision.action, "released": True, "kind": decision.case.kind},
        )
    elif decision.affected_id and decision.action != Action.DISMISS:
        notify(
            kind=NotificationKind.MODERATION_DECISION,
            recipients=[decision.affected_id],
            actor=None,
            target=decision,
            event_key=f"moderation:{decision.pk}:{'complaint' if complaint else 'decision'}",
            url=url,
            data={
                "action": decision.action,
                "complaint": complaint.status if complaint else "",
            },
        )
    if complaint is not None:
        return
    reports = list(decision.case.reports.all())
    members = [r.reporter_id for r in reports if r.reporter_id]
    if members:
        notify(
            kind=NotificationKind.MODERATION_OUTCOME,
            recipients=members,
            actor=None,
            target=decision,
            event_key=f"moderation:{decision.pk}:outcome",
            url=decision.case.target_url if decision.action == Action.DISMISS else "",
            data={"action": decision.action},
        )
    visitors = sorted({r.reporter_email for r in reports if not r.reporter_id and r.reporter_email})
    if visitors:
        label = str(dict(Action.choices)[decision.action])

        def send():
            send_mail(
                subject_line(_("Your report was handled")),
                _("Thank you for your report. A moderator decided: %(measure)s.")
                % {"measure": label},
                None,
                visitors,
                fail_silently=True,
            )

        transaction.on_commit(send)


def decide(
    *,
    actor,
    case: Case,
    action: str,
    facts: str,
    ground: str,
    redress: str = "",
    automated: bool = False,
    suspended_until=None,
) -> Decision:
    """Decide an open case: the measure really applies, the member concerned receives the
    statement of reasons, the reporters the outcome."""
    if not can_moderate_case(actor, case):
        raise NotAllowed(_("Only the moderators of this case can decide it."))
    kind = KINDS.get(case.kind)
    allowed = kind.actions if kind is not None else (Action.DISMISS,)
    if action not in allowed:
        raise InvalidInput(_("This measure does not apply to this item."))
    if action == Action.SUSPEND and not is_agency_moderator(actor):
        raise NotAllowed(_("Only agency moderators suspend accounts."))
    if action == Action.BAN_FROM_GROUP and case.group_id is None:
        raise InvalidInput(_("This item is not in a group."))
    facts = clean_text(facts or "").strip()
    ground = clean_text(ground or "").strip()
    redress = clean_text(redress or "").strip() or default_redress()
    if not facts or not ground:
        raise InvalidInput(
            _("A statement of reasons needs the facts and the legal ground or rule applied.")
        )
    if len(facts) > MAX_EXPLANATION_LENGTH or len(ground) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The statement is too long (%(max)s characters at most per field).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    now = timezone.now()
    if action == Action.SUSPEND:
        if suspended_until is None or suspended_until <= now:
            raise InvalidInput(_("A suspension needs an end in the future."))
        if suspended_until > now + timedelta(days=MAX_SUSPENSION_DAYS):
            raise InvalidInput(_("A suspension lasts one year at most."))
    else:
        suspended_until = None
    with transaction.atomic():
        # of=self: PostgreSQL cannot lock the nullable side of the outer join to the group.
        case = Case.objects.select_for_update(of=("self",)).select_related("group").get(pk=case.pk)
        if case.status != Case.Status.OPEN:
            raise Conflict(_("This case is already decided."))
        if action == Action.SUSPEND and case.target_author_id is None:
            raise InvalidInput(_("Nobody to suspend for this item."))
        if action == Action.SUSPEND and case.target_author_id == actor.pk:
            raise InvalidInput(_("You cannot suspend yourself."))
        item = case.target
        decision = Decision.objects.create(
            case=case,
            moderator=actor,
            affected_id=case.target_author_id,
            action=action,
            suspended_until=suspended_until,
            facts=facts,
            ground=ground,
            # The three-report rule or a held post: automated means found the item (Art. 17).
            automated=bool(automated or case.auto_hidden or case.held_reason),
            redress=redress,
        )
        _apply(case, item, action, actor=actor, decision=decision)
        case.status = Case.Status.DECIDED
        case.decided_at = now
        case.save(update_fields=["status", "decided_at"])
        _notify_decision(decision, actor=actor)
    return decision


# Complaints --------------------------------------------------------------------------------


def contest(*, actor, decision: Decision, text: str) -> Complaint:
    """The member a decision concerns contests it, once, within six months."""
    if not can_contest(actor, decision):
        raise NotAllowed(_("Only the member this decision concerns can contest it."))
    if decision.action == Action.DISMISS:
        raise Conflict(_("There is nothing to contest in this decision."))
    if timezone.now() > decision.decided_at + COMPLAINT_WINDOW:
        raise Conflict(_("The six months to contest this decision are over."))
    text = clean_text(text or "").strip()
    if not text:
        raise InvalidInput(_("Explain why you contest this decision."))
    if len(text) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The text is too long (%(max)s characters at most).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    try:
        with transaction.atomic():
            return Complaint.objects.create(decision=decision, author=actor, text=text)
    except IntegrityError:
        raise Conflict(_("You have already contested this decision.")) from None


def decide_complaint(*, actor, complaint: Complaint, outcome: str, response: str = ""):
    """Another moderator upholds or reverses the decision; reversing undoes its measure."""
    if not can_decide_complaint(actor, complaint):
        raise NotAllowed(
            _("A complaint is decided by a moderator other than the one who took the decision.")
        )
    if outcome not in (Complaint.Status.UPHELD, Complaint.Status.REVERSED):
        raise InvalidInput(_("Uphold or reverse the decision."))
    response = clean_text(response or "").strip()
    if len(response) > MAX_EXPLANATION_LENGTH:
        raise InvalidInput(
            _("The answer is too long (%(max)s characters at most).")
            % {"max": MAX_EXPLANATION_LENGTH}
        )
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("decision__case__group", "decision__affected")
            .get(pk=complaint.pk)
        )
        if complaint.status != Complaint.Status.OPEN:
            raise Conflict(_("This complaint is already decided."))
        decision = complaint.decision
        now = timezone.now()
        if outcome == Complaint.Status.REVERSED:
            case = decision.case
            _apply(case, case.target, decision.action, actor=actor, decision=decision, undo=True)
            decision.reversed_at = now
            decision.save(update_fields=["reversed_at"])
        complaint.status = outcome
        complaint.decided_by = actor
        complaint.decided_at = now
        complaint.response = response
        complaint.save(update_fields=["status", "decided_by", "decided_at", "response"])
        _notify_decision(decision, actor=actor, complaint=complaint)
    return complaint


# Blocked words -----------------------------------------------------------------------------


RULES_GENERATION = MODERATION_RULES.generation
RULES_TIMEOUT = MODERATION_RULES.timeout


def _read_rules() -> dict:
    from network.models import BlockedWord, TrustSettings
    from network.trust import SETTINGS_FIELDS

    trust = TrustSettings.load()
    return {
        "words": [(w.pattern, w.is_regex) for w in BlockedWord.objects.all()],
        "held_first_posts": ModerationSettings.load().held_first_posts,
        "trust": {field: getattr(trust, field) for field in SETTINGS_FIELDS},
    }


def _rules() -> dict:
    """The blocked words, the moderation settings and the trust levels' settings, read on
    every post and comment: from the cache (network/caches.py, MODERATION_RULES), under a
    generation that every save or deletion of any of them bumps. Stored only if nothing
    changed while reading (a first load creates the settings' rows, which is such a change;
    the next read stores them)."""
    return MODERATION_RULES.get_or_set(default=_read_rules)


def forget_rules() -> None:
    MODERATION_RULES.forget()


def blocked_word_in(text: str, *, rules: dict | None = None) -> str | None:
    """The first blocked word or pattern found in `text` (case-insensitive), or None. The
    post service can hold a post for review (Post.Status.HELD) when this finds one. `rules`,
    when the caller has read them already (_rules())."""
    import re

    lowered = (text or "").lower()
    for pattern, is_regex in (rules or _rules())["words"]:
        if is_regex:
            try:
                if re.search(pattern, text or "", re.IGNORECASE):
                    return pattern
            except re.error:
                continue
        elif pattern.lower() in lowered:
            return pattern
    return None
