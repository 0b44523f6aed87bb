"""/api/v2/images/ lists only the images the public may see: those live, public pages use and
those of a public collection, never a member's pending upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from content.services.contributions import submit_suggestion

from . import factories_contrib as contrib
from .factories_feeds import destination, destination_index, image, make_private

pytestmark = pytest.mark.django_db


def listed_ids(client, **params):
    response = client.get("/api/v2/images/", params)
    assert response.status_code == 200, response.content[:300]
    return [item["id"] for item in response.json()["items"]]


def photo_upload():
    image_file = get_test_image_file(filename="photo.png")
    return SimpleUploadedFile("photo.png", image_file.file.getvalue(), content_type="image/png")


def published_with(hero, django_capture_on_commit_callbacks, *, live=True):
    """A destination using `hero`; Wagtail records the reference once the save commits."""
    with django_capture_on_commit_callbacks(execute=True):
        return destination(destination_index(), "Phare", hero_image=hero, live=live)


def test_a_pending_suggestion_photo_is_not_listed_to_anyone(
    client, django_capture_on_commit_callbacks
):
    page = contrib.destination()
    with django_capture_on_commit_callbacks(execute=True):
        suggestion = submit_suggestion(
            author=contrib.contributor(),
            page=page,
            what_is_wrong="Le phare est fermé.",
            photo=photo_upload(),
        )

    assert suggestion.photo_id not in listed_ids(client, order="-id")
    assert client.get(f"/api/v2/images/{suggestion.photo_id}/").status_code == 404


def test_an_image_no_page_uses_is_not_listed(client):
    image("Téléversée, jamais publiée")

    assert listed_ids(client) == []


def test_an_image_a_live_public_page_uses_is_listed(client, django_capture_on_commit_callbacks):
    hero = image("Le phare")
    published_with(hero, django_capture_on_commit_callbacks)

    assert listed_ids(client) == [hero.pk]
    assert client.get(f"/api/v2/images/{hero.pk}/").json()["meta"]["download_url"]


def test_an_image_only_a_draft_uses_is_not_listed(client, django_capture_on_commit_callbacks):
    hero = image("Brouillon")
    published_with(hero, django_capture_on_commit_callbacks, live=False)

    assert listed_ids(client) == []


def test_an_image_only_a_private_page_uses_is_not_listed(
    client, django_capture_on_commit_callbacks
):
    hero = image("Réservé")
    make_private(published_with(hero, django_capture_on_commit_callbacks))

    assert listed_ids(client) == []


def test_an_image_of_a_public_collection_is_listed(client, settings):
    settings.PUBLIC_IMAGE_COLLECTIONS = ["Presse"]
    press = Collection.get_first_root_node().add_child(name="Presse")
    kit = image("Kit presse")
    kit.collection = press
    kit.save()
    image("Ailleurs")

    assert listed_ids(client) == [kit.pk]
