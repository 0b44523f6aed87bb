"""Fill the content hub with a big territory for bench/content.py.

Pages are written in bulk (rows computed here, inserted a few hundred at a time) rather than
through `add_child()` one by one: 8,000 Wagtail pages saved one at a time take many minutes,
because each save cleans the page, rewrites the search index and the reference index. The rows
are those `add_child()` would write (tree path, depth, url_path, live, locale, content type);
the search index is then filled in bulk. Pages get no revision and no reference-index rows:
the public site does not read them, and the admin falls back to the live page.

Generated pages have slugs starting with `bench-`; `--delete` removes them.
"""

import random
import time as clock
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from taggit.models import Tag
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.rich_text import RichText
from wagtail.search.backends import get_search_backend

from content.demo.images import get_or_create_image
from content.models import (
    Area,
    DestinationIndexPage,
    DestinationPage,
    DestinationPageTag,
    EventIndexPage,
    EventPage,
    EventPageTag,
    HomePage,
    StoryIndexPage,
    StoryPage,
    StoryPageTag,
)

PREFIX = "bench-"
BATCH = 250

TAGS = [
    "plage",
    "randonnée",
    "patrimoine",
    "gastronomie",
    "famille",
    "nature",
    "culture",
    "nautisme",
    "marché",
    "musique",
    "savoir-faire",
    "panorama",
]
KINDS = [
    "Plage",
    "Crique",
    "Pointe",
    "Chapelle",
    "Moulin",
    "Anse",
    "Fontaine",
    "Menhir",
    "Manoir",
    "Port",
    "Lande",
    "Calvaire",
    "Étang",
    "Phare",
    "Halle",
]
PLACES = [
    "de Kerbihan",
    "du Loc'h",
    "de Penhoët",
    "de Kervoyal",
    "du Men Glas",
    "de Trégoët",
    "de Lanvaux",
    "du Runio",
    "de Kerhervé",
    "de Saint-Gildas",
    "du Pouldu",
    "de Kergonan",
]
WORDS = (
    "granit lande marée goémon falaise sentier écume ajonc bruyère crique sable galet "
    "chaumière calvaire pardon crêpe cidre huître sardine thonier voilier phare balise "
    "dune oyat mouette cormoran vent embruns kouign-amann fest-noz biniou bombarde"
).split()
# Filler text: Breton-sounding made-up words with a Zipf-like frequency, so that word
# frequencies look like a real corpus's; each page also gets two of WORDS, so that a query for
# one of them (bench/content.py searches "granit") matches a few per cent of the pages.
SYLLABLES = (
    "ker lan mor gwen penn ty avel du glas loc tre plou bihan bras hent koad men roz traezh "
    "enez stank lenn goz nevez"
).split()
STORY_TITLES = [
    "Balade",
    "Rencontre",
    "Portrait",
    "Souvenirs",
    "Escapade",
    "Recette",
    "Carnet",
    "Week-end",
]
EVENT_TITLES = [
    "Fest-noz",
    "Marché",
    "Concert",
    "Régate",
    "Visite guidée",
    "Atelier",
    "Conférence",
    "Balade nature",
    "Exposition",
    "Pardon",
]
IMAGE_THEMES = ["beach", "path", "lighthouse", "island", "market", "chapel", "harbour", "regatta"]


