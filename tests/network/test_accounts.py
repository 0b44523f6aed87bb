"""Accounts through django-allauth: sign-up, log-in, log-out, reset, e-mail, rate limits, 2FA."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


def log_in(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_a_visitor_signs_up_and_is_logged_in(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "yann@example.org",
            "username": "yann",
            "password1": "Morvellec-2026!",
            "password2": "Morvellec-2026!",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="yann")
    assert EmailAddress.objects.filter(user=user, email="yann@example.org").exists()
    assert client.get(reverse("account_profile")).status_code == 200


def test_sign_up_refuses_a_mismatched_password_and_stores_nothing(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@example.org", "username": "a", "password1": "x1!Az9yyy", "password2": "nope"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(username="a").exists()


@pytest.mark.parametrize("login_field", ["username", "email"])
def test_a_member_logs_in_by_username_or_email(client, user, password, login_field):
    response = log_in(client, getattr(user, login_field), password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_log_out_ends_the_session(auth_client):
    response = auth_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in auth_client.session


def test_a_wrong_password_and_an_unknown_account_get_the_same_answer(client, user):
    wrong_password = log_in(client, user.username, "not-the-password")
    unknown_account = log_in(client, "nobody-by-that-name", "not-the-password")
    assert wrong_password.status_code == unknown_account.status_code == 200
    assert wrong_password.context["form"].errors == unknown_account.context["form"].errors


def test_after_five_failures_the_right_password_is_refused_too(client, user, password):
    for _ in range(5):
        assert "_auth_user_id" not in log_in(client, user.username, "wrong").wsgi_request.session
    response = log_in(client, user.username, password)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in str(response.context["form"].errors) or (
        "Trop de tentatives" in str(response.context["form"].errors)
    )


def test_the_failure_limit_is_per_account(client, user, password):
    other = UserFactory(password=password)
    for _ in range(5):
        log_in(client, user.username, "wrong")
    assert log_in(client, other.username, password).status_code == 302


def test_password_reset_mails_a_link_that_sets_a_new_password(client, user):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Nouveau-mot-2026!", "password2": "Nouveau-mot-2026!"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-2026!")


def test_password_reset_does_not_reveal_whether_an_account_exists(client, user):
    known = client.post(reverse("account_reset_password"), {"email": user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_a_member_adds_an_email_address(auth_client, user):
    response = auth_client.post(
        reverse("account_email"), {"action_add": "", "email": "second@example.org"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=user, email="second@example.org").exists()


def test_a_member_turns_on_totp_and_then_needs_a_code_to_log_in(client, user, password):
    log_in(client, user.username, password)
    # Security settings ask for the password again first.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    # Recovery codes are generated alongside.
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200

    client.post(reverse("account_logout"))
    response = log_in(client, user.username, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_rate_limited(client, user):
    statuses = [
        client.post(reverse("account_reset_password"), {"email": user.email}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    assert len(mail.outbox) == 5
