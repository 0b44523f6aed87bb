"""Deliverables: the creator's draft, checked against the mention rule on submission and
reviewed in the one moderation queue (approve, ask for changes with comments, reject: each a
logged decision); then the published URL, fetched once by a task."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from core.validators import validate_image_upload

from ...links.safety import validate_public_url
from ..models import Campaign, Deliverable, DeliverableEvent, Engagement, Platform
from ..permissions import can_see_deliverable, is_campaign_staff
from ..rules import missing_mentions
from .ledger import contract_blocking
from .notices import tell

KIND = "campaign_deliverable"
IMAGE_MAX_BYTES = 8 * 1024 * 1024
REVIEW_ACTIONS = ("approve", "request_changes", "reject")


class NonCompliant(InvalidInput):
    """A content refused for a missing mention: the message says which and why."""

    code = "non_compliant"


def _log(deliverable, action, *, actor=None, comment=""):
    DeliverableEvent.objects.create(
        deliverable=deliverable, actor=actor, action=action, comment=comment[:4000]
    )


def _clean_url(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        return validate_public_url(value)
    except ValidationError as exc:
        raise InvalidInput(exc.messages[0]) from exc


def get_deliverable_for(user, deliverable_id) -> Deliverable:
    deliverable = (
        Deliverable.objects.select_related("engagement__campaign", "engagement__creator", "spec")
        .filter(pk=deliverable_id)
        .first()
    )
    if deliverable is None or not can_see_deliverable(user, deliverable):
        raise NotFound(_("No such content."))
    return deliverable


@transaction.atomic
def submit(
    *,
    actor,
    campaign: Campaign,
    text: str,
    platform: str = "",
    spec_id=None,
    video_url: str = "",
    image=None,
    declares_retouched: bool = False,
    declares_virtual: bool = False,
    deliverable: Deliverable | None = None,
) -> Deliverable:
    """Send a draft for review (or a new version of one staff asked changes on). A gifted
    or paid content without its mention is refused with the reason, and nothing is kept."""
    if not (actor and actor.is_authenticated):
        raise NotAllowed(_("Sign in to send a content."))
    engagement = (
        Engagement.objects.select_for_update()
        .select_related("campaign", "creator")
        .filter(campaign=campaign, creator=actor)
        .first()
    )
    if engagement is None or not engagement.takes_part:
        raise NotAllowed(_("Accept the brief before sending contents for it."))
    campaign = engagement.campaign
    if campaign.status not in (Campaign.Status.OPEN, Campaign.Status.CLOSED):
        raise Conflict(_("This brief does not take contents any more."))
    text = clean_text(text or "").strip()
    if not text:
        raise InvalidInput(_("Write the content's text (or its caption)."))
    if len(text) > 5000:
        raise InvalidInput(_("The text is too long (5,000 characters at most)."))
    platform = platform or (deliverable.platform if deliverable else "")
    spec = None
    if spec_id:
        spec = campaign.deliverable_specs.filter(pk=spec_id).first()
        if spec is None:
            raise InvalidInput(_("This deliverable is not one the brief asks for."))
        platform = platform or spec.platform
    if platform not in Platform.values:
        raise InvalidInput(_("Choose the platform of the content."))
    video_url = _clean_url(video_url)
    if image is not None:
        try:
            validate_image_upload(image, max_bytes=IMAGE_MAX_BYTES)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0]) from exc
    reasons = missing_mentions(
        campaign, text, retouched=declares_retouched, virtual=declares_virtual
    )
    if reasons:
        raise NonCompliant(" ".join(reasons))
    if deliverable is not None:
        deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        if deliverable.engagement_id != engagement.pk:
            raise NotFound(_("No such content."))
        if deliverable.status != Deliverable.Status.CHANGES:
            raise Conflict(_("This content is not waiting for changes."))
        deliverable.revision += 1
    else:
        deliverable = Deliverable(engagement=engagement)
    deliverable.engagement = engagement
    deliverable.spec = spec or deliverable.spec
    deliverable.platform = platform
    deliverable.text = text
    deliverable.video_url = video_url
    deliverable.declares_retouched = bool(declares_retouched)
    deliverable.declares_virtual = bool(declares_virtual)
    deliverable.status = Deliverable.Status.WAITING
    deliverable.submitted_at = timezone.now()
    if image is not None:
        deliverable.image = image
    deliverable.save()
    _log(deliverable, "submitted", actor=actor, comment=f"v{deliverable.revision}")
    from network.services.moderation import file_for_review

    file_for_review(deliverable)
    tell(
        "campaign_deliv_sent",
        deliverable,
        actor=actor,
        recipients=[campaign.owner_id] if campaign.owner_id else [],
    )
    return deliverable


def approval_blockers(deliverable: Deliverable) -> list[str]:
    """Why staff cannot approve this content now: a missing mention (the rules may have
    changed since it was sent), or the contract not signed."""
    engagement = deliverable.engagement
    reasons = missing_mentions(
        engagement.campaign,
        deliverable.text,
        retouched=deliverable.declares_retouched,
        virtual=deliverable.declares_virtual,
    )
    blocked = contract_blocking(engagement)
    if blocked:
        reasons.append(blocked)
    return reasons


def _decide(deliverable: Deliverable, action: str, *, actor, reason: str = "") -> None:
    """The moderation queue's decision, carried out here; a domain error refuses it and the
    whole decision is rolled back (the queue's `decide`)."""
    from network.models import Decision

    deliverable = (
        Deliverable.objects.select_for_update()
        .select_related("engagement__campaign", "engagement__creator")
        .get(pk=deliverable.pk)
    )
    if deliverable.engagement.creator_id == actor.pk:
        raise NotAllowed(_("You cannot review your own content."))
    if deliverable.status != Deliverable.Status.WAITING:
        raise Conflict(_("This content is not waiting for review."))
    comment = (
        Decision.objects.filter(case__kind=KIND, case__target_id=deliverable.pk)
        .order_by("-pk")
        .values_list("facts", flat=True)
        .first()
        or ""
    )
    if action == "approve":
        blockers = approval_blockers(deliverable)
        if blockers:
            raise Conflict(" ".join(blockers))
        status = Deliverable.Status.APPROVED
    elif action == "request_changes":
        status = Deliverable.Status.CHANGES
    elif action == "reject":
        status = Deliverable.Status.REJECTED
    else:
        raise InvalidInput(_("Unknown decision."))
    deliverable.status = status
    deliverable.reviewed_at = timezone.now()
    deliverable.review_comment = "" if action == "approve" else comment
    deliverable.save(update_fields=["status", "reviewed_at", "review_comment"])
    _log(deliverable, action, actor=actor, comment=comment)
    tell(
        "campaign_deliv_review",
        deliverable,
        actor=actor,
        recipients=[deliverable.engagement.creator_id],
        decision=action,
    )


def review(*, actor, deliverable: Deliverable, decision: str, comment: str = "") -> Deliverable:
    """The page's and the API's way to the queue's decision on a content."""
    from network.models import Case
    from network.services import moderation

    if not is_campaign_staff(actor):
        raise NotAllowed(_("Only agency staff review contents."))
    if deliverable.engagement.creator_id == actor.pk:
        raise NotAllowed(_("You cannot review your own content."))
    if decision not in REVIEW_ACTIONS:
        raise InvalidInput(_("Unknown decision: approve, request_changes or reject."))
    comment = clean_text(comment or "").strip()
    if decision != "approve" and not comment:
        raise InvalidInput(_("Tell the creator what to change, or why it is rejected."))
    case = Case.objects.filter(kind=KIND, target_id=deliverable.pk, status=Case.Status.OPEN).first()
    if case is None:
        raise Conflict(_("This content is not waiting for review."))
    moderation.decide(
        actor=actor,
        case=case,
        action=decision,
        facts=comment or _("The content follows the brief and carries its mentions."),
        ground=_("Campaign brief, its mentions and the law on influence (loi n° 2023-451)"),
    )
    deliverable.refresh_from_db()
    return deliverable


@transaction.atomic
def publish(*, actor, deliverable: Deliverable, url: str) -> Deliverable:
    """The creator gives the approved content's published address; a task fetches it once
    to check that it answers and carries the mention."""
    deliverable = (
        Deliverable.objects.select_for_update()
        .select_related("engagement__campaign", "engagement__creator")
        .get(pk=deliverable.pk)
    )
    if deliverable.engagement.creator_id != actor.pk:
        raise NotAllowed(_("Only the creator gives the published address."))
    if deliverable.status != Deliverable.Status.APPROVED:
        raise Conflict(_("Only an approved content is published."))
    deliverable.published_url = _clean_url(url)
    if not deliverable.published_url:
        raise InvalidInput(_("Give the address where the content is published."))
    deliverable.status = Deliverable.Status.PUBLISHED
    deliverable.published_at = timezone.now()
    deliverable.url_check = Deliverable.Check.PENDING
    deliverable.save(update_fields=["published_url", "status", "published_at", "url_check"])
    _log(deliverable, "published", actor=actor, comment=deliverable.published_url)

    def enqueue(pk=deliverable.pk):
        from ..tasks import check_published_url

        check_published_url.delay(pk)

    transaction.on_commit(enqueue)
    return deliverable


def register_moderation_kind() -> None:
    from network.registries import ModerationKind
    from network.registries import register_moderation_kind as register

    register(
        ModerationKind(
            name=KIND,
            model=Deliverable,
            label=gettext_lazy("Campaign content"),
            actions=REVIEW_ACTIONS,
            action_labels={
                "approve": gettext_lazy("Approve"),
                "request_changes": gettext_lazy("Request changes"),
                "reject": gettext_lazy("Reject"),
            },
            can_see=can_see_deliverable,
            author_of=lambda item: item.engagement.creator,
            preview_of=lambda item: f"{item.engagement.campaign.title} · {item.text}",
            url_of=lambda item: item.get_absolute_url(),
            decide=_decide,
        )
    )
