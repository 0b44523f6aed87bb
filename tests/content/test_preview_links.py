"""Secret, revocable links that let a partner without an account read a page's draft."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import DestinationPage, PreviewLink
from content.services import contributions as services
from core.errors import NotAllowed
from tests.content import factories_contrib as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def agence():
    return f.moderator("agence")


@pytest.fixture
def draft_page():
    """A published destination with newer, unpublished changes."""
    page = f.destination(title="Île aux Moines", intro="Texte en ligne.")
    page = DestinationPage.objects.get(pk=page.pk)
    page.intro = "Texte du brouillon, pas encore publié."
    page.save_revision()
    return page


@pytest.fixture
def link(agence, draft_page):
    return services.create_preview_link(actor=agence, page=draft_page)


def preview_url(link):
    return reverse("content:preview_link", args=[link.token])


def test_a_preview_link_shows_the_latest_draft_without_an_account(client, link, draft_page):
    assert "Texte en ligne." in client.get(draft_page.url).text
    response = client.get(preview_url(link))
    assert response.status_code == 200
    assert "Texte du brouillon, pas encore publié." in response.text
    assert "Texte en ligne." not in response.text


def test_a_preview_link_works_for_a_page_never_published(client, agence):
    page = f.destination(title="Projet secret", intro="Jamais publié.", live=False)
    link = services.create_preview_link(actor=agence, page=page)
    assert client.get(page.url or "/destinations/projet-secret/").status_code == 404
    response = client.get(preview_url(link))
    assert response.status_code == 200
    assert "Jamais publié." in response.text


def test_preview_responses_are_private_and_not_indexed(client, link):
    response = client.get(preview_url(link))
    assert response["X-Robots-Tag"].startswith("noindex")
    assert response["Cache-Control"] == "private, no-store"


def test_a_revoked_link_is_not_found(client, agence, link):
    services.revoke_preview_link(actor=agence, link=link)
    assert client.get(preview_url(link)).status_code == 404


def test_an_expired_link_is_not_found(client, link):
    PreviewLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(preview_url(link)).status_code == 404


def test_an_unknown_token_is_not_found(client, link):
    assert client.get(reverse("content:preview_link", args=["not-a-token"])).status_code == 404


def test_a_link_has_a_long_random_token(agence, draft_page):
    first = services.create_preview_link(actor=agence, page=draft_page)
    second = services.create_preview_link(actor=agence, page=draft_page)
    assert first.token != second.token
    assert len(first.token) >= 40


def test_links_expire_after_the_chosen_number_of_days(agence, draft_page):
    link = services.create_preview_link(actor=agence, page=draft_page, days=7)
    assert timedelta(days=6) < link.expires_at - timezone.now() <= timedelta(days=7)


def test_only_staff_who_can_edit_may_share_or_revoke(draft_page, link):
    stranger = f.contributor("camille")
    with pytest.raises(NotAllowed):
        services.create_preview_link(actor=stranger, page=draft_page)
    with pytest.raises(NotAllowed):
        services.revoke_preview_link(actor=stranger, link=link)
    link.refresh_from_db()
    assert link.is_active


def test_the_admin_creates_lists_and_revokes_links(client, agence, draft_page):
    client.force_login(agence)
    index = reverse("content_preview_links:index", args=[draft_page.pk])
    response = client.post(index, {"days": 14})
    assert response.status_code == 302
    link = PreviewLink.objects.get(page=draft_page)
    listing = client.get(index).text
    assert f"/preview/{link.token}/" in listing
    response = client.post(reverse("content_preview_links:revoke", args=[link.pk]))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert f"/preview/{link.token}/" not in client.get(index).text


def test_the_page_editor_offers_the_share_button(client, agence, draft_page):
    client.force_login(agence)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[draft_page.pk]))
    assert response.status_code == 200
    assert reverse("content_preview_links:index", args=[draft_page.pk]) in response.text


def test_a_contributor_cannot_open_the_admin_link_list(client, draft_page):
    client.force_login(f.contributor("camille"))
    response = client.get(reverse("content_preview_links:index", args=[draft_page.pk]))
    assert response.status_code in (302, 403)
    assert not PreviewLink.objects.exists()
