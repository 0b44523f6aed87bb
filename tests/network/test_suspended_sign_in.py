"""A suspended member cannot sign in: the log-in form says until when and links to the
statement of reasons and the complaint form, which a signed link opens without a session."""

from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone

from network.models import Case, Complaint
from network.selectors.moderation import statement_link_token
from network.services import moderation as services
from tests.factories import UserFactory
from tests.network.factories import PostFactory

pytestmark = pytest.mark.django_db

PASSWORD = "territoire-demo"


@pytest.fixture
def staff():
    return UserFactory(username="agence", is_staff=True)


@pytest.fixture
def nina():
    return UserFactory(username="nina", email="nina@example.org")


@pytest.fixture
def suspension(staff, nina):
    post = PostFactory(author=nina)
    services.report(actor=staff, target=post, reason="spam", explanation="Pub")
    return services.decide(
        actor=staff,
        case=Case.objects.get(),
        action="suspend",
        facts="Publicité répétée",
        ground="Règle 2",
        suspended_until=timezone.now() + timedelta(days=7),
    )


def log_in(client, login):
    return client.post(reverse("account_login"), {"login": login, "password": PASSWORD})


@pytest.mark.parametrize("login", ["nina", "nina@example.org"])
def test_a_suspended_member_cannot_sign_in(suspension, login):
    client = Client()
    response = log_in(client, login)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("network:notifications")).status_code == 302


def test_the_log_in_form_says_until_when_and_links_to_the_statement(suspension, nina):
    response = log_in(Client(), "nina")
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    nina.refresh_from_db()
    until = timezone.localtime(nina.suspended_until)
    assert formats.date_format(until, "DATETIME_FORMAT") in errors[0]
    link = reverse(
        "network:moderation_decision_by_link",
        args=[suspension.pk, statement_link_token(suspension)],
    )
    page = response.content.decode()
    assert f'href="{link}"' in page
    assert f'href="{link}#contest"' in page


def test_a_wrong_password_says_nothing_of_the_suspension(suspension):
    response = Client().post(reverse("account_login"), {"login": "nina", "password": "nope"})
    assert "suspendu" not in response.content.decode()


def test_no_sign_in_path_lets_a_suspended_member_in(suspension):
    """Django's and allauth's back-ends both refuse (Wagtail's and Django's admin log-in)."""
    assert authenticate(None, username="nina", password=PASSWORD) is None
    assert authenticate(None, email="nina@example.org", password=PASSWORD) is None
    assert not Client().login(username="nina", password=PASSWORD)


def test_once_the_suspension_is_over_the_member_signs_in_again(suspension, nina):
    nina.suspended_until = timezone.now() - timedelta(minutes=1)
    nina.save()
    client = Client()
    assert log_in(client, "nina").status_code == 302
    assert client.session["_auth_user_id"] == str(nina.pk)


def test_the_signed_link_shows_the_statement_and_takes_a_complaint(suspension, nina):
    client = Client()
    link = reverse(
        "network:moderation_decision_by_link",
        args=[suspension.pk, statement_link_token(suspension)],
    )
    page = client.get(link)
    assert page.status_code == 200
    assert "Publicité répétée" in page.content.decode()
    assert 'id="contest"' in page.content.decode()
    response = client.post(link, {"text": "Ce n'était pas de la publicité."})
    assert response.status_code == 302
    complaint = Complaint.objects.get(decision=suspension)
    assert complaint.author == nina
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "token",
    ["forged", "eyJkIjoxLCJ1IjoxfQ:1tXyZa:forgedsignatureforgedsignature00000"],
)
def test_a_forged_link_is_not_found(suspension, token):
    link = reverse("network:moderation_decision_by_link", args=[suspension.pk, token])
    assert Client().get(link).status_code == 404


def test_a_link_for_another_decision_is_not_found(suspension, staff):
    other = PostFactory(author=staff)
    services.report(actor=UserFactory(), target=other, reason="spam", explanation="Pub")
    token = statement_link_token(suspension)
    link = reverse("network:moderation_decision_by_link", args=[suspension.pk + 1000, token])
    assert Client().get(link).status_code == 404


def test_an_expired_link_is_not_found(suspension):
    token = statement_link_token(suspension)
    link = reverse("network:moderation_decision_by_link", args=[suspension.pk, token])
    later = timezone.now().timestamp() + 2 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert Client().get(link).status_code == 404
