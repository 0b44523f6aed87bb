"""Casting: staff invite creators or open the brief to applications; creators accept,
decline or counter-offer; staff answer. Eductour seats are taken race-safely (the brief's row
is locked, and the seat is taken by a conditional UPDATE that never goes past the seats);
a withdrawal gives the seat to the first on the waiting list."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from network import signals

from ...links.services import is_shareable, make_link
from ..models import Campaign, CreatorProfile, Engagement
from ..permissions import can_see_campaign, is_campaign_staff
from . import euros
from .ledger import record_engagement, remove_engagement
from .notices import tell

MAX_INVITATIONS = 200
Status = Engagement.Status
Seat = Engagement.Seat


def is_linkable(page) -> bool:
    return is_shareable(page)


def engagement_of(user, campaign) -> Engagement | None:
    if not (user and user.is_authenticated):
        return None
    return Engagement.objects.filter(campaign=campaign, creator=user).first()


def visible_campaign(user, campaign_id) -> tuple[Campaign, Engagement | None]:
    """The brief if `user` may read it (NotFound else: the same answer for a brief that
    does not exist and one they were not invited to)."""
    campaign = Campaign.objects.select_related("advertiser").filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("No such brief."))
    engagement = engagement_of(user, campaign)
    if not can_see_campaign(user, campaign, engagement):
        raise NotFound(_("No such brief."))
    return campaign, engagement


def _staff_ids(campaign) -> list[int]:
    return [campaign.owner_id] if campaign.owner_id else []


def open_chat_room(engagement: Engagement, *, staff=()) -> int | None:
    """The brief's room between staff and this creator, asked of the realtime app through
    the network's signal (this app does not import realtime). Members: the creator, the
    brief's owner, whoever invited them and the staff member acting now."""
    campaign = engagement.campaign
    members = {engagement.creator_id, *_staff_ids(campaign)}
    if engagement.invited_by_id:
        members.add(engagement.invited_by_id)
    members.update(user.pk for user in staff if user is not None)
    responses = signals.conversation_wanted.send(
        sender=Engagement,
        key=f"campaign:{campaign.pk}:creator:{engagement.creator_id}",
        name=f"{campaign.title}"[:60] + f" · {engagement.creator.get_display_name()}"[:20],
        user_ids=sorted(members),
    )
    room_id = next((r for _receiver, r in responses if isinstance(r, int)), None)
    if room_id and engagement.chat_room_id != room_id:
        Engagement.objects.filter(pk=engagement.pk).update(chat_room_id=room_id)
        engagement.chat_room_id = room_id
    return room_id


