"""Notifications: who is told what, and how.

`notify()` is the one entry point (network/receivers.py calls it for every signal). It only
enqueues `create_notifications_task` once the transaction commits, so the action that caused
the notifications stays fast however many recipients there are; the task checks that each
recipient may see the target, skips the actor and those who turned the kind off, and inserts
one row per recipient with `ignore_conflicts` on the unique (recipient, event_key): a retried
task creates nothing twice. E-mails at once, digests and the live push follow from the rows.
"""

import logging
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from core.errors import InvalidInput, NotAllowed
from core.mail import site_url, subject_line
from network import signals
from network.caches import CLOSE_FOLLOWERS, UNREAD_COUNTS
from network.models import (
    Comment,
    Group,
    GroupMembership,
    Notification,
    NotificationKind,
    NotificationPreference,
    Post,
    User,
)
from network.permissions import (
    can_edit_profile,
    can_moderate_group,
    can_see_post,
    remember_permissions,
)
from network.registries import (
    NotificationKindSpec,
    default_channel,
    notification_kind,
    notification_kinds,
    register_notification_kind,
)

logger = logging.getLogger(__name__)

# Set while replaying past events (the demo data): their notifications are listed, not e-mailed.
_without_email = ContextVar("notifications_without_email", default=False)


@contextmanager
def without_email():
    """Notifications created inside this block are not e-mailed at once."""
    token = _without_email.set(True)
    try:
        yield
    finally:
        _without_email.reset(token)


Kind = NotificationKind
Channel = NotificationPreference.Channel

EMAIL_CHANNELS = {Channel.EMAIL, Channel.DAILY, Channel.WEEKLY}
# A digest takes what its period left unsent, with a margin for a run that was missed.
DIGEST_WINDOWS = {Channel.DAILY: timedelta(days=2), Channel.WEEKLY: timedelta(days=8)}
FANOUT_BATCH = 1000
UNREAD_CACHE_SECONDS = UNREAD_COUNTS.timeout
UNSUBSCRIBE_SALT = "network.notifications.unsubscribe"
MAX_EXCERPT = 140


# The network's own kinds -----------------------------------------------------------------------
# Registered like any other app's (network/registries.py). What a member gets before choosing:
# things addressed to them personally come by e-mail at once; the busy kinds (comments, posts
# of closely followed groups) in the daily digest; reactions and follows on the site only.
# Invitations, suggestion decisions and review reminders already have their own e-mail (the
# groups service and the content hub send it), so their notification stays on the site.
# Sentences are (alone, with others): "Camille reacted…" / "Camille and 4 others reacted…".


def _describe_join_decision(values: dict, data: dict) -> str:
    if data.get("approved"):
        return _("Your request to join %(group)s was approved") % values
    return _("Your request to join %(group)s was declined") % values


def _describe_suggestion_decision(values: dict, data: dict) -> str:
    if data.get("accepted"):
        return _("Your suggestion on “%(page)s” was accepted") % values
    return _("Your suggestion on “%(page)s” was declined") % values


def _describe_review_due(values: dict, data: dict) -> str:
    return _("“%(page)s” is due for review") % values


def _measure(data: dict) -> str:
    from network.models import ModerationAction

    return str(dict(ModerationAction.choices).get(data.get("action"), ""))


def _describe_moderation_decision(values: dict, data: dict) -> str:
    if data.get("auto_hidden"):
        if data.get("kind") == "comment":
            return _(
                "Your comment is hidden until a moderator reviews it: %(count)s members "
                "reported it (an automated rule)"
            ) % {"count": data.get("reports", 3)}
        return _(
            "Your post is hidden until a moderator reviews it: %(count)s members reported "
            "it (an automated rule)"
        ) % {"count": data.get("reports", 3)}
    if data.get("released"):
        if data.get("kind") == "comment":
            return _("A moderator approved your comment: it is published")
        return _("A moderator approved your post: it is published")
    if data.get("complaint"):
        return _("A moderator answered your complaint: %(measure)s") % {"measure": _measure(data)}
    return _("A moderator took a decision about your content: %(measure)s") % {
        "measure": _measure(data)
    }


def _describe_moderation_outcome(values: dict, data: dict) -> str:
    return _("Your report was handled: %(measure)s") % {"measure": _measure(data)}


