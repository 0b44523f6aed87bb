"""The content hub's part of the demo territory: Morvellec, a fictional Breton peninsula.

Only what is missing is created (areas, pages and images are found by slug or title), so a
second run adds nothing and keeps what staff edited in the admin. Dates are relative to the
day of the first run: the events are upcoming then, and one destination is already overdue
for review.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from importlib import import_module
from importlib.util import find_spec
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Locale, Site
from wagtail.rich_text import RichText

from content.demo.images import get_or_create_image
from content.demo.site_data import (
    AREAS,
    DESTINATIONS,
    EVENT_PRACTICAL,
    HOME,
    SECTIONS,
    STORIES,
    demo_events,
)
from content.models import (
    Area,
    DestinationGalleryImage,
    DestinationPage,
    EventPage,
    EventRegistration,
    HomePage,
    StoryPage,
)


def seed(*, stdout):
    User = get_user_model()
    agence = User.objects.filter(username="agence").first()
    home = _seed_home_and_sections()
    Site.objects.filter(root_page=home).update(site_name=settings.TERRITORY_NAME)
    areas = _seed_areas()
    # Found by type, not slug: staff may have renamed a section.
    sections = {
        slug: model.objects.child_of(home).first() for model, slug, _title, _intro in SECTIONS
    }
    today = timezone.localdate()

    destinations, new_destinations = _seed_destinations(
        sections["destinations"], areas=areas, agence=agence, today=today
    )
    new_stories = _seed_stories(
        sections["stories"], areas=areas, destinations=destinations, agence=agence, today=today
    )
    new_events = _seed_events(
        sections["events"], areas=areas, destinations=destinations, agence=agence, today=today
    )
    created = new_destinations + new_stories + new_events
    stdout.write(
        f"  content: {len(AREAS)} areas, {len(DESTINATIONS)} destinations, {len(STORIES)} "
        f"stories, {len(demo_events(today))} events ({created} pages new)"
    )

    # The brand kit and welcome pack have their own module, written beside this one.
    if find_spec("content.demo.toolkit"):
        import_module("content.demo.toolkit").seed_toolkit(home=home, stdout=stdout)
    if find_spec("content.demo.rules"):
        import_module("content.demo.rules").seed_rules(home=home, stdout=stdout)
    # A few pages imported from open tourism data (the fixture flow of content/imports).
    import_module("content.demo.imports").seed_imports(
        places=sections["destinations"], events=sections["events"], stdout=stdout
    )
    if find_spec("content.demo.accessibility"):
        import_module("content.demo.accessibility").seed_accessibility(home=home, stdout=stdout)
    # Last: the English versions of the pages above.
    import_module("content.demo.english").seed_english(home=home, stdout=stdout)


def _seed_home_and_sections():
    home = HomePage.objects.get(depth=2, locale=Locale.get_default())
    if not home.tagline:
        for field, value in HOME.items():
            setattr(home, field, value)
        home.save_revision().publish()
    for model, slug, title, intro in SECTIONS:
        if not model.objects.child_of(home).exists():
            page = home.add_child(instance=model(slug=slug, title=title, intro=intro))
            page.save_revision().publish()
    return home


def _seed_areas():
    areas = {area.slug: area for area in Area.objects.filter(slug__in=[a[0] for a in AREAS])}
    for slug, name, kind, parent, centre in AREAS:
        if slug not in areas:
            areas[slug] = Area.objects.create(
                slug=slug, name=name, kind=kind, parent=areas.get(parent)
            )
        area = areas[slug]
        if centre and area.latitude is None:
            area.latitude, area.longitude = (Decimal(value) for value in centre)
            area.save(update_fields=["latitude", "longitude"])
    return areas


def _body(blocks):
    return [(kind, RichText(value) if kind == "paragraph" else value) for kind, value in blocks]


def _publish(parent, page, *, user):
    parent.add_child(instance=page)
    page.save_revision(user=user).publish(user=user)
    return page


def _seed_destinations(index, *, areas, agence, today):
    pages = {page.slug: page for page in DestinationPage.objects.child_of(index)}
    created = 0
    for spec in DESTINATIONS:
        if spec["slug"] in pages:
            continue
        overdue = spec.get("overdue", False)
        latitude, longitude = spec["coordinates"]
        page = DestinationPage(
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            hero_image=get_or_create_image(title=spec["title"], theme=spec["theme"]),
            body=_body(spec["body"]),
            area=areas[spec["area"]],
            address=spec["address"],
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
            opening_hours=[
                ("hours", {"days": days, "hours": hours}) for days, hours in spec["hours"]
            ],
            accessibility=spec["accessibility"],
            review_interval_days=180,
            last_reviewed_at=today - timedelta(days=300 if overdue else 20),
        )
        page.tags.add(*spec["tags"])
        if agence is not None:
            page.maintainers = [agence]
        page.gallery_images = [
            DestinationGalleryImage(
                image=get_or_create_image(title=caption, theme=theme, variant=1), caption=caption
            )
            for theme, caption in spec.get("gallery", [])
        ]
        pages[spec["slug"]] = _publish(index, page, user=agence)
        created += 1
    return pages, created


def _seed_stories(index, *, areas, destinations, agence, today):
    User = get_user_model()
    authors = {
        user.username: user for user in User.objects.filter(username__in={"agence", "camille"})
    }
    existing = set(StoryPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for spec in STORIES:
        if spec["slug"] in existing:
            continue
        page = StoryPage(
            slug=spec["slug"],
            title=spec["title"],
            date=today - timedelta(days=spec["days_ago"]),
            intro=spec["intro"],
            # A story shows the picture of the place it is about.
            hero_image=getattr(destinations.get(spec["related"][0]), "hero_image", None),
            body=_body(spec["body"]),
            author=authors.get(spec["author"]),
            area=areas[spec["area"]],
        )
        page.tags.add(*spec["tags"])
        page.related_destinations = [
            destinations[slug] for slug in spec["related"] if slug in destinations
        ]
        _publish(index, page, user=agence)
        created += 1
    return created


def _seed_events(index, *, areas, destinations, agence, today):
    User = get_user_model()
    tz = ZoneInfo(settings.TIME_ZONE)
    existing = set(EventPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    for spec in demo_events(today):
        if spec["slug"] in existing:
            continue
        start = datetime.combine(spec["day"], spec["start_time"], tzinfo=tz)
        page = EventPage(
            slug=spec["slug"],
            title=spec["title"],
            intro=spec["intro"],
            hero_image=(
                get_or_create_image(title=spec["image"][0], theme=spec["image"][1], variant=2)
                if "image" in spec
                else getattr(destinations.get(spec["venue_page"]), "hero_image", None)
            ),
            body=_body(
                [
                    ("paragraph", f"<p>{spec['description']}</p>"),
                    ("heading", "Infos pratiques"),
                    ("paragraph", f"<p>{spec.get('practical', EVENT_PRACTICAL)}</p>"),
                ]
            ),
            start=start,
            end=start + timedelta(hours=spec["hours"]),
            time_zone=settings.TIME_ZONE,
            recurrence=spec.get("recurrence", EventPage.Recurrence.NONE),
            recurrence_until=(
                spec["day"] + timedelta(days=spec["until_days"]) if "until_days" in spec else None
            ),
            status=spec.get("status", EventPage.Status.SCHEDULED),
            venue_page=destinations.get(spec.get("venue_page")),
            venue_name=spec.get("venue_name", ""),
            venue_address=spec.get("venue_address", ""),
            area=areas[spec["area"]],
            registrations_open=spec.get("registrations_open", False),
            capacity=spec.get("capacity"),
        )
        page.tags.add(*spec["tags"])
        _publish(index, page, user=agence)
        for user in User.objects.filter(username__in=spec.get("registrants", [])):
            EventRegistration.objects.get_or_create(event=page, user=user)
        created += 1
    return created
