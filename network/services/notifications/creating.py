"""Creating notifications: `notify()` enqueues the task after commit; the task's
`create_notifications()` checks each recipient and inserts the rows."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from network.caches import CLOSE_FOLLOWERS
from network.models import (
    Comment,
    Group,
    GroupMembership,
    Notification,
    NotificationPreference,
    Post,
    User,
)
from network.permissions import (
    can_see_post,
    remember_permissions,
)
from network.registries import (
    default_channel,
    notification_kind,
)
from network.services.notifications.common import FANOUT_BATCH, Channel, _without_email, logger
from network.services.notifications.push import _enqueue_push
from network.services.notifications.reading import forget_unread_counts

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
