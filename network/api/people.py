"""Members: the directory, a member's page, their posts, following them. Like the web's
member pages, these are for signed-in members only."""

from ninja import Query, Router

from network.selectors import directory
from network.selectors.feed import profile_feed
from network.services import follows

from .errors import Error
from .filters import PeopleFilters, area_from_slug
from .pagination import PageParams, keyset_page
from .schemas import FollowOut, PersonOut, PersonPage, PostPage

router = Router()


@router.get("", response={200: PersonPage, 400: Error, 401: Error}, summary="The member directory")
def list_people(request, filters: Query[PeopleFilters], page: Query[PageParams]):
    people = directory.list_people(
        request.user, q=filters.q, area=area_from_slug(filters.area), tag=filters.tag
    )
    items, next_cursor = keyset_page(
        people, order=("shown_name", "pk"), cursor=page.cursor, limit=page.limit
    )
    return {"items": items, "next": next_cursor}


@router.get("/{username}", response={200: PersonOut, 401: Error, 404: Error}, summary="A member")
def get_person(request, username: str):
    person = directory.get_person_for(request.user, username)
    counts = directory.follow_counts(person)
    person.organisation_roles = [
        {
            "slug": membership.organisation.slug,
            "name": membership.organisation.name,
            "role": membership.role,
            "title": membership.title,
        }
        for membership in directory.organisations_of(person)
    ]
    person.followers_count = counts.followers
    person.following_count = counts.following
    person.is_followed = directory.is_following(request.user, user=person)
    return person


@router.get(
    "/{username}/posts",
    response={200: PostPage, 400: Error, 401: Error, 404: Error},
    summary="A member's posts that you may read",
)
def person_posts(request, username: str, page: Query[PageParams]):
    person = directory.get_person_for(request.user, username)
    feed = profile_feed(request.user, person, cursor=page.cursor, limit=page.limit)
    return {"items": feed.items, "next": feed.next_cursor}


@router.post(
    "/{username}/follow",
    response={200: FollowOut, 400: Error, 401: Error, 403: Error, 404: Error, 429: Error},
    summary="Follow a member (their posts come to your feed)",
)
def follow_person(request, username: str):
    person = directory.get_person_for(request.user, username)
    follows.follow_user(actor=request.user, user=person)
    return {"following": True}


@router.delete(
    "/{username}/follow",
    response={200: FollowOut, 401: Error, 403: Error, 404: Error},
    summary="Stop following a member",
)
def unfollow_person(request, username: str):
    person = directory.get_person_for(request.user, username)
    follows.unfollow_user(actor=request.user, user=person)
    return {"following": False}
