"""Serializer fields for the pages' `api_fields` (Wagtail API v2, see content/api.py).

Kept apart from content/api.py because the models import these while the app registry is
still loading, and the API views must not be imported that early.
"""

from django.utils import timezone
from rest_framework.fields import Field
from wagtail.images.api.fields import ImageRenditionField

HERO_RENDITION = "fill-800x600"


def hero_rendition():
    return ImageRenditionField(HERO_RENDITION)


class AreaField(Field):
    """An `Area` as {"id", "name", "slug", "kind"}; null is handled by the serializer."""

    def to_representation(self, area):
        return {"id": area.pk, "name": area.name, "slug": area.slug, "kind": area.kind}


class AuthorNameField(Field):
    """Only the public display name: usernames and e-mail addresses stay private."""

    def to_representation(self, user):
        return user.get_display_name()


class TagNamesField(Field):
    """Tag names, sorted, read from the prefetched tags (Wagtail's TagsField queries each
    page's tags again)."""

    def to_representation(self, tags):
        return sorted(tag.name for tag in tags.all())


class CoordinateField(Field):
    """A decimal degree as a JSON number rather than DRF's decimal string."""

    def to_representation(self, value):
        return float(value)


class VenueField(Field):
    """Where an event takes place: a destination of the site, or a free name and address.
    Used with source="*"."""

    def to_representation(self, event):
        venue = event.venue_page if event.venue_page_id else None
        if venue is not None:
            return {
                "page": venue.pk if venue.live else None,
                "name": venue.title,
                "address": venue.address,
                "latitude": float(venue.latitude) if venue.latitude is not None else None,
                "longitude": float(venue.longitude) if venue.longitude is not None else None,
            }
        if not (event.venue_name or event.venue_address):
            return None
        return {
            "page": None,
            "name": event.venue_name,
            "address": event.venue_address,
            "latitude": None,
            "longitude": None,
        }


class NextOccurrenceField(Field):
    """The next date of an event (repeating events included), or null once it is over.
    Used with source="*"."""

    def to_representation(self, event):
        occurrence = event.next_occurrence()
        if occurrence is None:
            return None
        return {
            "start": timezone.localtime(occurrence.start, event.tzinfo).isoformat(),
            "end": (
                timezone.localtime(occurrence.end, event.tzinfo).isoformat()
                if occurrence.end
                else None
            ),
        }