def _describe_follow(values: dict, data: dict) -> str:
    if data.get("organisation"):
        alone = gettext_lazy("%(actor)s now follows %(organisation)s")
        with_others = ngettext_lazy(
            "%(actor)s and %(count)s other person now follow %(organisation)s",
            "%(actor)s and %(count)s other people now follow %(organisation)s",
            "count",
        )
    else:
        alone = gettext_lazy("%(actor)s now follows you")
        with_others = ngettext_lazy(
            "%(actor)s and %(count)s other person now follow you",
            "%(actor)s and %(count)s other people now follow you",
            "count",
        )
    return str(with_others % values if values["count"] else alone % values)


def _can_receive_join_request(user, target) -> bool:
    return not isinstance(target, Group) or can_moderate_group(user, target)


for _spec in (
    NotificationKindSpec(
        key=Kind.MENTION.value,
        label=Kind.MENTION.label,
        default_channel=Channel.EMAIL,
        sentence=gettext_lazy("%(actor)s mentioned you"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person mentioned you",
            "%(actor)s and %(count)s other people mentioned you",
            "count",
        ),
    ),
    NotificationKindSpec(
        key=Kind.REPLY.value,
        label=Kind.REPLY.label,
        default_channel=Channel.EMAIL,
        sentence=gettext_lazy("%(actor)s replied to your comment"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person replied to your comment",
            "%(actor)s and %(count)s other people replied to your comment",
            "count",
        ),
    ),
    NotificationKindSpec(
        key=Kind.COMMENT.value,
        label=Kind.COMMENT.label,
        default_channel=Channel.DAILY,
        sentence=gettext_lazy("%(actor)s commented on your post"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person commented on your post",
            "%(actor)s and %(count)s other people commented on your post",
            "count",
        ),
    ),
    NotificationKindSpec(
        key=Kind.REACTION.value,
        label=Kind.REACTION.label,
        default_channel=Channel.SITE,
        sentence=gettext_lazy("%(actor)s reacted to your post"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person reacted to your post",
            "%(actor)s and %(count)s other people reacted to your post",
            "count",
        ),
    ),
    NotificationKindSpec(
        key=Kind.FOLLOW.value,
        label=Kind.FOLLOW.label,
        default_channel=Channel.SITE,
        describe=_describe_follow,
    ),
    NotificationKindSpec(
        key=Kind.JOIN_REQUEST.value,
        label=Kind.JOIN_REQUEST.label,
        default_channel=Channel.EMAIL,
        sentence=gettext_lazy("%(actor)s asked to join %(group)s"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person asked to join %(group)s",
            "%(actor)s and %(count)s other people asked to join %(group)s",
            "count",
        ),
        can_receive=_can_receive_join_request,
    ),
    NotificationKindSpec(
        key=Kind.JOIN_DECISION.value,
        label=Kind.JOIN_DECISION.label,
        default_channel=Channel.EMAIL,
        describe=_describe_join_decision,
    ),
    NotificationKindSpec(
        key=Kind.INVITATION.value,
        label=Kind.INVITATION.label,
        default_channel=Channel.SITE,
        sentence=gettext_lazy("%(actor)s invited you to join %(group)s"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person invited you to join %(group)s",
            "%(actor)s and %(count)s other people invited you to join %(group)s",
            "count",
        ),
    ),
    NotificationKindSpec(
        key=Kind.GROUP_POST.value,
        label=Kind.GROUP_POST.label,
        default_channel=Channel.DAILY,
        sentence=gettext_lazy("%(actor)s posted in %(group)s"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person posted in %(group)s",
            "%(actor)s and %(count)s other people posted in %(group)s",
            "count",
        ),
    ),
    NotificationKindSpec(
        key=Kind.SUGGESTION_DECISION.value,
        label=Kind.SUGGESTION_DECISION.label,
        default_channel=Channel.SITE,
        describe=_describe_suggestion_decision,
    ),
    NotificationKindSpec(
        key=Kind.REVIEW_DUE.value,
        label=Kind.REVIEW_DUE.label,
        default_channel=Channel.SITE,
        describe=_describe_review_due,
    ),
    NotificationKindSpec(
        key=Kind.MODERATION_DECISION.value,
        label=Kind.MODERATION_DECISION.label,
        default_channel=Channel.EMAIL,
        describe=_describe_moderation_decision,
    ),
    NotificationKindSpec(
        key=Kind.MODERATION_OUTCOME.value,
        label=Kind.MODERATION_OUTCOME.label,
        default_channel=Channel.SITE,
        describe=_describe_moderation_outcome,
    ),
):
    register_notification_kind(_spec)


