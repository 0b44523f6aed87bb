"""The network's own notification kinds, registered like any other app's
(network/registries.py), and the sentence of each."""

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from network.models import (
    Group,
)
from network.permissions import (
    can_moderate_group,
)
from network.registries import (
    NotificationKindSpec,
    notification_kind,
    notification_kinds,
    register_notification_kind,
)
from network.services.notifications.common import MAX_EXCERPT, Channel, Kind

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


def _network_kind(kind: Kind, channel: str, **spec) -> NotificationKindSpec:
    """One of the network's own kinds: its key and label are the model's choice."""
    return NotificationKindSpec(key=kind.value, label=kind.label, default_channel=channel, **spec)


for _spec in (
    _network_kind(
        Kind.MENTION,
        Channel.EMAIL,
        sentence=gettext_lazy("%(actor)s mentioned you"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person mentioned you",
            "%(actor)s and %(count)s other people mentioned you",
            "count",
        ),
    ),
    _network_kind(
        Kind.REPLY,
        Channel.EMAIL,
        sentence=gettext_lazy("%(actor)s replied to your comment"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person replied to your comment",
            "%(actor)s and %(count)s other people replied to your comment",
            "count",
        ),
    ),
    _network_kind(
        Kind.COMMENT,
        Channel.DAILY,
        sentence=gettext_lazy("%(actor)s commented on your post"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person commented on your post",
            "%(actor)s and %(count)s other people commented on your post",
            "count",
        ),
    ),
    _network_kind(
        Kind.REACTION,
        Channel.SITE,
        sentence=gettext_lazy("%(actor)s reacted to your post"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person reacted to your post",
            "%(actor)s and %(count)s other people reacted to your post",
            "count",
        ),
    ),
    _network_kind(
        Kind.FOLLOW,
        Channel.SITE,
        describe=_describe_follow,
    ),
    _network_kind(
        Kind.JOIN_REQUEST,
        Channel.EMAIL,
        sentence=gettext_lazy("%(actor)s asked to join %(group)s"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person asked to join %(group)s",
            "%(actor)s and %(count)s other people asked to join %(group)s",
            "count",
        ),
        can_receive=_can_receive_join_request,
    ),
    _network_kind(
        Kind.JOIN_DECISION,
        Channel.EMAIL,
        describe=_describe_join_decision,
    ),
    _network_kind(
        Kind.INVITATION,
        Channel.SITE,
        sentence=gettext_lazy("%(actor)s invited you to join %(group)s"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person invited you to join %(group)s",
            "%(actor)s and %(count)s other people invited you to join %(group)s",
            "count",
        ),
    ),
    _network_kind(
        Kind.GROUP_POST,
        Channel.DAILY,
        sentence=gettext_lazy("%(actor)s posted in %(group)s"),
        sentence_many=ngettext_lazy(
            "%(actor)s and %(count)s other person posted in %(group)s",
            "%(actor)s and %(count)s other people posted in %(group)s",
            "count",
        ),
    ),
    _network_kind(
        Kind.SUGGESTION_DECISION,
        Channel.SITE,
        describe=_describe_suggestion_decision,
    ),
    _network_kind(
        Kind.REVIEW_DUE,
        Channel.SITE,
        describe=_describe_review_due,
    ),
    _network_kind(
        Kind.MODERATION_DECISION,
        Channel.EMAIL,
        describe=_describe_moderation_decision,
    ),
    _network_kind(
        Kind.MODERATION_OUTCOME,
        Channel.SITE,
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
