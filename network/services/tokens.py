"""Personal access tokens for integrations: created and revoked by their owner on the account
page, presented as `Authorization: Bearer trt_…` to the API. Only the SHA-256 of a token is
stored; the secret is shown once, when it is created."""

import hashlib
import secrets
from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from core.ratelimit import hit
from network.models import PersonalAccessToken, User

TOKEN_PREFIX = "trt_"  # noqa: S105 - a public marker, not a secret
# "trt_" and the first 8 characters of the secret: enough to tell tokens apart in a list,
# far too few to guess the rest (the secret carries 256 bits).
SHOWN_PREFIX_LENGTH = len(TOKEN_PREFIX) + 8
MAX_ACTIVE_TOKENS = 20
MAX_NAME_LENGTH = 80
# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode()).hexdigest()


def tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    """The user's tokens, newest first, revoked ones included (the list shows them)."""
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at", "-pk")


def active_tokens_of(user: User) -> QuerySet[PersonalAccessToken]:
    now = timezone.now()
    return tokens_of(user).filter(revoked_at__isnull=True).exclude(expires_at__lte=now)


def create_token(*, actor: User, name: str, expires_at=None) -> tuple[PersonalAccessToken, str]:
    """A new token for `actor`; returns it with its secret, which is never stored."""
    if not (actor.is_authenticated and actor.is_active) or actor.is_suspended:
        raise NotAllowed(_("Your account cannot create access tokens at the moment."))
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("Give the token a name, so that you can recognise it later."))
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(
            _("The name can have at most %(count)d characters.") % {"count": MAX_NAME_LENGTH}
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(_("The expiry date must be in the future."))
    hit("token-create", actor.pk, limit=10, window=3600)
    if active_tokens_of(actor).count() >= MAX_ACTIVE_TOKENS:
        raise Conflict(
            _("You already have %(count)d active tokens. Revoke one you no longer use first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    raw_token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=actor,
        name=name,
        prefix=raw_token[:SHOWN_PREFIX_LENGTH],
        token_hash=hash_token(raw_token),
        expires_at=expires_at,
    )
    return token, raw_token


def revoke_token(*, actor: User, token: PersonalAccessToken) -> PersonalAccessToken:
    """Revoke one of `actor`'s tokens. Someone else's token is NotFound, like a missing one."""
    if not actor.is_authenticated or token.user_id != actor.pk:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def user_for_token(raw_token: str) -> User | None:
    """The user a presented token acts for, or None when the token is unknown, revoked or
    expired, or its owner is inactive or suspended. Notes the time of use (at most once a
    minute)."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
        return None
    token = (
        PersonalAccessToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw_token), revoked_at__isnull=True)
        .first()
    )
    now = timezone.now()
    if token is None or (token.expires_at is not None and token.expires_at <= now):
        return None
    user = token.user
    if not user.is_active or user.is_suspended:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return user
