"""A member's own profile: display name, avatar, preferred language."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from core.errors import NotAllowed
from network import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def png_bytes(size=(64, 64)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (15, 92, 99)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_profile_page_needs_a_log_in(client):
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_member_updates_their_profile_with_an_avatar(auth_client, user):
    response = auth_client.post(
        reverse("account_profile"),
        {
            "display_name": "Maël du Port",
            "first_name": "Maël",
            "last_name": "",
            "preferred_language": "fr",
            "avatar": SimpleUploadedFile("me.png", png_bytes(), content_type="image/png"),
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Maël du Port"
    assert user.avatar.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("fake.jpg", b"this is only text", "image/jpeg"),
        ("huge.png", b"\x89PNG" + b"0" * (3 * 1024 * 1024), "image/png"),
    ],
)
def test_a_disguised_or_oversized_avatar_is_refused_and_nothing_changes(
    auth_client, user, name, content, content_type
):
    response = auth_client.post(
        reverse("account_profile"),
        {
            "display_name": "Changed",
            "preferred_language": "fr",
            "avatar": SimpleUploadedFile(name, content, content_type=content_type),
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"]
    user.refresh_from_db()
    assert user.display_name != "Changed"
    assert not user.avatar


def test_choosing_english_on_the_profile_sends_the_member_to_english_pages(auth_client, user):
    response = auth_client.post(
        reverse("account_profile"), {"display_name": "X", "preferred_language": "en"}
    )
    assert response["Location"] == "/en/accounts/profile/"


def test_the_language_switch_remembers_the_choice_for_a_member(auth_client, user):
    auth_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.preferred_language == "en"


def test_log_in_lands_in_the_members_preferred_language(client, password):
    member = UserFactory(preferred_language="en", password=password)
    response = client.post(
        reverse("account_login"), {"login": member.username, "password": password}
    )
    assert response["Location"] == "/en/"


def test_no_one_can_edit_someone_elses_profile(user):
    other = UserFactory()
    with pytest.raises(NotAllowed):
        services.update_profile(actor=other, user=user, display_name="Hijacked")
    user.refresh_from_db()
    assert user.display_name != "Hijacked"