class Command(BaseCommand):
    help = (
        "Generate a big territory for benchmarks: destinations, stories and events under the "
        "demo sections (run seed_demo first). Skips the work if it is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument("--destinations", type=int, default=2000)
        parser.add_argument("--stories", type=int, default=5000)
        parser.add_argument("--events", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=4, help="random seed (same data each run)")
        parser.add_argument(
            "--delete", action="store_true", help="remove the generated pages and stop"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even though DEBUG is off (never on a real site).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "DEBUG is off: bench_content writes thousands of fake pages. "
                "Pass --force if this really is a benchmark database."
            )
        home = HomePage.objects.filter(depth=2).first()
        sections = {}
        if home is not None:
            for model in (DestinationIndexPage, StoryIndexPage, EventIndexPage):
                sections[model] = model.objects.child_of(home).first()
        if home is None or None in sections.values():
            raise CommandError("The demo sections are missing: run `manage.py seed_demo` first.")

        if options["delete"]:
            deleted = self.delete_generated()
            self.stdout.write(f"Deleted {deleted} generated pages.")
            return

        rng = random.Random(options["seed"])  # noqa: S311 - fake data, not secrets
        generator = Generator(rng=rng, stdout=self.stdout)
        plan = [
            (DestinationPage, sections[DestinationIndexPage], options["destinations"]),
            (StoryPage, sections[StoryIndexPage], options["stories"]),
            (EventPage, sections[EventIndexPage], options["events"]),
        ]
        began = clock.monotonic()
        for model, parent, wanted in plan:
            have = model.objects.child_of(parent).filter(slug__startswith=PREFIX).count()
            if have >= wanted:
                self.stdout.write(f"  {model._meta.verbose_name_plural}: {have} already there")
                continue
            with transaction.atomic():
                generator.generate(model, parent, start=have, count=wanted - have)
        self.stdout.write(
            self.style.SUCCESS(f"Bench territory ready in {clock.monotonic() - began:.1f} s.")
        )

    def delete_generated(self):
        deleted = 0
        for model in (EventPage, StoryPage, DestinationPage):
            for page in model.objects.filter(slug__startswith=PREFIX).only("pk").iterator():
                page.delete()
                deleted += 1
        return deleted


class Generator:
    def __init__(self, *, rng, stdout):
        self.rng = rng
        self.stdout = stdout
        self.now = timezone.now()
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.areas = list(Area.objects.all()) or [None]
        users = get_user_model().objects.filter(is_active=True).order_by("pk")
        self.users = list(users[:20]) or [None]
        self.maintainer = users.filter(username="agence").first() or self.users[0]
        self.images = self.shared_images()
        self.tags = {name: Tag.objects.get_or_create(name=name)[0] for name in TAGS}
        self.destination_ids = []
        self.filler = sorted(
            {a + b for a in SYLLABLES for b in SYLLABLES if a != b}
            | {a + b + c for a, b, c in zip(SYLLABLES, SYLLABLES[3:], SYLLABLES[7:], strict=False)}
        )
        rng.shuffle(self.filler)
        self.filler_weights = [1 / (rank + 1) for rank in range(len(self.filler))]

    def shared_images(self):
        """A handful of images shared by every generated page: the cards' renditions are made
        once, as they would be on a site whose editors reuse their photo library."""
        Image = get_image_model()
        images = list(Image.objects.filter(title__startswith="Bench ")[: len(IMAGE_THEMES)])
        for n, theme in enumerate(IMAGE_THEMES[len(images) :], start=len(images)):
            images.append(get_or_create_image(title=f"Bench {n + 1}", theme=theme, variant=5))
        return images

    def sentence(self, words=12):
        picked = self.rng.choices(self.filler, weights=self.filler_weights, k=words)
        return " ".join(picked).capitalize() + "."

    def body(self):
        themes = " ".join(self.rng.sample(WORDS, k=2))
        return [
            ("heading", self.sentence(4).rstrip(".")),
            ("paragraph", RichText(f"<p>{self.sentence(14)} {themes} {self.sentence(10)}</p>")),
            ("paragraph", RichText(f"<p>{self.sentence(12)}</p>")),
        ]

    def generate(self, model, parent, *, start, count):
        began = clock.monotonic()
        build = {
            DestinationPage: self.destination,
            StoryPage: self.story,
            EventPage: self.event,
        }[model]
        done = 0
        while done < count:
            size = min(BATCH, count - done)
            pages, extras = [], []
            for n in range(start + done, start + done + size):
                page, extra = build(n)
                pages.append(page)
                extras.append(extra)
            insert_children(parent, pages)
            self.add_relations(model, pages, extras)
            get_search_backend().add_bulk(model, pages)
            if model is DestinationPage:
                self.destination_ids.extend(page.pk for page in pages)
            done += size
        self.stdout.write(
            f"  {model._meta.verbose_name_plural}: {count} created "
            f"in {clock.monotonic() - began:.1f} s"
        )

    def add_relations(self, model, pages, extras):
        through = {
            DestinationPage: DestinationPageTag,
            StoryPage: StoryPageTag,
            EventPage: EventPageTag,
        }[model]
        through.objects.bulk_create(
            [
                through(content_object_id=page.pk, tag_id=self.tags[name].pk)
                for page, extra in zip(pages, extras, strict=True)
                for name in extra["tags"]
            ]
        )
        if model is DestinationPage:
            maintainers = DestinationPage._meta.get_field("maintainers").remote_field.through
            maintainers.objects.bulk_create(
                [
                    maintainers(destinationpage_id=page.pk, user_id=extra["maintainer"].pk)
                    for page, extra in zip(pages, extras, strict=True)
                    if extra["maintainer"] is not None
                ]
            )
        if model is StoryPage and self.destination_ids:
            related = StoryPage._meta.get_field("related_destinations").remote_field.through
            rows = []
            for page in pages:
                for destination_id in set(self.rng.sample(self.destination_ids, k=2)):
                    rows.append(related(storypage_id=page.pk, destinationpage_id=destination_id))
            related.objects.bulk_create(rows)

    def common(self):
        return {
            "hero_image": self.rng.choice(self.images),
            "area": self.rng.choice(self.areas),
            "body": self.body(),
            "intro": self.sentence(16),
        }

    def tag_names(self):
        return self.rng.sample(TAGS, k=self.rng.randint(1, 3))

    def destination(self, n):
        kind, place = self.rng.choice(KINDS), self.rng.choice(PLACES)
        title = f"{kind} {place} ({n + 1})"
        reviewed = timezone.localdate() - timedelta(days=self.rng.randint(0, 400))
        page = DestinationPage(
            title=title,
            slug=f"{PREFIX}destination-{n + 1}",
            address=f"{self.rng.randint(1, 80)} rue {place}, 56990 Morvellec",
            latitude=Decimal("47.55") + Decimal(self.rng.randint(0, 100000)) / 1000000,
            longitude=Decimal("-3.30") + Decimal(self.rng.randint(0, 150000)) / 1000000,
            opening_hours=[("hours", {"days": "Tous les jours", "hours": "9:00–18:00"})],
            accessibility="Accès de plain-pied.",
            review_interval_days=180,
            last_reviewed_at=reviewed,
            next_review_due=reviewed + timedelta(days=180),
            **self.common(),
        )
        return page, {"tags": self.tag_names(), "maintainer": self.maintainer}

    def story(self, n):
        title = f"{self.rng.choice(STORY_TITLES)} {self.rng.choice(PLACES)} ({n + 1})"
        page = StoryPage(
            title=title,
            slug=f"{PREFIX}story-{n + 1}",
            date=timezone.localdate() - timedelta(days=self.rng.randint(0, 3 * 365)),
            author=self.rng.choice(self.users),
            **self.common(),
        )
        return page, {"tags": self.tag_names()}

    def event(self, n):
        title = f"{self.rng.choice(EVENT_TITLES)} {self.rng.choice(PLACES)} ({n + 1})"
        day = timezone.localdate() + timedelta(days=self.rng.randint(-60, 365))
        start = datetime.combine(day, time(self.rng.randint(8, 21), 0), tzinfo=self.tz)
        recurrence = ""
        until = None
        roll = self.rng.random()
        if roll < 0.05:
            recurrence = EventPage.Recurrence.WEEKLY
            until = day + timedelta(days=self.rng.randint(30, 240))
        elif roll < 0.10:
            recurrence = EventPage.Recurrence.MONTHLY
            until = day + timedelta(days=self.rng.randint(90, 365))
        venue_page_id = None
        if self.destination_ids and self.rng.random() < 0.5:
            venue_page_id = self.rng.choice(self.destination_ids)
        registrations = self.rng.random() < 0.2
        page = EventPage(
            title=title,
            slug=f"{PREFIX}event-{n + 1}",
            start=start,
            end=start + timedelta(hours=self.rng.randint(1, 6)),
            time_zone=settings.TIME_ZONE,
            recurrence=recurrence,
            recurrence_until=until,
            status=(
                EventPage.Status.CANCELLED
                if self.rng.random() < 0.03
                else EventPage.Status.SCHEDULED
            ),
            venue_page_id=venue_page_id,
            venue_name="" if venue_page_id else f"Salle {self.rng.choice(PLACES)}",
            venue_address="" if venue_page_id else "Place de la Mairie, 56990 Morvellec",
            registrations_open=registrations,
            capacity=self.rng.choice([20, 50, 100]) if registrations else None,
            **self.common(),
        )
        return page, {"tags": self.tag_names()}


def insert_children(parent, pages):
    """Insert `pages` (unsaved instances of one page model) as the last children of `parent`,
    writing the rows that `parent.add_child()` would write, in two bulk inserts."""
    model = type(pages[0])
    parent.refresh_from_db(fields=["path", "depth", "numchild", "url_path", "locale"])
    last = parent.get_last_child()
    step = Page._str2int(last.path[-Page.steplen :]) if last else 0
    depth = parent.depth + 1
    published = timezone.now()
    base_fields = [field for field in Page._meta.concrete_fields if not field.primary_key]
    bases = []
    for page in pages:
        step += 1
        page.path = Page._get_path(parent.path, depth, step)
        page.depth = depth
        page.numchild = 0
        page.url_path = f"{parent.url_path}{page.slug}/"
        page.draft_title = page.title
        page.live = True
        page.has_unpublished_changes = False
        page.first_published_at = page.last_published_at = published
        page.locale_id = parent.locale_id
        bases.append(Page(**{field.attname: getattr(page, field.attname) for field in base_fields}))
    Page.objects.bulk_create(bases, batch_size=BATCH)
    for page, base in zip(pages, bases, strict=True):
        page.id = page.page_ptr_id = base.pk
    # Django's bulk_create refuses multi-table children; their own table is one plain insert.
    model._base_manager._insert(pages, fields=model._meta.local_concrete_fields)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))
