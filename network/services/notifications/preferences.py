"""Each member's channel per kind, and the signed unsubscribe links of e-mails."""

from django.core import signing
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import InvalidInput, NotAllowed
from network.models import (
    NotificationPreference,
    User,
)
from network.permissions import (
    can_edit_profile,
)
from network.registries import (
    default_channel,
    notification_kind,
)
from network.services.notifications.common import EMAIL_CHANNELS, UNSUBSCRIBE_SALT, Channel
from network.services.notifications.kinds import kind_keys

# Preferences --------------------------------------------------------------------------------


def channels_for(user) -> dict[str, str]:
    """Every kind's channel for `user`: their choice, else the default."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, default_channel(kind)) for kind in kind_keys()}


@transaction.atomic
def set_notification_preferences(*, actor: User, user: User, channels: dict) -> dict[str, str]:
    """Save `channels` ({kind: channel}, some kinds or all) for `user`."""
    if not can_edit_profile(actor, user, public=False):
        raise NotAllowed(_("You can only change your own notification preferences."))
    for kind, channel in channels.items():
        if notification_kind(kind) is None:
            raise InvalidInput(_("Unknown kind of notification: %(kind)s") % {"kind": kind})
        if channel not in Channel.values:
            raise InvalidInput(_("Unknown choice: %(channel)s") % {"channel": channel})
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=user, kind=k, channel=c) for k, c in channels.items()],
        update_conflicts=True,
        unique_fields=["user", "kind"],
        update_fields=["channel", "updated_at"],
    )
    return channels_for(user)


def unsubscribe_token(user_id: int, kinds) -> str:
    """A link's proof that it was made for this member and these kinds: signed with the
    site's secret and a salt of its own, so it cannot be made or altered elsewhere."""
    return signing.dumps({"u": user_id, "k": sorted(set(kinds))}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[User, list[str]]:
    """The member and kinds of a link; InvalidInput (400) if it is forged, altered or stale."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user_id, kinds = int(payload["u"]), list(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput(_("This unsubscribe link is not valid.")) from None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not kinds or not set(kinds) <= set(kind_keys()):
        raise InvalidInput(_("This unsubscribe link is not valid."))
    return user, kinds


@transaction.atomic
def unsubscribe(*, token: str) -> tuple[User, list[str]]:
    """Stop e-mails of the link's kinds for its member (they stay on the site). Needs no
    log-in: the signed token is the authority, and it can do nothing else."""
    user, kinds = read_unsubscribe_token(token)
    current = channels_for(user)
    changes = {kind: Channel.SITE for kind in kinds if current[kind] in EMAIL_CHANNELS}
    if changes:
        set_notification_preferences(actor=user, user=user, channels=changes)
    return user, kinds