@transaction.atomic
def invite(*, actor, campaign: Campaign, creators, note: str = "") -> list[Engagement]:
    """Invite creators (members with a creator profile) to an open brief."""
    if not is_campaign_staff(actor):
        raise NotAllowed(_("Only agency staff invite creators."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status != Campaign.Status.OPEN:
        raise Conflict(_("Publish the brief before inviting creators."))
    creators = list(creators)
    if not creators:
        raise InvalidInput(_("Choose the creators to invite."))
    if len(creators) > MAX_INVITATIONS:
        raise InvalidInput(_("200 invitations at most at a time."))
    with_profile = set(
        CreatorProfile.objects.filter(user__in=creators).values_list("user_id", flat=True)
    )
    note = clean_text(note or "")[:2000]
    invited = []
    for creator in creators:
        if creator.pk not in with_profile or not creator.is_active:
            raise InvalidInput(
                _("%(name)s has no creator profile.") % {"name": creator.get_display_name()}
            )
        if creator.pk == actor.pk:
            raise InvalidInput(_("You cannot invite yourself."))
        engagement, created = Engagement.objects.get_or_create(
            campaign=campaign,
            creator=creator,
            defaults={
                "status": Status.INVITED,
                "agreed_cash": campaign.cash_amount,
                "invited_by": actor,
                "note": note,
            },
        )
        if not created:
            if engagement.status in (Status.ACCEPTED, Status.INVITED, Status.COUNTERED):
                raise Conflict(
                    _("%(name)s is already on this brief.") % {"name": creator.get_display_name()}
                )
            engagement.status = Status.INVITED
            engagement.invited_by = actor
            engagement.note = note
            engagement.agreed_cash = campaign.cash_amount
            engagement.save(update_fields=["status", "invited_by", "note", "agreed_cash"])
        engagement.campaign = campaign
        open_chat_room(engagement, staff=[actor])
        tell("campaign_invited", engagement, actor=actor, recipients=[creator.pk])
        invited.append(engagement)
    return invited


@transaction.atomic
def apply(*, actor, campaign: Campaign, note: str = "") -> Engagement:
    """A creator applies to a brief open to applications."""
    if not (actor and actor.is_authenticated and actor.is_active):
        raise NotAllowed(_("Sign in to apply."))
    if not CreatorProfile.objects.filter(user=actor).exists():
        raise Conflict(_("Add your creator profile before applying."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not (campaign.status == Campaign.Status.OPEN and campaign.open_to_applications):
        if engagement_of(actor, campaign) is None:
            raise NotFound(_("No such brief."))
        raise Conflict(_("This brief does not take applications."))
    engagement, created = Engagement.objects.get_or_create(
        campaign=campaign,
        creator=actor,
        defaults={
            "status": Status.APPLIED,
            "agreed_cash": campaign.cash_amount,
            "note": clean_text(note or "")[:2000],
        },
    )
    if not created:
        raise Conflict(_("You are already on this brief."))
    engagement.campaign = campaign
    open_chat_room(engagement)
    tell(
        "campaign_answered",
        engagement,
        actor=actor,
        recipients=_staff_ids(campaign),
        answer="applied",
    )
    return engagement


def _locked(campaign_id, creator_id) -> tuple[Campaign, Engagement]:
    """The brief's row, then the engagement's, locked in that order everywhere (a seat
    taken or freed changes the brief's count)."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    engagement = (
        Engagement.objects.select_for_update()
        .filter(campaign_id=campaign_id, creator_id=creator_id)
        .first()
    )
    if engagement is None:
        raise NotFound(_("This creator is not on this brief."))
    engagement.campaign = campaign
    return campaign, engagement


def _take_seat(campaign: Campaign, engagement: Engagement) -> str:
    """The seat if one is free, else the waiting list. The UPDATE's condition is the guard:
    whatever else runs at the same moment, seats_taken never passes the seats."""
    if not campaign.has_eductour or campaign.eductour_seats is None:
        return Seat.NONE
    taken = Campaign.objects.filter(pk=campaign.pk, seats_taken__lt=F("eductour_seats")).update(
        seats_taken=F("seats_taken") + 1
    )
    if taken:
        campaign.seats_taken += 1
        engagement.seat, engagement.waitlisted_at = Seat.TAKEN, None
    else:
        engagement.seat, engagement.waitlisted_at = Seat.WAITLIST, timezone.now()
    return engagement.seat


def _confirm(campaign, engagement, *, actor, cash=None, deliverables=None):
    engagement.status = Status.ACCEPTED
    engagement.answered_at = timezone.now()
    if cash is not None:
        engagement.agreed_cash = cash
    if deliverables is not None:
        engagement.agreed_deliverables = deliverables
    _take_seat(campaign, engagement)
    engagement.save()
    record_engagement(engagement)
    if engagement.seat != Seat.WAITLIST:
        give_links(engagement)
    open_chat_room(engagement, staff=[actor] if is_campaign_staff(actor) else ())


def give_links(engagement: Engagement) -> list:
    """The creator's tracked links to the brief's pages (the programme's /r/ links, with
    source "campaign" and the brief as reference)."""
    campaign = engagement.campaign
    links = []
    for page in campaign.pages.all():
        if is_shareable(page):
            links.append(
                make_link(
                    owner=engagement.creator,
                    page=page,
                    source="campaign",
                    reference=campaign.reference,
                )
            )
    return links


@transaction.atomic
def accept(*, actor, campaign: Campaign, creator=None) -> Engagement:
    """A creator accepts their invitation; or staff (naming the creator) accept a
    creator's application or counter-offer."""
    if creator is not None and creator.pk != actor.pk:
        if not is_campaign_staff(actor):
            raise NotAllowed(_("Only agency staff answer creators."))
        campaign, engagement = _locked(campaign.pk, creator.pk)
        if engagement.status == Status.APPLIED:
            _confirm(campaign, engagement, actor=actor)
        elif engagement.status == Status.COUNTERED:
            _confirm(
                campaign,
                engagement,
                actor=actor,
                cash=engagement.counter_cash
                if engagement.counter_cash is not None
                else engagement.agreed_cash,
                deliverables=engagement.counter_deliverables or engagement.agreed_deliverables,
            )
        else:
            raise Conflict(_("There is nothing from this creator to accept."))
        tell(
            "campaign_decision",
            engagement,
            actor=actor,
            recipients=[engagement.creator_id],
            accepted=True,
        )
        _tell_seat(engagement)
        return engagement
    visible_campaign(actor, campaign.pk)
    campaign, engagement = _locked(campaign.pk, actor.pk)
    if campaign.status != Campaign.Status.OPEN:
        raise Conflict(_("This brief is not open any more."))
    if engagement.status != Status.INVITED:
        raise Conflict(_("There is no invitation to accept."))
    _confirm(campaign, engagement, actor=actor)
    tell(
        "campaign_answered",
        engagement,
        actor=actor,
        recipients=_staff_ids(campaign),
        answer="accepted",
    )
    _tell_seat(engagement)
    return engagement


def _tell_seat(engagement):
    if engagement.seat == Seat.WAITLIST:
        tell(
            "campaign_waitlist",
            engagement,
            actor=None,
            recipients=[engagement.creator_id],
            seat="waitlist",
        )


def _free_seat(campaign, engagement) -> Engagement | None:
    """The creator leaves their seat: the first on the waiting list takes it."""
    if engagement.seat != Seat.TAKEN:
        engagement.seat, engagement.waitlisted_at = Seat.NONE, None
        return None
    Campaign.objects.filter(pk=campaign.pk, seats_taken__gt=0).update(
        seats_taken=F("seats_taken") - 1
    )
    campaign.seats_taken -= 1
    engagement.seat, engagement.waitlisted_at = Seat.NONE, None
    engagement.save(update_fields=["seat", "waitlisted_at"])
    moved = fill_free_seats(campaign)
    return moved[0] if moved else None


def fill_free_seats(campaign: Campaign) -> list[Engagement]:
    """Free seats go to the waiting list, first come first served (the caller holds the
    brief's row lock)."""
    moved = []
    waiting = (
        Engagement.objects.select_for_update()
        .filter(campaign=campaign, status=Status.ACCEPTED, seat=Seat.WAITLIST)
        .select_related("creator")
        .order_by("waitlisted_at", "pk")
    )
    for engagement in waiting:
        engagement.campaign = campaign
        if _take_seat(campaign, engagement) != Seat.TAKEN:
            break
        engagement.save(update_fields=["seat", "waitlisted_at"])
        give_links(engagement)
        tell(
            "campaign_waitlist",
            engagement,
            actor=None,
            recipients=[engagement.creator_id],
            seat="taken",
        )
        moved.append(engagement)
    return moved


@transaction.atomic
def decline(*, actor, campaign: Campaign, creator=None, note: str = "") -> Engagement:
    """A creator declines their invitation (or withdraws after accepting: their seat goes to
    the waiting list); or staff (naming the creator) refuse an application or a
    counter-offer (the brief's own terms then stand)."""
    note = clean_text(note or "")[:2000]
    if creator is not None and creator.pk != actor.pk:
        if not is_campaign_staff(actor):
            raise NotAllowed(_("Only agency staff answer creators."))
        campaign, engagement = _locked(campaign.pk, creator.pk)
        if engagement.status == Status.APPLIED:
            engagement.status = Status.REFUSED
        elif engagement.status == Status.COUNTERED:
            engagement.status = Status.INVITED
        else:
            raise Conflict(_("There is nothing from this creator to refuse."))
        engagement.answered_at = timezone.now()
        engagement.save(update_fields=["status", "answered_at"])
        tell(
            "campaign_decision",
            engagement,
            actor=actor,
            recipients=[engagement.creator_id],
            accepted=False,
            counter=engagement.status == Status.INVITED,
            note=note,
        )
        return engagement
    visible_campaign(actor, campaign.pk)
    campaign, engagement = _locked(campaign.pk, actor.pk)
    if engagement.status in (Status.INVITED, Status.COUNTERED, Status.APPLIED):
        engagement.status = Status.DECLINED
        answer = "declined"
    elif engagement.status == Status.ACCEPTED:
        if engagement.deliverables.filter(status__in=("approved", "published")).exists():
            raise Conflict(_("A content of yours is approved: talk to the agency to withdraw."))
        _free_seat(campaign, engagement)
        remove_engagement(engagement)
        engagement.status = Status.WITHDRAWN
        answer = "withdrawn"
    else:
        raise Conflict(_("You have nothing to decline on this brief."))
    engagement.note = note or engagement.note
    engagement.answered_at = timezone.now()
    engagement.save()
    tell(
        "campaign_answered", engagement, actor=actor, recipients=_staff_ids(campaign), answer=answer
    )
    return engagement


@transaction.atomic
def counter(*, actor, campaign: Campaign, cash=None, deliverables: str = "", note: str = ""):
    """A creator answers an invitation with other terms: an amount, deliverables, or both."""
    visible_campaign(actor, campaign.pk)
    campaign, engagement = _locked(campaign.pk, actor.pk)
    if campaign.status != Campaign.Status.OPEN:
        raise Conflict(_("This brief is not open any more."))
    if engagement.status != Status.INVITED:
        raise Conflict(_("Only an invitation can be answered with a counter-offer."))
    deliverables = clean_text(deliverables or "").strip()[:2000]
    amount = None if cash in (None, "") else euros(cash, field=_("Amount asked"))
    if amount is None and not deliverables:
        raise InvalidInput(_("Propose an amount, deliverables, or both."))
    if amount and campaign.relationship != Campaign.Relationship.PAID:
        raise InvalidInput(_("This brief is not paid: propose deliverables instead."))
    engagement.status = Status.COUNTERED
    engagement.counter_cash = amount
    engagement.counter_deliverables = deliverables
    engagement.note = clean_text(note or "")[:2000]
    engagement.answered_at = timezone.now()
    engagement.save()
    tell(
        "campaign_answered",
        engagement,
        actor=actor,
        recipients=_staff_ids(campaign),
        answer="countered",
    )
    return engagement
