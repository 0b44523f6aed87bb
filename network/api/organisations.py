"""The organisation directory (public, as on the web) and following organisations."""

from django.db.models.functions import Lower
from ninja import Query, Router

from network.selectors import directory
from network.services import follows

from .auth import ANYONE, OPTIONAL_AUTH
from .errors import Error
from .filters import DirectoryFilters, area_from_slug
from .pagination import PageParams, keyset_page
from .schemas import FollowOut, OrganisationOut, OrganisationPage

router = Router()


@router.get(
    "",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={200: OrganisationPage, 400: Error, 401: Error},
    summary="The organisation directory",
)
def list_organisations(request, filters: Query[DirectoryFilters], page: Query[PageParams]):
    organisations = directory.list_organisations(
        request.user,
        q=filters.q,
        sector=filters.sector,
        area=area_from_slug(filters.area),
        tag=filters.tag,
    ).annotate(sort_name=Lower("name"))
    items, next_cursor = keyset_page(
        organisations, order=("sort_name", "pk"), cursor=page.cursor, limit=page.limit
    )
    return {"items": items, "next": next_cursor}


@router.get(
    "/{slug}",
    auth=ANYONE,
    openapi_extra=OPTIONAL_AUTH,
    response={200: OrganisationOut, 401: Error, 404: Error},
    summary="An organisation",
)
def get_organisation(request, slug: str):
    return directory.get_organisation(slug)


@router.post(
    "/{slug}/follow",
    response={200: FollowOut, 401: Error, 403: Error, 404: Error, 429: Error},
    summary="Follow an organisation (its members' posts come to your feed)",
)
def follow_organisation(request, slug: str):
    organisation = directory.get_organisation(slug)
    follows.follow_organisation(actor=request.user, organisation=organisation)
    return {"following": True}


@router.delete(
    "/{slug}/follow",
    response={200: FollowOut, 401: Error, 403: Error, 404: Error},
    summary="Stop following an organisation",
)
def unfollow_organisation(request, slug: str):
    organisation = directory.get_organisation(slug)
    follows.unfollow_organisation(actor=request.user, organisation=organisation)
    return {"following": False}
