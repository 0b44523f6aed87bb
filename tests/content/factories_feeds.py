"""Pages for the iCalendar, feed, sitemap, search and API tests, created published (as
Wagtail serves them) unless `live=False`, and indexed for search."""

import itertools
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction
from wagtail.rich_text import RichText
from wagtail.search import index

from content.models import (
    DestinationIndexPage,
    DestinationPage,
    EventIndexPage,
    EventPage,
    HomePage,
    StoryIndexPage,
    StoryPage,
)

_numbers = itertools.count(1)


def home():
    return HomePage.objects.get(depth=2)


def section(model, slug):
    page = home().add_child(instance=model(title=slug.title(), slug=slug))
    page.save_revision().publish()
    return page


def destination_index():
    return section(DestinationIndexPage, "destinations")


def story_index():
    return section(StoryIndexPage, "stories")


def event_index():
    return section(EventIndexPage, "events")


def image(title="Vue"):
    n = next(_numbers)
    return Image.objects.create(title=title, file=get_test_image_file(f"feeds{n}.png"))


def add_page(parent, page, *, tags=(), live=True):
    n = next(_numbers)
    if not page.slug:
        page.slug = f"page-{n}"
    page.live = live
    parent.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    page.refresh_from_db()
    # Search indexing runs as a task after commit; tests run inside one transaction.
    index.insert_or_update_object(page)
    return page


def destination(parent, title="Destination", **fields):
    tags = fields.pop("tags", ())
    live = fields.pop("live", True)
    return add_page(parent, DestinationPage(title=title, **fields), tags=tags, live=live)


def story(parent, title="Story", **fields):
    tags = fields.pop("tags", ())
    live = fields.pop("live", True)
    fields.setdefault("date", timezone.localdate())
    return add_page(parent, StoryPage(title=title, **fields), tags=tags, live=live)


def event(parent, title="Event", **fields):
    tags = fields.pop("tags", ())
    live = fields.pop("live", True)
    fields.setdefault("start", timezone.now() + timedelta(days=7))
    return add_page(parent, EventPage(title=title, **fields), tags=tags, live=live)


def make_private(page):
    """Only members of a group may see the page: it must stay out of every public list."""
    group, _ = Group.objects.get_or_create(name="Insiders")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(group)
    return page


def paragraph(text):
    return [("paragraph", RichText(f"<p>{text}</p>"))]
