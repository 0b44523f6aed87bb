"""Writes to people and accounts. Views, API endpoints, consumers and tasks all call these."""

import re
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotAllowed
from core.sanitizer import clean_html, clean_text
from network import signals
from network.models import PersonalAccessToken, User
from network.permissions import can_edit_profile

PROFILE_FIELDS = (
    "display_name",
    "first_name",
    "last_name",
    "avatar",
    "preferred_language",
    "area",
    "show_town_on_map",
    "bio",
    "interests",
)
PRIVATE_PROFILE_FIELDS = {"preferred_language"}  # not shown to anyone else
MAX_INTERESTS = 12
MAX_INTEREST_LENGTH = 50


def clean_interests(values) -> list[str]:
    """Plain-text interest names, without duplicates; InvalidInput past MAX_INTERESTS."""
    interests = [clean_text(str(value))[:MAX_INTEREST_LENGTH] for value in values or ()]
    interests = list(dict.fromkeys(interest for interest in interests if interest))
    if len(interests) > MAX_INTERESTS:
        raise InvalidInput(_("%(count)s interests at most.") % {"count": MAX_INTERESTS})
    return interests


@transaction.atomic
def update_profile(*, actor: User, user: User, **changes) -> User:
    """Apply already-validated profile fields (ProfileForm validates them). The bio is
    sanitised here, so every caller stores the same harmless HTML."""
    if not can_edit_profile(actor, user, public=bool(set(changes) - PRIVATE_PROFILE_FIELDS)):
        if actor.pk == user.pk:
            raise NotAllowed(_("Your account is suspended: your public profile cannot change."))
        raise NotAllowed(_("You can only edit your own profile."))
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    if "bio" in changes:
        bio = clean_html(changes["bio"] or "")
        if len(bio) > User._meta.get_field("bio").max_length:
            raise InvalidInput(_("Your presentation is too long (2,000 characters at most)."))
        changes["bio"] = bio
    if "display_name" in changes:
        changes["display_name"] = clean_text(changes["display_name"] or "")
    interests = changes.pop("interests", None)
    if interests is not None:
        interests = clean_interests(interests)
    for field, value in changes.items():
        # save_form_data is how ModelForm applies values (False clears a file field).
        User._meta.get_field(field).save_form_data(user, value)
    if changes:
        user.save(update_fields=list(changes))
    if interests is not None:
        user.interests.set(interests)
    return user


def _forget_cached_sessions(session_keys: list[str]) -> None:
    """With cached sessions (settings: cached_db) a deleted session row would still be read
    from the cache until it expires: drop those copies too."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    prefix = getattr(store, "cache_key_prefix", None)
    if prefix and session_keys:
        caches[settings.SESSION_CACHE_ALIAS].delete_many([prefix + key for key in session_keys])


def sign_out_everywhere(user: User) -> None:
    """End every way the member is connected: sessions, personal access tokens and, once the
    transaction commits, open sockets (signals.access_revoked). Suspension and account
    deletion call this inside their own transaction."""
    now = timezone.now()
    PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    user_id = str(user.pk)
    ids = []
    # Sessions are signed blobs keyed by a random id: the only way to find a member's is to
    # decode each live one (a few thousand at most for a territory's community).
    for session in Session.objects.filter(expire_date__gt=now).iterator(2000):
        try:
            if session.get_decoded().get("_auth_user_id") == user_id:
                ids.append(session.pk)
        except Exception:  # noqa: BLE001, S112 - an unreadable session is nobody's
            continue
    Session.objects.filter(pk__in=ids).delete()
    _forget_cached_sessions(ids)
    pk = user.pk
    transaction.on_commit(lambda: signals.access_revoked.send(sender=User, user_id=pk))


@transaction.atomic
def verify_admin_email(*, user: User) -> None:
    """Mark a site administrator's address as verified and primary. Called where the admin
    is made by someone with shell access to the server (`createsuperuser`, `setup_site
    --admin`), which vouches for the address: the first admin can then sign in before any
    e-mail can be sent (e-mail verification is mandatory)."""
    from allauth.account.models import EmailAddress

    if not (user.is_superuser and user.email):
        raise NotAllowed(_("Only a site administrator's address is verified this way."))
    EmailAddress.objects.filter(user=user, primary=True).exclude(email__iexact=user.email).update(
        primary=False
    )
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


@transaction.atomic
def make_site_admin(*, email: str) -> tuple[User, bool]:
    """The superuser with this address, made one if needed (an existing account is promoted;
    a new one gets no usable password: `manage.py changepassword` sets it), its address
    verified. Returns (user, created)."""
    email = User.objects.normalize_email(email.strip())
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    created = user is None
    if created:
        # What Django's username validator accepts, from the address's local part.
        base = re.sub(r"[^\w.+-]", "", email.split("@")[0])[:140] or "admin"
        username, number = base, 1
        while User.objects.filter(username__iexact=username).exists():
            number += 1
            username = f"{base}{number}"
        user = User(username=username, email=email)
        user.set_unusable_password()
    user.is_superuser = user.is_staff = user.is_active = True
    user.save()
    verify_admin_email(user=user)
    return user, created
