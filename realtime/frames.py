"""The server's frames (docs/api.md, "Chat protocol"): the same dicts go over sockets and
out of the API, so that a client handles one shape."""

from .models import Message


def author_frame(user) -> dict:
    return {"username": user.get_username(), "display_name": user.get_display_name()}


def message_frame(message: Message) -> dict:
    frame = {
        "type": "message",
        "id": message.pk,
        "seq": message.seq,
        "room": message.room_id,
        "author": author_frame(message.author),
        "body": message.body if message.is_visible else "",
        "client_id": message.client_id,
        "created_at": message.created_at.isoformat(),
    }
    if message.edited_at:
        frame["edited_at"] = message.edited_at.isoformat()
    if message.deleted_at:
        frame["deleted"] = True
    if message.hidden_at:
        frame["hidden"] = True
    return frame


def edited_frame(message: Message) -> dict:
    return {
        "type": "edited",
        "id": message.pk,
        "seq": message.seq,
        "room": message.room_id,
        "body": message.body,
        "edited_at": message.edited_at.isoformat(),
    }


def deleted_frame(message: Message, *, hidden: bool = False) -> dict:
    frame = {"type": "deleted", "id": message.pk, "seq": message.seq, "room": message.room_id}
    if hidden:
        frame["hidden"] = True
    return frame
