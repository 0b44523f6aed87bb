"""Personal access tokens: the service that creates, revokes and checks them, and the account
page section that lists them."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound, RateLimited
from network.models import PersonalAccessToken
from network.services import tokens as services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKENS_URL = "/accounts/tokens/"


# Service -------------------------------------------------------------------------------------


def test_a_token_is_a_prefixed_random_secret_of_which_only_the_hash_is_stored(user):
    token, raw_token = services.create_token(actor=user, name="Website sync")

    assert re.fullmatch(r"trt_[A-Za-z0-9_-]{43}", raw_token)
    token.refresh_from_db()
    assert token.token_hash == hashlib.sha256(raw_token.encode()).hexdigest()
    assert token.prefix == raw_token[:12]
    stored = PersonalAccessToken.objects.filter(pk=token.pk).values().get()
    assert raw_token not in [str(value) for value in stored.values()]


def test_two_tokens_never_share_a_secret(user):
    _first, first_secret = services.create_token(actor=user, name="One")
    _second, second_secret = services.create_token(actor=user, name="Two")
    assert first_secret != second_secret


@pytest.mark.parametrize("name", ["", "   ", "x" * 81])
def test_a_token_needs_a_name_of_reasonable_length(user, name):
    with pytest.raises(InvalidInput):
        services.create_token(actor=user, name=name)
    assert not PersonalAccessToken.objects.exists()


def test_an_expiry_in_the_past_is_refused(user):
    with pytest.raises(InvalidInput):
        services.create_token(actor=user, name="Old", expires_at=timezone.now() - timedelta(days=1))


def test_a_suspended_member_cannot_create_a_token(user):
    user.suspended_until = timezone.now() + timedelta(days=3)
    user.save()
    with pytest.raises(NotAllowed):
        services.create_token(actor=user, name="Sneaky")
    assert not PersonalAccessToken.objects.exists()


def test_active_tokens_are_capped(user):
    for number in range(services.MAX_ACTIVE_TOKENS):
        PersonalAccessToken.objects.create(
            user=user, name=f"t{number}", prefix="trt_x", token_hash=f"{number:064d}"
        )
    with pytest.raises(Conflict):
        services.create_token(actor=user, name="One too many")


def test_creating_tokens_is_rate_limited(user):
    for number in range(10):
        token, _raw = services.create_token(actor=user, name=f"t{number}")
        services.revoke_token(actor=user, token=token)
    with pytest.raises(RateLimited):
        services.create_token(actor=user, name="Eleventh")


def test_revoking_someone_elses_token_is_not_found(user):
    token, _raw = services.create_token(actor=user, name="Mine")
    with pytest.raises(NotFound):
        services.revoke_token(actor=UserFactory(), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_a_valid_token_gives_its_user_and_notes_the_time_of_use(user):
    token, raw_token = services.create_token(actor=user, name="Sync")
    assert services.user_for_token(raw_token) == user
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_last_use_is_written_at_most_once_a_minute(user, django_assert_num_queries):
    token, raw_token = services.create_token(actor=user, name="Sync")
    services.user_for_token(raw_token)
    token.refresh_from_db()
    first_use = token.last_used_at

    # Expect 1 query: the token and its user, without an UPDATE.
    with django_assert_num_queries(1):
        services.user_for_token(raw_token)
    token.refresh_from_db()
    assert token.last_used_at == first_use

    PersonalAccessToken.objects.filter(pk=token.pk).update(
        last_used_at=first_use - timedelta(minutes=2)
    )
    services.user_for_token(raw_token)
    token.refresh_from_db()
    assert token.last_used_at > first_use - timedelta(minutes=1)


def _expire(token):
    PersonalAccessToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )


def _revoke(token):
    services.revoke_token(actor=token.user, token=token)


def _deactivate(token):
    token.user.is_active = False
    token.user.save()


def _suspend(token):
    token.user.suspended_until = timezone.now() + timedelta(days=1)
    token.user.save()


@pytest.mark.parametrize("spoil", [_expire, _revoke, _deactivate, _suspend])
def test_revoked_expired_or_barred_members_tokens_are_refused(user, spoil):
    token, raw_token = services.create_token(actor=user, name="Sync")
    spoil(token)
    assert services.user_for_token(raw_token) is None


@pytest.mark.parametrize(
    "presented",
    ["", "trt_", "trt_unknown", "ghp_abcdef", "trt_" + "a" * 500],
)
def test_unknown_tokens_are_refused(user, presented):
    services.create_token(actor=user, name="Sync")
    assert services.user_for_token(presented) is None


# Account page --------------------------------------------------------------------------------


def test_the_tokens_page_is_for_signed_in_members(client):
    response = client.get(TOKENS_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_account_menu_links_to_the_tokens_page(auth_client):
    response = auth_client.get(reverse("account_profile"))
    assert f'href="{TOKENS_URL}"' in response.content.decode()


def test_creating_a_token_shows_its_secret_once(auth_client, user):
    response = auth_client.post(TOKENS_URL, {"name": "Website sync", "expires": "30"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    secret = re.search(r'value="(trt_[^"]+)"', html).group(1)
    token = PersonalAccessToken.objects.get(user=user)
    assert token.name == "Website sync"
    assert token.token_hash == services.hash_token(secret)
    assert token.expires_at - timezone.now() > timedelta(days=29)

    again = auth_client.get(TOKENS_URL).content.decode()
    assert secret not in again
    assert "Website sync" in again
    assert token.prefix in again


def test_a_token_may_never_expire(auth_client, user):
    auth_client.post(TOKENS_URL, {"name": "Forever", "expires": "never"})
    assert PersonalAccessToken.objects.get(user=user).expires_at is None


@pytest.mark.parametrize("data", [{"name": "", "expires": "30"}, {"name": "Ok", "expires": "1000"}])
def test_a_bad_form_creates_nothing(auth_client, data):
    response = auth_client.post(TOKENS_URL, data)
    assert response.status_code == 400
    assert not PersonalAccessToken.objects.exists()
    assert 'value="trt_' not in response.content.decode()


def test_the_list_shows_only_ones_own_tokens(auth_client, user):
    services.create_token(actor=user, name="Mine")
    services.create_token(actor=UserFactory(), name="Somebody else's")
    html = auth_client.get(TOKENS_URL).content.decode()
    assert "Mine" in html
    assert "Somebody else" not in html


def test_revoking_a_token_from_the_page(auth_client, user):
    token, raw_token = services.create_token(actor=user, name="Sync")
    response = auth_client.post(reverse("network:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert services.user_for_token(raw_token) is None


def test_someone_elses_token_cannot_be_revoked_from_the_page(auth_client):
    other_token, _raw = services.create_token(actor=UserFactory(), name="Theirs")
    response = auth_client.post(reverse("network:token_revoke", args=[other_token.pk]))
    assert response.status_code == 404
    other_token.refresh_from_db()
    assert other_token.revoked_at is None


def test_revoking_needs_a_post(auth_client, user):
    token, _raw = services.create_token(actor=user, name="Sync")
    response = auth_client.get(reverse("network:token_revoke", args=[token.pk]))
    assert response.status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
