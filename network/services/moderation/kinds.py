"""The kinds of items the one queue holds: `register()` tells it about one (its model,
label, the actions a moderator may take and how to apply and undo them). The network's own
kinds are registered here."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import InvalidInput
from core.sanitizer import clean_text
from network.models import (
    Comment,
    Group,
    Organisation,
    Post,
    User,
)
from network.permissions import (
    can_see_group,
    can_see_member_directory,
    can_see_post,
    is_agency_moderator,
)
from network.services.moderation.common import MAX_PREVIEW, Action

# The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What the queue needs to know about one kind of item."""

    name: str
    model: type
    label: str
    actions: tuple[str, ...]
    can_see: Callable  # (user, item) -> bool
    author_of: Callable  # item -> User | None: whom the decision concerns
    preview_of: Callable  # item -> str
    url_of: Callable  # item -> str
    group_of: Callable = field(default=lambda item: None)  # whose moderators decide
    # (item, action, undo) -> None: make the action (or its reversal) real on the item.
    apply: Callable = field(default=lambda item, action, undo: None)
    # item -> None: publish an item the site held back (hold_for_review) once a moderator
    # dismisses its case; None when this kind is never held.
    release: Callable | None = None
    # Labels of this kind's own actions (beyond ModerationAction's), e.g.
    # {"request_changes": gettext_lazy("Ask for changes")}; `apply` carries them out.
    action_labels: dict = field(default_factory=dict)
    # (item, action, actor=, reason=) -> None: a kind's own action that needs the moderator,
    # carried out by the owning app's service (accept a suggestion, approve a licence);
    # it raises a domain error to refuse, and the whole decision is rolled back.
    decide: Callable | None = None

    def label_of(self, action: str) -> str:
        return self.action_labels.get(action) or dict(Action.choices).get(action, action)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    KINDS[kind.name] = kind
    return kind


def kind_of(item) -> Kind:
    for kind in KINDS.values():
        if isinstance(item, kind.model):
            return kind
    raise InvalidInput(_("This kind of item cannot be reported."))


def load_item(kind_name: str, item_id):
    """The item of a kind by its id (None when missing)."""
    kind = KINDS.get(kind_name)
    if kind is None:
        return None
    try:
        return kind.model._base_manager.filter(pk=int(item_id)).first()
    except (TypeError, ValueError):
        return None


def _set_status(item, action, undo):
    """Posts and comments: hidden or removed (kept, out of sight, so that a reversed
    decision can bring them back), or published again."""
    if action in (Action.HIDE, Action.REMOVE, "auto_hide"):
        status = Post.Status.PUBLISHED if undo else Post.Status.HIDDEN
        type(item).objects.filter(pk=item.pk).update(status=status)
        item.status = status


def _publish_held_post(post):
    from network.services.posts import publish_held_post  # posts calls this module

    publish_held_post(post)


def _publish_held_comment(comment):
    from network.services.posts import publish_held_comment  # posts calls this module

    publish_held_comment(comment)


def _comment_visible(user, comment) -> bool:
    return can_see_post(user, comment.post) and (
        comment.status == Post.Status.PUBLISHED
        or (user.is_authenticated and comment.author_id == user.pk)
        or can_moderate_case_group(user, comment.post.group)
    )


def can_moderate_case_group(user, group) -> bool:
    from network.permissions import can_moderate_group

    return can_moderate_group(user, group) if group is not None else is_agency_moderator(user)


ITEM_ACTIONS = (
    Action.DISMISS,
    Action.HIDE,
    Action.REMOVE,
    Action.WARN,
    Action.SUSPEND,
    Action.BAN_FROM_GROUP,
)
PERSON_ACTIONS = (Action.DISMISS, Action.WARN, Action.SUSPEND)

register(
    Kind(
        name="post",
        model=Post,
        label=gettext_lazy("Post"),
        actions=ITEM_ACTIONS,
        can_see=can_see_post,
        author_of=lambda post: post.author,
        preview_of=lambda post: post.body_text,
        url_of=lambda post: post.get_absolute_url(),
        group_of=lambda post: post.group,
        apply=_set_status,
        release=_publish_held_post,
    )
)
register(
    Kind(
        name="comment",
        model=Comment,
        label=gettext_lazy("Comment"),
        actions=ITEM_ACTIONS,
        can_see=_comment_visible,
        author_of=lambda comment: comment.author,
        preview_of=lambda comment: clean_text(comment.body),
        url_of=lambda comment: f"{comment.post.get_absolute_url()}#comment-{comment.pk}",
        group_of=lambda comment: comment.post.group,
        apply=_set_status,
        release=_publish_held_comment,
    )
)
register(
    Kind(
        name="member",
        model=User,
        label=gettext_lazy("Member"),
        actions=PERSON_ACTIONS,
        can_see=lambda user, person: person.is_active and can_see_member_directory(user),
        author_of=lambda person: person,
        preview_of=lambda person: f"{person.get_display_name()} — {clean_text(person.bio)}",
        url_of=lambda person: reverse("network:person", args=[person.username]),
    )
)
register(
    Kind(
        name="organisation",
        model=Organisation,
        label=gettext_lazy("Organisation"),
        actions=(Action.DISMISS, Action.WARN),
        can_see=lambda user, organisation: True,
        author_of=lambda organisation: (
            User.objects.filter(
                organisation_memberships__organisation=organisation,
                organisation_memberships__role="owner",
            )
            .order_by("pk")
            .first()
        ),
        preview_of=lambda organisation: (
            f"{organisation.name} — {clean_text(organisation.description)}"
        ),
        url_of=lambda organisation: organisation.get_absolute_url(),
    )
)
register(
    Kind(
        name="group",
        model=Group,
        label=gettext_lazy("Group"),
        actions=(Action.DISMISS, Action.WARN),
        can_see=can_see_group,
        author_of=lambda group: group.created_by if hasattr(group, "created_by") else None,
        preview_of=lambda group: f"{group.name} — {clean_text(group.description)}",
        url_of=lambda group: group.get_absolute_url(),
    )
)


def _preview(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= MAX_PREVIEW else text[: MAX_PREVIEW - 1] + "…"
