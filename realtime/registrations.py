"""What chat plugs into the network's registries (network/registries.py), from ready():
the "mentioned in a chat" notification, chat messages in the one moderation queue, and the
member's messages in their data export and erasure."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from network.registries import (
    ModerationKind,
    NotificationKindSpec,
    PersonalDataSection,
    register_moderation_kind,
    register_notification_kind,
    register_personal_data_section,
)

from . import permissions
from .models import Membership, Message


def _can_receive(user, message) -> bool:
    return permissions.can_read_room(user, message.room)


def _apply(message: Message, action: str, undo: bool) -> None:
    """hide/remove: the message disappears from the room at once (its place stays)."""
    if action not in ("hide", "remove", "auto_hide"):
        return
    message.hidden_at = None if undo else timezone.now()
    message.save(update_fields=["hidden_at"])
    from .frames import deleted_frame, message_frame
    from .services import broadcast_frame

    frame = message_frame(message) if undo else deleted_frame(message, hidden=True)
    transaction.on_commit(lambda: broadcast_frame(message.room_id, frame))


def _export(user) -> dict:
    return {
        "rooms": [
            {"room": m.room_id, "name": str(m.room), "last_read_seq": m.last_read_seq}
            for m in Membership.objects.filter(user=user).select_related("room", "room__group")
        ],
        "messages": [
            {
                "room": m.room_id,
                "seq": m.seq,
                "created_at": m.created_at.isoformat(),
                "edited_at": m.edited_at.isoformat() if m.edited_at else None,
                "deleted": m.deleted_at is not None,
                "text": m.text,
            }
            for m in Message.objects.filter(author=user).order_by("room_id", "seq")
        ],
    }


def _erase(user) -> None:
    Message.objects.filter(author=user).delete()
    Membership.objects.filter(user=user).delete()


def register() -> None:
    register_notification_kind(
        NotificationKindSpec(
            key="chat_mention",
            label=_("Mentions in chat"),
            default_channel="email",
            sentence=_("%(actor)s mentioned you in %(room)s"),
            sentence_many=ngettext_lazy(
                "%(actor)s mentioned you in %(room)s",
                "%(actor)s and %(count)s others mentioned you in %(room)s",
                "count",
            ),
            can_receive=_can_receive,
        )
    )
    register_moderation_kind(
        ModerationKind(
            name="chat_message",
            model=Message,
            label=_("Chat message"),
            actions=("dismiss", "hide", "remove", "warn", "suspend", "ban_from_group"),
            can_see=lambda user, item: permissions.can_read_room(user, item.room),
            author_of=lambda item: item.author,
            preview_of=lambda item: item.text,
            url_of=lambda item: item.room.get_absolute_url() + f"#m{item.seq}",
            group_of=lambda item: item.room.group if item.room.group_id else None,
            apply=_apply,
        )
    )
    register_personal_data_section(PersonalDataSection(key="chat", export=_export, erase=_erase))
