"""Reads of networking groups, each with its permission filter: the directory, a group's
page, its members, join requests and events."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from taggit.models import Tag

from core.errors import NotFound
from network.models import (
    Group,
    GroupBan,
    GroupEvent,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
)
from network.permissions import (
    can_read_group,
    can_see_group,
    membership_of,
    remember_membership,
)
from network.selectors.visibility import visible_groups

MAX_QUERY_LENGTH = 100
Role = GroupMembership.Role


def list_groups(user, *, q: str = "", area=None, tag: str | None = None, sector=None) -> QuerySet:
    """The group directory as `user` sees it: secret groups only for their members (and
    agency staff). `area` is an Area (groups in it or in any area inside it), `tag` a tag
    slug, `sector` a Sector value. Ordered by name, area and tags loaded."""
    groups = visible_groups(user).select_related("area").prefetch_related("tags")
    q = (q or "").strip()[:MAX_QUERY_LENGTH]
    if q:
        groups = groups.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if area is not None:
        groups = groups.filter(area_id__in=area.descendant_ids())
    if tag:
        groups = groups.filter(tags__slug=tag)
    if sector:
        groups = groups.filter(sector=sector)
    return groups.distinct().order_by("name", "pk")


def group_tag_options(user) -> QuerySet:
    """Tags used by the groups `user` can see, for the directory's filter."""
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(Group),
            taggit_taggeditem_items__object_id__in=visible_groups(user).values("pk"),
        )
        .distinct()
        .order_by("name")
    )


def member_group_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(GroupMembership.objects.filter(user=user).values_list("group_id", flat=True))


def get_group_for(user, slug: str) -> Group:
    """The group at `slug` if it exists for `user`; a secret group is NotFound to
    non-members, the same answer as a missing one. A member's group is read through their
    membership, which is kept for the request's permission checks (membership_of()): posting
    in a group then costs one query for both."""
    group = None
    if user.is_authenticated:
        membership = (
            GroupMembership.objects.filter(user=user, group__slug=slug)
            .select_related("group__area")
            .first()
        )
        if membership is not None:
            group = membership.group
            remember_membership(user, group, membership)
    if group is None:
        group = Group.objects.select_related("area").filter(slug=slug).first()
        if group is not None:
            remember_membership(user, group, None)
    if group is None or not can_see_group(user, group):
        raise NotFound()
    return group


@dataclass
class ViewerState:
    """Where the viewer stands with a group, for the buttons on its pages."""

    membership: GroupMembership | None
    pending_request: JoinRequest | None
    last_declined: JoinRequest | None
    invitation: GroupInvitation | None
    banned: bool

    @property
    def is_member(self) -> bool:
        return self.membership is not None


def viewer_state(user, group: Group) -> ViewerState:
    from network.services.groups import pending_invitation_for

    membership = membership_of(user, group)
    pending = declined = invitation = None
    banned = False
    if user.is_authenticated and membership is None:
        latest = JoinRequest.objects.filter(group=group, user=user).order_by("-created_at").first()
        if latest is not None and latest.status == JoinRequest.Status.PENDING:
            pending = latest
        elif latest is not None and latest.status == JoinRequest.Status.DECLINED:
            declined = latest
        banned = GroupBan.objects.filter(group=group, user=user).exists()
        invitation = pending_invitation_for(user, group)
    return ViewerState(membership, pending, declined, invitation, banned)


def group_members(group: Group) -> QuerySet:
    """Memberships with their users: owners first, then moderators, then members."""
    rank = Case(
        When(role=Role.OWNER, then=Value(0)),
        When(role=Role.MODERATOR, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        group.memberships.select_related("user")
        .annotate(rank=rank)
        .order_by("rank", "joined_at", "pk")
    )


def group_bans(group: Group) -> QuerySet:
    return group.bans.select_related("user", "banned_by").order_by("-created_at")


def pending_join_requests(group: Group) -> QuerySet:
    return (
        group.join_requests.filter(status=JoinRequest.Status.PENDING)
        .select_related("user")
        .order_by("created_at", "pk")
    )


def pending_request_count(group: Group) -> int:
    return group.join_requests.filter(status=JoinRequest.Status.PENDING).count()


def open_invitations(group: Group) -> QuerySet:
    return (
        group.invitations.filter(used_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("invitee", "invited_by")
        .order_by("-created_at")
    )


def _with_seats(events: QuerySet) -> QuerySet:
    going = Q(rsvps__status=GroupEventRSVP.Status.GOING)
    return events.annotate(
        seats_taken=Coalesce(Sum(F("rsvps__guests") + 1, filter=going), 0),
        waitlist_length=Count("rsvps", filter=Q(rsvps__status=GroupEventRSVP.Status.WAITLISTED)),
    )


def group_events(user, group: Group, *, past: bool = False) -> QuerySet:
    """The group's events for someone who may read the group (coming ones soonest first,
    past ones latest first), each with `seats_taken` and `waitlist_length`."""
    if not can_read_group(user, group):
        return GroupEvent.objects.none()
    now = timezone.now()
    events = group.events.select_related("content_event")
    if past:
        events = events.filter(starts_at__lte=now).order_by("-starts_at", "-pk")
    else:
        events = events.filter(starts_at__gt=now).order_by("starts_at", "pk")
    return _with_seats(events)


def get_group_event_for(user, group: Group, event_id: int) -> GroupEvent:
    if not can_read_group(user, group):
        raise NotFound()
    event = (
        _with_seats(group.events.select_related("content_event", "created_by"))
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        raise NotFound()
    return event


def event_rsvps(event: GroupEvent) -> tuple[list, list]:
    """(going, waiting list), each in order of reply, users loaded."""
    going, waiting = [], []
    for rsvp in event.rsvps.select_related("user").order_by("created_at", "pk"):
        (going if rsvp.status == GroupEventRSVP.Status.GOING else waiting).append(rsvp)
    return going, waiting


def rsvps_of(user, events) -> dict[int, GroupEventRSVP]:
    """The viewer's replies to these events, by event id (one query)."""
    if not user.is_authenticated:
        return {}
    return {
        rsvp.event_id: rsvp
        for rsvp in GroupEventRSVP.objects.filter(user=user, event__in=list(events))
    }


def waitlist_position(rsvp: GroupEventRSVP) -> int | None:
    """1 for the head of the waiting list; None for a member who is going."""
    if rsvp.status != GroupEventRSVP.Status.WAITLISTED:
        return None
    ahead = GroupEventRSVP.objects.filter(
        event_id=rsvp.event_id, status=GroupEventRSVP.Status.WAITLISTED
    ).filter(Q(created_at__lt=rsvp.created_at) | Q(created_at=rsvp.created_at, pk__lt=rsvp.pk))
    return ahead.count() + 1
