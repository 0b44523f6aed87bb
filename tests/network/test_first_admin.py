"""The first administrator signs in before e-mail works, and e-mail that cannot be sent is a
message on the form (and a line in the log), never a server error."""

import logging
from smtplib import SMTPServerDisconnected

import pytest
from allauth.account.models import EmailAddress
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from network.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Morvellec-Admin-2026!"


class RefusingEmailBackend(BaseEmailBackend):
    """The edge of the world: an SMTP relay that is down (or not configured yet)."""

    error = ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        raise self.error


class DisconnectingEmailBackend(RefusingEmailBackend):
    error = SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def smtp_down(settings):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"


@pytest.fixture
def unverified_member(password):
    user = UserFactory(username="yann", password=password)
    EmailAddress.objects.filter(user=user).update(verified=False)
    return user


def english(name: str) -> str:
    """The English URL, so that the messages below read as their msgids."""
    with translation.override("en"):
        return reverse(name)


def log_in(client, login, password):
    return client.post(english("account_login"), {"login": login, "password": password})


def test_createsuperuser_marks_the_admins_address_verified(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", username="admin", email="admin@territory.example")

    admin = User.objects.get(username="admin")
    address = EmailAddress.objects.get(user=admin)
    assert (address.email, address.verified, address.primary) == (
        "admin@territory.example",
        True,
        True,
    )


def test_the_first_admin_signs_in_while_smtp_is_down(client, smtp_down, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", username="admin", email="admin@territory.example")

    response = log_in(client, "admin", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


@pytest.mark.parametrize(
    "backend", ["RefusingEmailBackend", "DisconnectingEmailBackend"], ids=["refused", "smtp"]
)
def test_a_sign_in_whose_confirmation_cannot_be_sent_shows_a_form_message(
    client, settings, smtp_down, unverified_member, password, caplog, backend
):
    settings.EMAIL_BACKEND = f"{__name__}.{backend}"
    with caplog.at_level(logging.ERROR, logger="network.views.accounts"):
        response = log_in(client, "yann", password)

    assert response.status_code == 200
    assert "the site's e-mail service is not answering" in " ".join(
        response.context["form"].non_field_errors()
    )
    assert "the site&#x27;s e-mail service is not answering" in response.content.decode()
    assert [record.levelname for record in caplog.records] == ["ERROR"]
    assert client.get(reverse("account_profile")).status_code == 302  # still signed out


def test_a_sign_up_whose_confirmation_cannot_be_sent_shows_a_form_message(client, smtp_down):
    response = client.post(
        english("account_signup"),
        {
            "email": "yann@example.org",
            "username": "yann",
            "password1": "Morvellec-2026!",
            "password2": "Morvellec-2026!",
        },
    )
    assert response.status_code == 200
    assert "Log in later to receive it again" in " ".join(
        response.context["form"].non_field_errors()
    )


def test_a_password_reset_that_cannot_be_sent_shows_a_form_message(
    client, smtp_down, unverified_member
):
    response = client.post(english("account_reset_password"), {"email": unverified_member.email})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