def kind_keys() -> list[str]:
    return [spec.key for spec in notification_kinds()]


def describe(kind: str, *, actor_name: str, others: int = 0, data: dict | None = None) -> str:
    """The sentence of a notification (or of a group of them: `others` more actors), in the
    active language. Plain text: templates escape it."""
    data = data or {}
    # Any string or number the notification carries may appear in its sentence; a missing
    # one reads as empty rather than failing the whole list.
    values = defaultdict(str, {k: v for k, v in data.items() if isinstance(v, str | int)})
    values.update(actor=actor_name or _("Someone"), count=others)
    spec = notification_kind(kind) or notification_kind(Kind.MENTION)
    if spec.describe is not None:
        return str(spec.describe(values, data))
    with_others = spec.sentence_many or spec.sentence
    return str(with_others % values if others else spec.sentence % values)


def excerpt(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_EXCERPT else text[: MAX_EXCERPT - 1].rstrip() + "…"


# Creating ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupAudience:
    """The members of a group (optionally only those who follow it closely, or only its
    moderators), resolved by the task: naming a group of 1,000 costs the request nothing."""

    group_id: int
    follows_closely: bool = False
    moderators: bool = False

    def as_json(self) -> dict:
        return {
            "group": self.group_id,
            "follows_closely": self.follows_closely,
            "moderators": self.moderators,
        }


# Most groups have nobody following them closely: whether a group has anyone is kept in the
# cache (network/caches.py, CLOSE_FOLLOWERS), so that a post there enqueues no task at all.
# Forgotten whenever one of its memberships is saved or deleted; the timeout bounds what a
# change made around Django (a queryset's update()) would leave.
CLOSE_FOLLOWERS_TIMEOUT = CLOSE_FOLLOWERS.timeout


def has_close_followers(group_id: int) -> bool:
    """Whether any member follows this group closely (active or not: the task checks)."""
    return CLOSE_FOLLOWERS.get_or_set(
        group_id,
        default=lambda: GroupMembership.objects.filter(
            group_id=group_id, follows_closely=True
        ).exists(),
    )


def forget_close_followers(group_ids) -> None:
    """Drop what the cache says of these groups' close followers, now and once the
    transaction commits (a request reading meanwhile would cache the rows from before)."""
    CLOSE_FOLLOWERS.forget(set(group_ids))


def notify(
    *,
    kind: str,
    recipients,
    actor: User | None,
    target,
    event_key: str,
    url: str,
    data: dict | None = None,
) -> None:
    """Tell `recipients` (users, user ids, or a GroupAudience) that `actor` did `kind` to
    `target`. `event_key` names the event, the same on every retry ("comment:42"); `url` is
    the path to open, in the default language; `data` (JSON) is what the sentence needs.
    Runs after the current transaction commits; never raises (a notification is not worth
    failing the action that caused it)."""
    if isinstance(recipients, GroupAudience):
        if recipients.follows_closely and not has_close_followers(recipients.group_id):
            return
        audience = recipients.as_json()
    else:
        audience = sorted({getattr(r, "pk", r) for r in recipients if r is not None})
        if actor is not None and actor.pk in audience:
            audience.remove(actor.pk)
        if not audience:
            return
    kwargs = {
        "kind": str(kind),
        "recipients": audience,
        "actor_id": actor.pk if actor is not None else None,
        "target_type_id": ContentType.objects.get_for_model(target).pk,
        "target_id": target.pk,
        "event_key": event_key,
        "url": url,
        "data": data or {},
    }
    if _without_email.get():
        kwargs["send_email"] = False

    def enqueue():
        from network.tasks import create_notifications_task

        try:
            create_notifications_task.apply_async(kwargs=kwargs)
        except Exception:
            logger.exception("Could not create the notifications of %s", event_key)

    transaction.on_commit(enqueue)


def _audience(recipients):
    """The recipients as a query: a group's members are selected by the database, never
    listed in Python."""
    if not isinstance(recipients, dict):
        return User.objects.filter(pk__in=list(recipients))
    memberships = GroupMembership.objects.filter(group_id=recipients["group"])
    if recipients.get("follows_closely"):
        memberships = memberships.filter(follows_closely=True)
    if recipients.get("moderators"):
        memberships = memberships.filter(
            role__in=[GroupMembership.Role.OWNER, GroupMembership.Role.MODERATOR]
        )
    return User.objects.filter(pk__in=memberships.values("user_id"))


def _load_target(target_type_id: int, target_id: int):
    model = ContentType.objects.get_for_id(target_type_id).model_class()
    if model is None:
        return None
    queryset = model._base_manager.all()
    if model is Post:
        queryset = queryset.select_related("group")
    elif model is Comment:
        queryset = queryset.select_related("post__group")
    return queryset.filter(pk=target_id).first()


def _post_of(target) -> Post | None:
    if isinstance(target, Post):
        return target
    if isinstance(target, Comment):
        return target.post
    return None


def can_receive(kind: str, user: User, target) -> bool:
    """Whether `user` may be told about `target`: they must be able to see it. Join decisions
    and invitations concern the recipient's own request or invitation (even to a secret
    group they cannot see yet), follows and content-hub notices the recipient themselves."""
    post = _post_of(target)
    if post is not None:
        if isinstance(target, Comment) and target.status != Post.Status.PUBLISHED:
            return False
        return can_see_post(user, post)
    spec = notification_kind(kind)
    if spec is not None and spec.can_receive is not None:
        return spec.can_receive(user, target)
    return True


def create_notifications(
    *,
    kind: str,
    recipients,
    actor_id: int | None,
    target_type_id: int,
    target_id: int,
    event_key: str,
    url: str,
    data: dict,
) -> list[int]:
    """Insert the notifications of one event (the task's body). Returns the ids of those to
    e-mail at once. Safe to run twice: rows that exist are neither duplicated nor e-mailed
    or pushed again."""
    audience = _audience(recipients).filter(is_active=True).exclude(pk=actor_id)
    chosen = NotificationPreference.objects.filter(user=OuterRef("pk"), kind=kind)
    default = default_channel(kind)
    # One query for everyone: their channel for this kind, and whether a previous run of
    # this task already told them.
    users = list(
        audience.annotate(
            channel=Coalesce(Subquery(chosen.values("channel")[:1]), Value(default)),
            told=Exists(Notification.objects.filter(recipient=OuterRef("pk"), event_key=event_key)),
        )
        .filter(told=False)
        .exclude(channel=Channel.OFF)
        .only("id", "is_active", "is_staff", "is_superuser", "suspended_until")
    )
    # Most group posts have nobody following the group closely: the target is read only
    # when someone is left to tell.
    if not users:
        return []
    target = _load_target(target_type_id, target_id)
    if target is None:  # deleted meanwhile: nothing left to tell
        return []
    post = _post_of(target)
    groups = [post.group] if post is not None and post.group_id else []
    if isinstance(target, Group):
        groups = [target]
    remember_permissions(users, groups, among=audience.values("pk"))
    users = [user for user in users if can_receive(kind, user, target)]
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=user.pk,
                kind=kind,
                actor_id=actor_id,
                target_type_id=target_type_id,
                target_id=target_id,
                event_key=event_key,
                url=url,
                data=data,
            )
            for user in users
        ],
        batch_size=FANOUT_BATCH,
        ignore_conflicts=True,
    )
    created_for = [user.pk for user in users]
    to_email = [user.pk for user in users if user.channel == Channel.EMAIL]
    if not created_for:
        return []
    forget_unread_counts(created_for)
    _enqueue_push(created_for, {"kind": kind, "url": url, "event": event_key})
    if not to_email:
        return []
    return list(
        Notification.objects.filter(
            event_key=event_key, recipient_id__in=to_email, emailed_at__isnull=True
        ).values_list("pk", flat=True)
    )


