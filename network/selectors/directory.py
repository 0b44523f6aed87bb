"""Reads of the member and organisation directories and pages, each with its permission
filter. Member pages and the member directory are for signed-in members only: private
persons are not listed for the whole web (as Discourse and Open Social do by default)."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Lower, NullIf
from django.urls import reverse
from django.utils.translation import ngettext
from taggit.models import Tag, TaggedItem

from core.errors import NotAllowed, NotFound
from network.models import Follow, Group, Organisation, OrganisationMembership, Post, User
from network.permissions import can_see_member_directory
from network.selectors.visibility import visible_posts

MAX_QUERY_LENGTH = 100
MAX_MAP_MARKERS = 500


def query_words(q: str) -> list[str]:
    """At most six words of the query; each must match (AND), anywhere (icontains)."""
    return (q or "").strip()[:MAX_QUERY_LENGTH].split()[:6]


def _tagged_ids(model, slug: str) -> QuerySet:
    """Ids of `model` rows tagged with `slug`, as a subquery (no join, no DISTINCT)."""
    return TaggedItem.objects.filter(
        content_type=ContentType.objects.get_for_model(model), tag__slug=slug
    ).values("object_id")


def _tags_of(model, ids: QuerySet) -> QuerySet:
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=ContentType.objects.get_for_model(model),
            taggit_taggeditem_items__object_id__in=ids,
        )
        .distinct()
        .order_by("name")
    )


# People ----------------------------------------------------------------------------------


def people_matching(q: str) -> Q:
    condition = Q()
    for word in query_words(q):
        condition &= (
            Q(display_name__icontains=word)
            | Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(
                pk__in=TaggedItem.objects.filter(
                    content_type=ContentType.objects.get_for_model(User), tag__name__icontains=word
                ).values("object_id")
            )
        )
    return condition


def list_people(viewer, *, q: str = "", area=None, tag: str | None = None) -> QuerySet[User]:
    """The member directory as `viewer` sees it: nothing for visitors who are not signed in,
    active members otherwise. `area` is an Area (members in it or in any area inside it),
    `tag` an interest's slug. Sorted by the name shown, area and interests loaded."""
    if not can_see_member_directory(viewer):
        return User.objects.none()
    people = User.objects.filter(is_active=True).filter(people_matching(q))
    if area is not None:
        people = people.filter(area_id__in=area.descendant_ids())
    if tag:
        people = people.filter(pk__in=_tagged_ids(User, tag))
    shown_name = Lower(Coalesce(NullIf("display_name", Value("")), "username"))
    return (
        people.select_related("area")
        .prefetch_related("interests")
        .annotate(shown_name=shown_name)
        .order_by("shown_name", "pk")
    )


def interest_options(viewer) -> QuerySet[Tag]:
    """Interests of active members, for the directory's filter."""
    if not can_see_member_directory(viewer):
        return Tag.objects.none()
    return _tags_of(User, User.objects.filter(is_active=True).values("pk"))


def get_person_for(viewer, username: str) -> User:
    """The active member `username`, for a signed-in viewer. NotAllowed for visitors (the
    views send them to the log-in page), NotFound for unknown or deactivated accounts."""
    if not can_see_member_directory(viewer):
        raise NotAllowed()
    person = (
        User.objects.filter(username=username, is_active=True)
        .select_related("area")
        .prefetch_related("interests")
        .first()
    )
    if person is None:
        raise NotFound()
    return person


def organisations_of(person: User) -> QuerySet[OrganisationMembership]:
    return person.organisation_memberships.select_related(
        "organisation", "organisation__area"
    ).order_by("organisation__name")


@dataclass
class FollowCounts:
    followers: int
    following: int


def follow_counts(person: User) -> FollowCounts:
    """Followers of `person`, and members and organisations `person` follows (one query)."""
    counts = User.objects.filter(pk=person.pk).aggregate(
        followers=Count("followers", distinct=True),
        following=Count("following", distinct=True),
    )
    return FollowCounts(counts["followers"], counts["following"])


def is_following(viewer, *, user=None, organisation=None) -> bool:
    if not viewer.is_authenticated:
        return False
    if user is not None:
        return Follow.objects.filter(follower=viewer, user=user).exists()
    return Follow.objects.filter(follower=viewer, organisation=organisation).exists()


