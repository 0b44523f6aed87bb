"""The network's caches (core.cache.register), each declared once with its key, its timeout
and the models whose save or delete make its entries stale. CoreConfig.ready() connects their
receivers; `forget()` is the only way to clear one. Each is kept for the gain its `gain` names
(docs/performance.md)."""

import hashlib

from django.contrib.contenttypes.models import ContentType

from content.caches import CONTENT_GENERATION
from core.cache import Cached, Generation, register


def _post_type_id() -> int:
    from network.models import Post

    return ContentType.objects.get_for_model(Post).pk


def _organisation_followers(membership):
    """An organisation's members are authors in the feeds of everyone who follows it."""
    from network.models import Follow

    return Follow.objects.filter(organisation_id=membership.organisation_id).values_list(
        "follower_id", flat=True
    )


# A member's sources change when they follow, join or leave, far less often than they read.
# A late forget cannot reveal anything: visible_posts() checks membership in the feed's query.
HOME_SOURCES = register(
    Cached(
        name="network.feed-sources",
        key=lambda user_id: f"network:feed-sources:{user_id}",
        timeout=10 * 60,
        stale_on={
            "network.Follow": lambda follow: [follow.follower_id],
            "network.GroupMembership": lambda membership: [membership.user_id],
            "network.OrganisationMembership": _organisation_followers,
        },
        gain="the feed from 21 queries to 9 with the hub head and roles (second session)",
    )
)


# Most groups have nobody following them closely: a post there then enqueues no task at all
# (in the embedded setup the task ran in the request: a third of a post's time).
CLOSE_FOLLOWERS = register(
    Cached(
        name="network.close-followers",
        key=lambda group_id: f"network:close-followers:{group_id}",
        timeout=10 * 60,
        stale_on={"network.GroupMembership": lambda membership: [membership.group_id]},
        gain="a third of a post's time in the embedded setup (sixth session, item 4)",
    )
)


# A post's tags and images as plain values. The values' shape is in the key: a deployment
# that changes it reads no old entry.
POST_IMAGE_FIELDS = ("pk", "post_id", "image", "width", "height", "alt_text", "position")
_EXTRAS_SHAPE = hashlib.md5(
    repr(("tag_id", "name", "slug", POST_IMAGE_FIELDS)).encode(), usedforsecurity=False
).hexdigest()[:8]


def _tagged_post(tagged_item):
    return [tagged_item.object_id] if tagged_item.content_type_id == _post_type_id() else ()


def _posts_with_tag(tag):
    from taggit.models import TaggedItem

    return TaggedItem.objects.filter(tag=tag, content_type_id=_post_type_id()).values_list(
        "object_id", flat=True
    )


POST_EXTRAS = register(
    Cached(
        name="network.post-extras",
        key=lambda post_id: f"network:post-extras:{_EXTRAS_SHAPE}:{post_id}",
        timeout=60 * 60,
        stale_on={
            "taggit.TaggedItem": _tagged_post,
            "taggit.Tag": _posts_with_tag,
            "network.PostImage": lambda image: [image.post_id],
        },
        gain="two queries on every feed page (sixth session, item 1)",
    )
)


# The header's badge: every signed-in page shows it. Notifications are made in bulk
# (notifications.fan_out forgets their recipients' counts) and marked read by update()
# (mark_read forgets the reader's); a save or a deletion of one forgets its recipient's.
UNREAD_COUNTS = register(
    Cached(
        name="network.unread-counts",
        key=lambda user_id: f"notifications:unread:{user_id}",
        timeout=300,
        stale_on={"network.Notification": lambda notification: [notification.recipient_id]},
        gain="a count query on every signed-in page (second session: feed 21 to 9 queries)",
    )
)


# The blocked words, the moderation settings and the trust levels' settings, read on every
# post and comment, decide what is held: under a generation that any change bumps, and stored
# only if it did not move during the read (Cached.get_or_set), so a post written while a
# blocked word is saved cannot leave the old rules cached.
MODERATION_RULES = register(
    Cached(
        name="network.moderation-rules",
        key=lambda: "moderation:rules",
        # The generation abandons old rules; the timeout only frees memory.
        timeout=60 * 60,
        generation=Generation("moderation:rules"),
        stale_on={
            "network.BlockedWord": lambda instance: (),
            "network.ModerationSettings": lambda instance: (),
            "network.TrustSettings": lambda instance: (),
        },
        gain="three queries on every post and comment (sixth session, item 4)",
    )
)


# The newest stories and events head every member's first feed page: read once per content
# generation (bumped by content.listings' receivers), ready to show, kept in the process too.
HUB_HEAD = register(
    Cached(
        name="network.feed-hub-head",
        key=lambda language, limit: f"network:feed-hub-head:{language}:{limit}",
        timeout=60 * 60,
        generation=CONTENT_GENERATION,
        local=True,
        gain="the hub's pages on every first feed page (second session)",
    )
)


# A feed card's HTML, under the digest of everything the card shows (network/templatetags/
# post_cards.py, card_key; tests/network/test_card_keys.py fails when the card reads a field
# its key leaves out): nothing changes under a key, so nothing is forgotten.
CARD_SECONDS = 6 * 60 * 60
CARDS = register(
    Cached(
        name="network.cards",
        key=lambda digest: f"network:card:v1:{digest}",
        timeout=CARD_SECONDS,
        local=True,
        gain="rendering was 59 % of the feed view (card cache, first session)",
    )
)
