"""Query filters shared by the directory endpoints."""

from django.utils.translation import gettext as _
from ninja import Field, Schema

from content.models import Area
from core.errors import InvalidInput
from network.models import Sector


class PeopleFilters(Schema):
    q: str = Field("", max_length=100, description="Words to look for.")
    area: str | None = Field(None, description="Slug of an area (its sub-areas included).")
    tag: str | None = Field(None, max_length=100, description="Slug of a tag.")


class DirectoryFilters(PeopleFilters):
    sector: Sector | None = None


def area_from_slug(slug: str | None) -> Area | None:
    if not slug:
        return None
    area = Area.objects.filter(slug=slug).first()
    if area is None:
        raise InvalidInput(_("Unknown area: %(slug)s.") % {"slug": slug})
    return area
