"""What happens in the network and in the content hub, turned into notifications. Each
receiver names the event (a stable `event_key`), its recipients and what the sentence needs,
and calls notifications.notify(), which does the rest in a Celery task. Connected in
NetworkConfig.ready(). Receivers never raise: a notification is not worth failing the action
that caused it."""

import functools
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.html import strip_tags

from content import signals as content_signals
from network import signals
from network.models import (
    Comment,
    Group,
    Notification,
    NotificationKind,
    Organisation,
    OrganisationMembership,
    Post,
)
from network.services.notifications import (
    GroupAudience,
    excerpt,
    forget_unread_counts,
    notify,
)

logger = logging.getLogger(__name__)
Kind = NotificationKind


def never_raises(receiver):
    @functools.wraps(receiver)
    def wrapper(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("Notification receiver %s failed", receiver.__name__)

    return wrapper


def path_of(view_name: str, *args, anchor: str = "") -> str:
    """A path in the default language (the list and e-mails translate it for the reader)."""
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return reverse(view_name, args=args) + anchor
        except NoReverseMatch:
            logger.warning("No URL named %s for a notification", view_name)
            return ""


def _text_of(html: str) -> str:
    return excerpt(strip_tags(html or ""))


def _post_data(post: Post, text: str = "") -> dict:
    data = {"excerpt": excerpt(text or post.body_text)}
    if post.group_id:
        data["group"] = post.group.name
    return data


# Network ------------------------------------------------------------------------------------


@never_raises
def on_post_created(sender, post, actor, **kwargs):
    """Members who follow the group closely hear of each new post."""
    if post.group_id is None or post.status != Post.Status.PUBLISHED:
        return
    notify(
        kind=Kind.GROUP_POST,
        recipients=GroupAudience(post.group_id, follows_closely=True),
        actor=actor,
        target=post,
        event_key=f"post:{post.pk}",
        url=path_of("network:post", post.pk),
        data=_post_data(post),
    )


@never_raises
def on_members_mentioned(sender, users, post, actor, comment=None, **kwargs):
    target = comment if comment is not None else post
    notify(
        kind=Kind.MENTION,
        recipients=users,
        actor=actor,
        target=target,
        event_key=f"mention:{type(target).__name__.lower()}:{target.pk}",
        url=path_of("network:post", post.pk, anchor=f"#comment-{comment.pk}" if comment else ""),
        data=_post_data(post, _text_of(comment.body) if comment else ""),
    )


@never_raises
def on_group_mentioned(sender, post, group, actor, **kwargs):
    """ "@<group>" in a group's post by its moderator: every member hears of it, as of a
    mention (the same event as the post's own mentions: nobody is told twice)."""
    notify(
        kind=Kind.MENTION,
        recipients=GroupAudience(group.pk),
        actor=actor,
        target=post,
        event_key=f"mention:post:{post.pk}",
        url=path_of("network:post", post.pk),
        data=_post_data(post),
    )


@never_raises
def on_comment_created(sender, comment, actor, **kwargs):
    """A reply tells the parent comment's author; any comment tells the post's author
    (once: when both are the same person, the reply says it)."""
    if comment.status != Post.Status.PUBLISHED:
        return
    post = comment.post
    url = path_of("network:post", post.pk, anchor=f"#comment-{comment.pk}")
    data = _post_data(post, _text_of(comment.body))
    told = set()
    if comment.parent_id is not None:
        parent = comment.parent
        notify(
            kind=Kind.REPLY,
            recipients=[parent.author_id],
            actor=actor,
            target=parent,
            event_key=f"comment:{comment.pk}",
            url=url,
            data=data,
        )
        told.add(parent.author_id)
    if post.author_id not in told:
        notify(
            kind=Kind.COMMENT,
            recipients=[post.author_id],
            actor=actor,
            target=post,
            event_key=f"comment:{comment.pk}",
            url=url,
            data=data,
        )


@never_raises
def on_reaction_added(sender, reaction, actor, **kwargs):
    """One notification per member per post, whatever the reactions they add or take back."""
    post = reaction.post
    notify(
        kind=Kind.REACTION,
        recipients=[post.author_id],
        actor=actor,
        target=post,
        event_key=f"reaction:{post.pk}:{actor.pk}",
        url=path_of("network:post", post.pk),
        data=_post_data(post),
    )


@never_raises
def on_followed(sender, follow, actor, **kwargs):
    """A followed member is told; a followed organisation's owners are."""
    url = path_of("network:person", actor.username)
    if follow.user_id is not None:
        notify(
            kind=Kind.FOLLOW,
            recipients=[follow.user_id],
            actor=actor,
            target=follow.user,
            event_key=f"follow:{actor.pk}:user:{follow.user_id}",
            url=url,
        )
        return
    organisation = follow.organisation
    owners = OrganisationMembership.objects.filter(
        organisation=organisation, role=OrganisationMembership.Role.OWNER
    ).values_list("user_id", flat=True)
    notify(
        kind=Kind.FOLLOW,
        recipients=list(owners),
        actor=actor,
        target=organisation,
        event_key=f"follow:{actor.pk}:organisation:{organisation.pk}",
        url=url,
        data={"organisation": organisation.name},
    )


@never_raises
def on_join_requested(sender, join_request, **kwargs):
    group = join_request.group
    notify(
        kind=Kind.JOIN_REQUEST,
        recipients=GroupAudience(group.pk, moderators=True),
        actor=join_request.user,
        target=group,
        event_key=f"join_request:{join_request.pk}",
        url=path_of("network:group_requests", group.slug),
        data={"group": group.name, "excerpt": excerpt(join_request.message)},
    )


@never_raises
def on_join_request_decided(sender, join_request, actor, approved, **kwargs):
    group = join_request.group
    notify(
        kind=Kind.JOIN_DECISION,
        recipients=[join_request.user_id],
        actor=actor,
        target=group,
        event_key=f"join_decision:{join_request.pk}",
        url=path_of("network:group", group.slug),
        data={"group": group.name, "approved": bool(approved), "excerpt": join_request.reason},
    )


@never_raises
def on_member_invited(sender, invitation, actor, **kwargs):
    """A member invited by username; an address gets the groups service's e-mail only.
    The link to accept travels by e-mail (only its hash is stored): this points to the
    group's page."""
    if invitation.invitee_id is None:
        return
    group = invitation.group
    notify(
        kind=Kind.INVITATION,
        recipients=[invitation.invitee_id],
        actor=actor,
        target=group,
        event_key=f"invitation:{invitation.pk}",
        url=path_of("network:group", group.slug),
        data={"group": group.name},
    )


# Content hub ---------------------------------------------------------------------------------


@never_raises
def on_suggestion_decided(sender, suggestion, **kwargs):
    accepted = suggestion.status == "accepted"
    notify(
        kind=Kind.SUGGESTION_DECISION,
        recipients=[suggestion.author_id],
        actor=suggestion.decided_by,
        target=suggestion,
        event_key=f"suggestion:{suggestion.pk}:{suggestion.status}",
        url=path_of("content:my_suggestions"),
        data={
            "page": suggestion.page.title,
            "accepted": accepted,
            "excerpt": "" if accepted else excerpt(suggestion.decline_reason),
        },
    )


@never_raises
def on_review_due(sender, page, maintainers, **kwargs):
    """One notice a day per page past its review date (the content hub reminds daily)."""
    notify(
        kind=Kind.REVIEW_DUE,
        recipients=maintainers,
        actor=None,
        target=page,
        event_key=f"review_due:{page.pk}:{timezone.localdate().isoformat()}",
        url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        data={"page": page.title},
    )


# Deleted targets -------------------------------------------------------------------------------


def forget_notifications_of(sender, instance, **kwargs):
    """A generic target has no cascade: a deleted post, comment, group or organisation takes
    its notifications (and the excerpt they keep) with it."""
    notifications = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(sender), target_id=instance.pk
    )
    recipients = set(
        notifications.filter(read_at__isnull=True).values_list("recipient_id", flat=True)
    )
    notifications.delete()
    forget_unread_counts(recipients)


def connect() -> None:
    uid = "network.notifications"
    signals.post_created.connect(on_post_created, dispatch_uid=uid)
    signals.members_mentioned.connect(on_members_mentioned, dispatch_uid=uid)
    signals.group_mentioned.connect(on_group_mentioned, dispatch_uid=uid)
    signals.comment_created.connect(on_comment_created, dispatch_uid=uid)
    signals.reaction_added.connect(on_reaction_added, dispatch_uid=uid)
    signals.followed.connect(on_followed, dispatch_uid=uid)
    signals.join_requested.connect(on_join_requested, dispatch_uid=uid)
    signals.join_request_decided.connect(on_join_request_decided, dispatch_uid=uid)
    signals.member_invited.connect(on_member_invited, dispatch_uid=uid)
    content_signals.suggestion_decided.connect(on_suggestion_decided, dispatch_uid=uid)
    content_signals.review_due.connect(on_review_due, dispatch_uid=uid)
    for model in (Post, Comment, Group, Organisation):
        post_delete.connect(forget_notifications_of, sender=model, dispatch_uid=f"{uid}.{model}")