# Live push -----------------------------------------------------------------------------------


def push_to_user(user_id: int, payload: dict) -> None:
    """Send `payload` to the member's open pages."""
    push_to_users([user_id], payload)


def push_to_users(user_ids, payload: dict) -> None:
    """Send `payload` to these members' open pages. The network only says so (the
    `live_push` signal); the realtime app owns the sockets and the frame. Never raises: the
    notification is stored already, the push only saves a reload."""
    if not user_ids:
        return
    for receiver, error in signals.live_push.send_robust(
        sender=Notification, user_ids=list(user_ids), payload=payload
    ):
        if isinstance(error, Exception):
            logger.warning(
                "Live push of %s failed in %s: %r", payload.get("event"), receiver, error
            )


def _enqueue_push(user_ids, payload: dict) -> None:
    """The push has its own task: a thousand sends on the channel layer take a second or
    more, which the fan-out (and the next event in the queue) need not wait for."""
    from network.tasks import push_notifications_task

    try:
        push_notifications_task.delay(list(user_ids), payload)
    except Exception:
        logger.warning("Could not queue the live push of %s", payload.get("event"), exc_info=True)


# Reading and marking read ------------------------------------------------------------------


def forget_unread_counts(user_ids) -> None:
    """Drop the cached badges of these members (network/caches.py, UNREAD_COUNTS), now and
    once the transaction commits."""
    UNREAD_COUNTS.forget(set(user_ids))


