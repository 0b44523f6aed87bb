"""Which fields of an imported page the source owns, and their values as JSON: what the
importer writes, compares with what it imported last time, and records in a conflict (see
services.py for who owns which field)."""

from content.models import DestinationPage, EventPage

from .adapters import Record
from .models import ImportedImage

# Source-owned fields, by kind of page; `address` is the event's venue address.
SOURCE_FIELDS = {
    "place": (
        "title",
        "description",
        "description_en",
        "address",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
        "opening_hours",
        "source_image",
    ),
    "event": (
        "title",
        "description",
        "description_en",
        "address",
        "latitude",
        "longitude",
        "phone",
        "email",
        "website",
        "dates",
        "source_image",
    ),
}
PAGE_MODELS = {"place": DestinationPage, "event": EventPage}


# Field values ------------------------------------------------------------------------------


def page_value(page, name: str):
    """A source-owned field of `page` as JSON, to compare with what was imported."""
    if name == "address" and isinstance(page, EventPage):
        return page.venue_address
    if name in ("latitude", "longitude"):
        value = getattr(page, name)
        return None if value is None else f"{value:.6f}"
    if name == "opening_hours":
        return [
            {"days": block.value["days"], "hours": block.value["hours"]}
            for block in page.opening_hours
        ]
    if name == "source_image":
        return page.source_image_id
    if name == "dates":
        return [list(pair) for pair in page.dates or []]
    return getattr(page, name)


def set_page_value(page, name: str, value) -> None:
    if name == "address" and isinstance(page, EventPage):
        page.venue_address = value
    elif name == "opening_hours":
        page.opening_hours = [("hours", block) for block in value]
    elif name == "source_image":
        page.source_image_id = value
    elif name == "dates":
        page.dates = value
        if value:
            page.start = value[0][0]
            page.end = max(end or start for start, end in value)
    else:
        field = type(page)._meta.get_field(name)
        if field.max_length and isinstance(value, str) and len(value) > field.max_length:
            # A longer value than the hub keeps (a web address past 200 characters): a
            # clipped address or e-mail would be wrong, a clipped name is still a name.
            value = value[: field.max_length] if name == "title" else ""
        setattr(page, name, value)


def source_values(record: Record, image: ImportedImage | None, with_image: bool) -> dict:
    values = {
        "title": record.title,
        "description": record.description,
        "description_en": record.description_en,
        "address": record.address,
        "latitude": f"{record.latitude:.6f}",
        "longitude": f"{record.longitude:.6f}",
        "phone": record.phone,
        "email": record.email,
        "website": record.website,
        "opening_hours": record.opening_hours,
        "dates": record.dates,
        "source_image": image.image_id if image else None,
    }
    fields = SOURCE_FIELDS[record.kind]
    return {name: values[name] for name in fields if with_image or name != "source_image"}


def stamp_review(page, record: Record) -> None:
    """Imported places enter the freshness schedule: the day the source last checked the
    record counts as a review, unless staff reviewed the page since."""
    if isinstance(page, DestinationPage) and record.updated_on:
        if page.last_reviewed_at is None or page.last_reviewed_at < record.updated_on:
            page.last_reviewed_at = record.updated_on