# Organisations ---------------------------------------------------------------------------


def organisations_matching(q: str) -> Q:
    condition = Q()
    for word in query_words(q):
        condition &= (
            Q(name__icontains=word)
            | Q(description__icontains=word)
            | Q(
                pk__in=TaggedItem.objects.filter(
                    content_type=ContentType.objects.get_for_model(Organisation),
                    tag__name__icontains=word,
                ).values("object_id")
            )
        )
    return condition


def list_organisations(
    viewer, *, q: str = "", sector: str | None = None, area=None, tag: str | None = None
) -> QuerySet[Organisation]:
    """The organisation directory (public: organisations are businesses, not persons).
    `area` is an Area (and the areas inside it), `tag` a tag slug, `sector` a Sector
    value. Sorted by name, area and tags loaded."""
    organisations = Organisation.objects.filter(organisations_matching(q))
    if sector:
        organisations = organisations.filter(sector=sector)
    if area is not None:
        organisations = organisations.filter(area_id__in=area.descendant_ids())
    if tag:
        organisations = organisations.filter(pk__in=_tagged_ids(Organisation, tag))
    return (
        organisations.select_related("area").prefetch_related("tags").order_by(Lower("name"), "pk")
    )


def organisation_tag_options() -> QuerySet[Tag]:
    return _tags_of(Organisation, Organisation.objects.values("pk"))


def map_markers(organisations: QuerySet[Organisation]) -> list[dict]:
    """The organisations of a directory search that have coordinates, as plain data for the
    map (one query, at most MAX_MAP_MARKERS)."""
    rows = (
        organisations.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .values("name", "slug", "latitude", "longitude")[:MAX_MAP_MARKERS]
    )
    return [
        {
            "name": row["name"],
            "url": reverse("network:organisation", args=[row["slug"]]),
            "lat": float(row["latitude"]),
            "lng": float(row["longitude"]),
        }
        for row in rows
    ]


def member_town_markers(viewer) -> list[dict]:
    """The towns of the members who chose to show theirs (`show_town_on_map`), each with how
    many, for the members' map: one query, nothing for visitors who are not signed in (the
    member directory is for members). A point is the area's centre, never an address, and no
    name is given: the directory, filtered by the area, lists them."""
    if not can_see_member_directory(viewer):
        return []
    rows = (
        User.objects.filter(
            is_active=True,
            show_town_on_map=True,
            area__latitude__isnull=False,
            area__longitude__isnull=False,
        )
        .values("area__name", "area__slug", "area__latitude", "area__longitude")
        .annotate(members=Count("pk"))
        .order_by("area__name")[:MAX_MAP_MARKERS]
    )
    people = reverse("network:people")
    return [
        {
            "name": row["area__name"],
            "url": f"{people}?area={row['area__slug']}",
            "label": ngettext("%(count)s member", "%(count)s members", row["members"])
            % {"count": row["members"]},
            "lat": float(row["area__latitude"]),
            "lng": float(row["area__longitude"]),
        }
        for row in rows
    ]


def get_organisation(slug: str) -> Organisation:
    organisation = (
        Organisation.objects.filter(slug=slug)
        .select_related("area")
        .prefetch_related("tags")
        .first()
    )
    if organisation is None:
        raise NotFound()
    return organisation


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    """Active members with their users: owners first, then by name."""
    rank = Case(
        When(role=OrganisationMembership.Role.OWNER, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return (
        organisation.memberships.filter(user__is_active=True)
        .select_related("user")
        .annotate(rank=rank)
        .order_by("rank", "joined_at", "pk")
    )


def organisation_follower_count(organisation: Organisation) -> int:
    return organisation.followers.count()


def organisation_recent_posts(viewer, organisation: Organisation, *, limit: int = 5):
    """Recent public posts of the organisation's members: their profile posts and their posts
    in public groups, among what `viewer` may read (never a private or secret group's)."""
    member_ids = organisation.memberships.values("user_id")
    return (
        visible_posts(viewer)
        .filter(author_id__in=member_ids, status=Post.Status.PUBLISHED)
        .filter(Q(group__isnull=True) | Q(group__visibility=Group.Visibility.PUBLIC))
        .select_related("author", "group")
        .order_by("-created_at", "-pk")[:limit]
    )