def unread_count(user) -> int:
    """The header's badge. Cached (and dropped whenever it changes) so pages pay no query."""
    if not user.is_authenticated:
        return 0
    return UNREAD_COUNTS.get_or_set(
        user.pk,
        default=lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
    )


def mark_read(*, actor: User, ids=None, everything: bool = False) -> int:
    """Mark the actor's own notifications `ids` (or all of them) read; others' ids are
    ignored. Returns how many changed."""
    if not (actor.is_authenticated and actor.is_active):
        raise NotAllowed(_("Log in to see your notifications."))
    unread = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if not everything:
        try:
            ids = [int(pk) for pk in ids or ()]
        except (TypeError, ValueError):
            raise InvalidInput(_("Unknown notification.")) from None
        unread = unread.filter(pk__in=ids)
    changed = unread.update(read_at=timezone.now())
    if changed:
        forget_unread_counts([actor.pk])
    return changed


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


# E-mail ---------------------------------------------------------------------------------------


def localized_path(path: str, language: str) -> str:
    """A stored path (written in the default language, unprefixed) in `language`."""
    if not path:
        return ""
    with translation.override(settings.LANGUAGE_CODE):
        return translate_url(path, language)


def _absolute(path: str, language: str) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return site_url(localized_path(path, language) or "/")


def _unsubscribe_url(user: User, kinds) -> str:
    return site_url(
        reverse("network:notifications_unsubscribe", args=[unsubscribe_token(user.pk, kinds)])
    )


def _claim(ids) -> list[int]:
    """Take the notifications `ids` not e-mailed yet, marking them sent, so that two workers
    (or a retried task) never send the same one twice. Returns the ids taken."""
    with transaction.atomic():
        taken = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(ids), emailed_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=taken).update(emailed_at=timezone.now())
    return taken


def _release(ids) -> None:
    Notification.objects.filter(pk__in=list(ids)).update(emailed_at=None)


