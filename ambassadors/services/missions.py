"""Missions: take, submit proof, review (through the one moderation queue)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from core.validators import validate_image_upload

from ..links.safety import validate_public_url
from ..models import Mission, Participation, Submission
from ..permissions import is_ambassador, is_programme_staff, licence_of

KIND = "mission_proof"
HELD_REASON = "mission_proof"
PROOF_MAX_BYTES = 5 * 1024 * 1024


def _check_ambassador(actor) -> None:
    if is_ambassador(actor):
        return
    licence = licence_of(actor)
    if licence is not None:
        raise NotAllowed(_("Your ambassador licence is not valid: renew it to take part."))
    raise NotAllowed(_("Only ambassadors take part in missions."))


def in_segment(user, mission: Mission) -> bool:
    if not (mission.segment_area_id or mission.segment_tag or mission.segment_language):
        return True
    profile = getattr(user, "ambassador_profile", None)
    if profile is None:
        return False
    if mission.segment_area_id and not profile.areas.filter(pk=mission.segment_area_id).exists():
        return False
    if mission.segment_language and mission.segment_language not in profile.language_codes:
        return False
    if mission.segment_tag:
        tag = mission.segment_tag.lower()
        names = {t.lower() for t in profile.interests.names()} | {
            t.lower() for t in profile.skills.names()
        }
        if tag not in names:
            return False
    return True


@transaction.atomic
def take_mission(*, actor, mission: Mission) -> Participation:
    _check_ambassador(actor)
    mission = Mission.objects.select_for_update().get(pk=mission.pk)
    if mission.status != Mission.Status.PUBLISHED:
        raise NotFound(_("No such mission."))
    if mission.deadline <= timezone.now():
        raise Conflict(_("This mission's deadline has passed."))
    if not in_segment(actor, mission):
        raise NotAllowed(_("This mission is for another group of ambassadors."))
    if Participation.objects.filter(mission=mission, ambassador=actor).exists():
        raise Conflict(_("You already took this mission."))
    if mission.is_full:
        raise Conflict(_("This mission is full."))
    Mission.objects.filter(pk=mission.pk).update(taken_count=F("taken_count") + 1)
    return Participation.objects.create(mission=mission, ambassador=actor)


def _clean_proof(link, text, photo):
    link = (link or "").strip()
    if link:
        try:
            link = validate_public_url(link)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0]) from exc
    text = clean_text(text or "")
    if len(text) > 3000:
        raise InvalidInput(_("The text is too long (3,000 characters at most)."))
    if photo is not None:
        try:
            validate_image_upload(photo, max_bytes=PROOF_MAX_BYTES)
        except ValidationError as exc:
            raise InvalidInput(exc.messages[0]) from exc
    if not (link or text or photo):
        raise InvalidInput(_("Give a link, a text or a photo as proof."))
    return link, text


def auto_approves(user, mission: Mission) -> bool:
    """Whether `user`'s proof for `mission` is approved without review: the mission's type is
    in AMBASSADOR_AUTO_APPROVED_MISSION_TYPES (empty by default: off) and the member's trust
    level (network's, once it exists: `trust_level_of`) reaches
    AMBASSADOR_AUTO_APPROVE_TRUST_LEVEL."""
    types = getattr(settings, "AMBASSADOR_AUTO_APPROVED_MISSION_TYPES", ())
    if mission.type not in types:
        return False
    level = trust_level_of(user)
    return level is not None and level >= getattr(
        settings, "AMBASSADOR_AUTO_APPROVE_TRUST_LEVEL", 3
    )


def trust_level_of(user) -> int:
    """The network's trust level of `user` (network.trust)."""
    from network.trust import trust_level

    return trust_level(user)


def approved_missions(user_ids) -> dict[int, int]:
    """{user_id: approved missions}: counted towards the network's trust levels."""
    from django.db.models import Count

    return dict(
        Participation.objects.filter(
            ambassador_id__in=list(user_ids), status=Participation.Status.APPROVED
        )
        .values("ambassador_id")
        .annotate(count=Count("pk"))
        .values_list("ambassador_id", "count")
    )


def register_trust_source() -> None:
    """Approved missions count towards the network's trust levels."""
    from network.trust import register_trust_source as register

    register("ambassadors.missions", approved_missions)


@transaction.atomic
def submit_proof(
    *, actor, mission: Mission, link: str = "", text: str = "", photo=None
) -> Submission:
    _check_ambassador(actor)
    participation = (
        Participation.objects.select_for_update().filter(mission=mission, ambassador=actor).first()
    )
    if participation is None:
        raise Conflict(_("Take the mission before sending a proof."))
    if participation.status not in (Participation.Status.TAKEN, Participation.Status.CHANGES):
        raise Conflict(_("Your proof is already sent."))
    link, text = _clean_proof(link, text, photo)
    submission = Submission(participation=participation, link=link, text=text)
    if photo is not None:
        submission.photo = photo
    submission.save()
    participation.status = Participation.Status.SUBMITTED
    participation.save(update_fields=["status"])
    if auto_approves(actor, mission):
        submission.auto_approved = True
        submission.save(update_fields=["auto_approved"])
        approve(submission)
    else:
        from network.services.moderation import hold_for_review

        hold_for_review(submission, reason=HELD_REASON)
    return submission


# What the moderation queue calls --------------------------------------------------------------


def _refuse_self_review(submission: Submission) -> None:
    """Inside decide()'s transaction: its decision is the latest of the case."""
    from network.models import Decision

    decision = (
        Decision.objects.filter(case__kind=KIND, case__target_id=submission.pk)
        .order_by("-pk")
        .values_list("moderator_id", flat=True)
        .first()
    )
    if decision is not None and decision == submission.participation.ambassador_id:
        raise NotAllowed(_("You cannot review your own proof."))


def approve(submission: Submission) -> None:
    from .recognition import award

    submission = Submission.objects.select_related("participation__mission").get(pk=submission.pk)
    if not submission.auto_approved:
        _refuse_self_review(submission)
    Submission.objects.filter(pk=submission.pk).update(
        status=Submission.Status.APPROVED, reviewed_at=timezone.now()
    )
    participation = submission.participation
    Participation.objects.filter(pk=participation.pk).update(status=Participation.Status.APPROVED)
    award(
        user_id=participation.ambassador_id,
        reason="mission",
        reference=f"mission:{participation.mission_id}",
        points=participation.mission.points,
    )
    from .badges import evaluate_badges

    evaluate_badges([participation.ambassador_id])


def apply_decision(submission: Submission, action: str, undo: bool) -> None:
    """remove = reject; request_changes = the ambassador sends a new proof."""
    _refuse_self_review(submission)
    if undo:
        return
    status, participation_status = {
        "remove": (Submission.Status.REJECTED, Participation.Status.REJECTED),
        "request_changes": (Submission.Status.CHANGES, Participation.Status.CHANGES),
    }.get(action, (None, None))
    if status is None:
        return
    Submission.objects.filter(pk=submission.pk).update(status=status, reviewed_at=timezone.now())
    Participation.objects.filter(pk=submission.participation_id).update(status=participation_status)


REVIEW_ACTIONS = {"approve": "dismiss", "reject": "remove", "request_changes": "request_changes"}


def review_submission(
    *, actor, submission: Submission, decision: str, reason: str = ""
) -> Submission:
    """The API's and the mission page's way to the same moderation decision."""
    from network.models import Case
    from network.services import moderation

    if not is_programme_staff(actor):
        raise NotAllowed(_("Only agency staff review proofs."))
    if submission.participation.ambassador_id == actor.pk:
        raise NotAllowed(_("You cannot review your own proof."))
    if decision not in REVIEW_ACTIONS:
        raise InvalidInput(_("Unknown decision."))
    case = Case.objects.filter(kind=KIND, target_id=submission.pk, status=Case.Status.OPEN).first()
    if case is None:
        raise Conflict(_("This proof is already reviewed."))
    reason = (reason or "").strip()
    if decision != "approve" and not reason:
        raise InvalidInput(_("Give the ambassador a reason."))
    moderation.decide(
        actor=actor,
        case=case,
        action=REVIEW_ACTIONS[decision],
        facts=reason or _("The proof meets the mission's terms."),
        ground=_("Ambassador programme: mission terms and brand charter"),
    )
    submission.refresh_from_db()
    return submission


def register_moderation_kind() -> None:
    from network.services.moderation import Kind, register

    register(
        Kind(
            name=KIND,
            model=Submission,
            label=gettext_lazy("Mission proof"),
            actions=("dismiss", "remove", "request_changes"),
            action_labels={
                "dismiss": gettext_lazy("Approve"),
                "remove": gettext_lazy("Reject"),
                "request_changes": gettext_lazy("Ask for a new proof"),
            },
            can_see=lambda user, item: (
                is_programme_staff(user)
                or (user.is_authenticated and item.participation.ambassador_id == user.pk)
            ),
            author_of=lambda item: item.participation.ambassador,
            preview_of=lambda item: " · ".join(
                part for part in (item.participation.mission.title, item.link, item.text) if part
            ),
            url_of=lambda item: item.get_absolute_url(),
            apply=apply_decision,
            release=approve,
        )
    )
