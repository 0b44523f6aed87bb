"""The names of the channel-layer groups (realtime alone talks to the channel layer)."""


def member_group(user_id) -> str:
    """One member's open sockets (every page, every chat room)."""
    return f"user-{user_id}"


def room_group(room_id) -> str:
    """Every socket open on one chat room."""
    return f"chat-{room_id}"


# Member sockets that asked to hear of new posts (the feed's "new posts" banner).
FEED_GROUP = "feed-new-posts"