def _message(user: User, *, subject: str, template: str, context: dict, kinds):
    """One e-mail to `user`, HTML and text, in their language, with a one-click unsubscribe
    (RFC 8058) for `kinds`. Call inside translation.override(user's language)."""
    unsubscribe_url = _unsubscribe_url(user, kinds)
    context = {
        **context,
        "user": user,
        "name": user.get_display_name(),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "preferences_url": _absolute(
            reverse("network:notification_preferences"), translation.get_language()
        ),
        "unsubscribe_url": unsubscribe_url,
    }
    message = EmailMultiAlternatives(
        subject=subject_line(subject),
        body=render_to_string(f"emails/{template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def _language(user: User) -> str:
    return user.preferred_language or settings.LANGUAGE_CODE


def _item(notification: Notification, language: str, *, others: int = 0) -> dict:
    actor = notification.actor
    return {
        "text": describe(
            notification.kind,
            actor_name=actor.get_display_name() if actor else "",
            others=others,
            data=notification.data,
        ),
        "excerpt": notification.data.get("excerpt", ""),
        "url": _absolute(notification.url, language),
        "kind": notification.kind,
    }


def send_notification_emails(notification_ids) -> int:
    """E-mail each of these notifications at once to its recipient (the "e-mail at once"
    channel). Each is sent at most once; if sending fails, those not sent are released for
    the task's retry. Returns the number sent."""
    taken = _claim(notification_ids)
    if not taken:
        return 0
    notifications = (
        Notification.objects.filter(pk__in=taken, recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "actor")
    )
    connection = get_connection()
    sent = []
    try:
        for notification in notifications:
            user = notification.recipient
            language = _language(user)
            with translation.override(language):
                item = _item(notification, language)
                message = _message(
                    user,
                    subject=item["text"],
                    template="notification",
                    context={"item": item, "kind_label": Kind(notification.kind).label},
                    kinds=[notification.kind],
                )
            message.connection = connection
            message.send()
            sent.append(notification.pk)
    except Exception:
        _release(set(taken) - set(sent))
        raise
    return len(sent)


def _digest_candidates(channel: str, now):
    """Unread notifications not e-mailed yet, of the kinds each recipient gets in `channel`'s
    digest (their choice, else the default): one query whatever the number of members."""
    chosen = NotificationPreference.objects.filter(
        user=OuterRef("recipient"), kind=OuterRef("kind")
    ).values("channel")[:1]
    default_kinds = [spec.key for spec in notification_kinds() if spec.default_channel == channel]
    return (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gt=now - DIGEST_WINDOWS[channel],
            created_at__lte=now,
            recipient__is_active=True,
        )
        .exclude(recipient__email="")
        .annotate(chosen=Subquery(chosen))
        .filter(Q(chosen=channel) | Q(chosen__isnull=True, kind__in=default_kinds))
    )


def group_notifications(notifications) -> list[dict]:
    """Gather notifications of the same kind and target, read state and day into one entry
    ("Camille and 4 others reacted to your post"). Input newest first; so is the output.
    Each entry: latest (the newest Notification), actors (distinct, newest first), ids,
    is_read."""
    entries, index = [], {}
    for notification in notifications:
        day = timezone.localdate(notification.created_at)
        key = (
            notification.kind,
            notification.target_type_id,
            notification.target_id,
            notification.read_at is not None,
            day,
        )
        entry = index.get(key)
        if entry is None:
            entry = index[key] = {
                "latest": notification,
                "actors": [],
                "ids": [],
                "is_read": notification.read_at is not None,
            }
            entries.append(entry)
        entry["ids"].append(notification.pk)
        if notification.actor is not None and notification.actor not in entry["actors"]:
            entry["actors"].append(notification.actor)
    return entries


def send_digests(*, channel: str, now=None) -> int:
    """Send the daily or weekly digest: one e-mail per member listing their unread
    notifications of the kinds they get that way. Returns the number of e-mails sent."""
    if channel not in DIGEST_WINDOWS:
        raise InvalidInput(_("Unknown digest."))
    now = now or timezone.now()
    by_user = {}
    for pk, user_id in _digest_candidates(channel, now).values_list("pk", "recipient_id"):
        by_user.setdefault(user_id, []).append(pk)
    connection = get_connection()
    sent = 0
    for ids in by_user.values():
        taken = _claim(ids)
        if not taken:
            continue
        try:
            notifications = list(
                Notification.objects.filter(pk__in=taken)
                .select_related("actor", "recipient")
                .order_by("-created_at", "-id")
            )
            user = notifications[0].recipient
            language = _language(user)
            with translation.override(language):
                entries = group_notifications(notifications)
                items = [
                    _item(entry["latest"], language, others=len(entry["actors"]) - 1)
                    for entry in entries
                ]
                kinds = sorted({n.kind for n in notifications})
                unsubscribe_links = [
                    {"label": Kind(kind).label, "url": _unsubscribe_url(user, [kind])}
                    for kind in kinds
                ]
                if channel == Channel.DAILY:
                    subject = _("Your day on %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
                else:
                    subject = _("Your week on %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
                message = _message(
                    user,
                    subject=subject,
                    template="digest",
                    context={
                        "items": items,
                        "count": len(notifications),
                        "weekly": channel == Channel.WEEKLY,
                        "unsubscribe_links": unsubscribe_links,
                        "notifications_url": _absolute(reverse("network:notifications"), language),
                    },
                    kinds=kinds,
                )
            message.connection = connection
            message.send()
        except Exception:
            _release(taken)
            raise
        sent += 1
    return sent
