"""Builders for the content hub's public pages in tests: sections, destinations, stories and
events, with images and tags. Pages are created published, as Wagtail serves them."""

import itertools
from datetime import date, timedelta

from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

from content.models import (
    Area,
    DestinationIndexPage,
    DestinationPage,
    EventIndexPage,
    EventPage,
    HomePage,
    StoryIndexPage,
    StoryPage,
)

_counter = itertools.count(1)


def home():
    """The French home page (the site's root; English pages are its translations)."""
    return HomePage.objects.get(depth=2, locale=Locale.get_default())


def section(model, slug, **fields):
    page = home().add_child(
        instance=model(title=fields.pop("title", slug.title()), slug=slug, **fields)
    )
    page.save_revision().publish()
    return page


def destination_index(**fields):
    return section(DestinationIndexPage, "destinations", **fields)


def story_index(**fields):
    return section(StoryIndexPage, "stories", **fields)


def event_index(**fields):
    return section(EventIndexPage, "events", **fields)


def image(title=None):
    n = next(_counter)
    return Image.objects.create(
        title=title or f"Image {n}", file=get_test_image_file(f"img{n}.png")
    )


def area(name, parent=None, kind=Area.Kind.COMMUNE):
    return Area.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), kind=kind, parent=parent
    )


def _add(parent, page, tags=()):
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def destination(parent, title=None, *, tags=(), gallery=0, **fields):
    n = next(_counter)
    fields.setdefault("slug", f"destination-{n}")
    page = DestinationPage(title=title or f"Destination {n}", **fields)
    for _ in range(gallery):
        page.gallery_images.add(_gallery_item(page))
    return _add(parent, page, tags)


def _gallery_item(page):
    from content.models import DestinationGalleryImage

    return DestinationGalleryImage(image=image(), caption="Vue")


def story(parent, title=None, *, tags=(), **fields):
    n = next(_counter)
    fields.setdefault("slug", f"story-{n}")
    fields.setdefault("date", date.today() - timedelta(days=n))
    return _add(parent, StoryPage(title=title or f"Story {n}", **fields), tags)


def event(parent, title=None, *, tags=(), starts_in=timedelta(days=7), **fields):
    n = next(_counter)
    fields.setdefault("slug", f"event-{n}")
    start = fields.pop("start", timezone.now().replace(microsecond=0) + starts_in)
    fields.setdefault("end", start + timedelta(hours=2))
    return _add(parent, EventPage(title=title or f"Event {n}", start=start, **fields), tags)
