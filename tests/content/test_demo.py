"""The demo territory of `seed_demo` (content part) and the bench generator."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from content.models import (
    Area,
    DestinationPage,
    EventPage,
    EventRegistration,
    StoryPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return tmp_path_factory.mktemp("demo-media")


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, demo_media):
    """The demo territory, seeded once for the module (seeding takes seconds) inside a
    transaction that is rolled back afterwards; each test runs in a savepoint within it."""
    with override_settings(MEDIA_ROOT=demo_media), django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", "--force", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, settings, demo_media):
    settings.MEDIA_ROOT = demo_media


def written_destinations():
    """The demo's own destinations, not those imported from its open-data flow (see
    test_the_demo_shows_a_few_imported_pages)."""
    return DestinationPage.objects.live().filter(imported_record__isnull=True)


def test_it_creates_destinations_across_three_communes(seeded):
    destinations = written_destinations()
    assert destinations.count() >= 8
    communes = Area.objects.filter(
        kind=Area.Kind.COMMUNE, parent__slug="presquile-de-morvellec"
    ).values_list("slug", flat=True)
    assert set(communes) >= {"port-morvellec", "kerlann", "saint-aven-des-dunes"}
    communes_used = {
        page.area.parent.slug if page.area.kind == Area.Kind.DISTRICT else page.area.slug
        for page in destinations.select_related("area__parent")
    }
    assert len(communes_used) >= 3


def test_the_demo_shows_a_few_imported_pages(seeded):
    from content.imports.models import ImportedRecord

    records = ImportedRecord.objects.select_related("page")
    assert records.count() == 4
    assert all(record.page.live for record in records)
    assert {type(record.page.specific).__name__ for record in records} == {
        "DestinationPage",
        "EventPage",
    }


def test_every_destination_has_a_generated_hero_image_and_practical_information(seeded):
    for page in written_destinations().select_related("hero_image"):
        assert (page.hero_image.width, page.hero_image.height) == (1600, 900)
        assert page.coordinates is not None
        assert page.address and page.accessibility and page.intro
        assert len(page.opening_hours) >= 1
        assert [block.block_type for block in page.body][:2] == ["heading", "paragraph"]
        assert page.tags.exists()
        assert [user.username for user in page.maintainers.all()] == ["agence"]
    assert DestinationPage.objects.filter(gallery_images__isnull=False).distinct().count() >= 2


def test_exactly_one_destination_is_past_its_review_date(seeded):
    overdue = DestinationPage.objects.filter(next_review_due__lt=timezone.localdate())
    assert overdue.count() == 1
    page = overdue.get()
    assert page.review_interval_days == 180
    assert (timezone.localdate() - page.last_reviewed_at).days == 300


def test_it_creates_six_stories_two_of_them_by_camille(seeded):
    stories = StoryPage.objects.live().filter(locale__language_code="fr")
    assert stories.count() == 6
    assert stories.filter(author__username="camille").count() == 2
    assert stories.filter(author__username="agence").count() == 4
    for story in stories:
        assert story.related_destinations.exists()
        assert story.tags.exists()
        assert story.date < timezone.localdate()


def test_it_creates_five_upcoming_events_and_one_past(seeded):
    events = EventPage.objects.live()
    assert events.upcoming().count() >= 5
    assert events.past().count() >= 1
    assert events.filter(status=EventPage.Status.POSTPONED).exists()
    assert events.exclude(recurrence="").count() >= 2
    assert events.filter(venue_page__isnull=False).exists()
    assert events.filter(venue_page__isnull=True).exclude(venue_address="").exists()


def test_the_guided_walk_shows_its_registrations(seeded):
    walk = EventPage.objects.get(slug="balade-guidee-du-sentier-des-douaniers")
    assert walk.registrations_open
    assert EventRegistration.objects.filter(event=walk).count() == 5
    assert walk.places_label == "5/12"


def test_everything_is_published_with_a_revision(seeded):
    pages = Page.objects.filter(depth__gte=3).type(DestinationPage, StoryPage, EventPage)
    assert not pages.filter(live=False).exists()
    assert not pages.filter(live_revision__isnull=True).exists()


def test_a_second_run_adds_nothing_and_keeps_staff_edits(seeded):
    edited = DestinationPage.objects.get(slug="phare-du-men-du")
    edited.title = "Phare du Men Du (modifié)"
    edited.save_revision().publish()
    counts = (Page.objects.count(), get_image_model().objects.count(), Revision.objects.count())

    call_command("seed_demo", "--force", stdout=io.StringIO())

    assert (
        Page.objects.count(),
        get_image_model().objects.count(),
        Revision.objects.count(),
    ) == counts
    assert DestinationPage.objects.get(slug="phare-du-men-du").title == "Phare du Men Du (modifié)"


def test_the_demo_pages_render(seeded, client):
    for path in [
        "/destinations/",
        "/destinations/phare-du-men-du/",
        "/stories/",
        "/stories/une-journee-sur-l-ile-de-berc-h/",
        "/events/",
        "/events/balade-guidee-du-sentier-des-douaniers/",
    ]:
        assert client.get(path).status_code == 200, path


def test_bench_content_refuses_to_run_with_debug_off_without_force(seeded):
    with pytest.raises(CommandError, match="--force"):
        call_command("bench_content", "--destinations", "3", stdout=io.StringIO())


def test_bench_content_generates_a_valid_tree_and_is_idempotent(seeded, client):
    args = ["--destinations", "7", "--stories", "9", "--events", "5", "--force"]
    call_command("bench_content", *args, stdout=io.StringIO())
    call_command("bench_content", *args, stdout=io.StringIO())

    generated = Page.objects.filter(slug__startswith="bench-")
    assert generated.type(DestinationPage).count() == 7
    assert generated.type(StoryPage).count() == 9
    assert generated.type(EventPage).count() == 5
    assert Page.find_problems() == ([], [], [], [], [])
    assert client.get("/destinations/bench-destination-3/").status_code == 200
    assert client.get("/stories/?page=2").status_code == 200
    first = DestinationPage.objects.get(slug="bench-destination-1")
    assert first.tags.exists() and first.maintainers.exists()
    assert first in DestinationPage.objects.live().search(first.title.split(" (")[0])


def test_the_main_pages_have_an_english_version(seeded, client):
    english = Page.objects.filter(locale__language_code="en").live()
    assert english.type(DestinationPage).count() >= 3
    assert english.type(StoryPage).count() >= 2
    assert english.type(EventPage).count() >= 3
    for section in ["", "destinations/", "stories/", "events/", "community-rules/"]:
        path = f"/en/{section}"
        response = client.get(path)
        assert response.status_code == 200, path
        assert '<html lang="en">' in response.text
    html = client.get("/en/destinations/customs-officers-path/").text
    assert "The Customs Officers' Path" in html and "Sentier des douaniers" not in html
