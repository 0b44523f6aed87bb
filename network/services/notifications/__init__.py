"""Notifications: who is told what, and how (the package's modules, one concern each).

`notify()` is the one entry point (network/receivers.py calls it for every signal). It only
enqueues `create_notifications_task` once the transaction commits, so the action that caused
the notifications stays fast however many recipients there are; the task checks that each
recipient may see the target, skips the actor and those who turned the kind off, and inserts
one row per recipient with `ignore_conflicts` on the unique (recipient, event_key): a retried
task creates nothing twice. E-mails at once, digests and the live push follow from the rows.

- `kinds`: the network's own kinds, registered like any app's, and their sentences;
- `creating`: `notify()` and the task's `create_notifications()`;
- `push`: the live push (network.signals.live_push; realtime owns the frame);
- `reading`: the unread badge and marking read;
- `preferences`: each member's channel per kind, unsubscribe links;
- `email`: e-mails at once and digests.

Every name stays importable from `network.services.notifications`.
"""

from network.services.notifications.common import (  # noqa: F401
    DIGEST_WINDOWS,
    EMAIL_CHANNELS,
    FANOUT_BATCH,
    MAX_EXCERPT,
    UNREAD_CACHE_SECONDS,
    UNSUBSCRIBE_SALT,
    Channel,
    Kind,
    _without_email,
    logger,
    without_email,
)
from network.services.notifications.creating import (  # noqa: F401
    CLOSE_FOLLOWERS_TIMEOUT,
    GroupAudience,
    _audience,
    _load_target,
    _post_of,
    can_receive,
    create_notifications,
    forget_close_followers,
    has_close_followers,
    notify,
)
from network.services.notifications.email import (  # noqa: F401
    _absolute,
    _claim,
    _digest_candidates,
    _item,
    _language,
    _message,
    _release,
    _unsubscribe_url,
    group_notifications,
    localized_path,
    send_digests,
    send_notification_emails,
)
from network.services.notifications.kinds import (  # noqa: F401
    _can_receive_join_request,
    _describe_follow,
    _describe_join_decision,
    _describe_moderation_decision,
    _describe_moderation_outcome,
    _describe_review_due,
    _describe_suggestion_decision,
    _measure,
    describe,
    excerpt,
    kind_keys,
)
from network.services.notifications.preferences import (  # noqa: F401
    channels_for,
    read_unsubscribe_token,
    set_notification_preferences,
    unsubscribe,
    unsubscribe_token,
)
from network.services.notifications.push import (  # noqa: F401
    _enqueue_push,
    push_to_user,
    push_to_users,
)
from network.services.notifications.reading import (  # noqa: F401
    forget_unread_counts,
    mark_read,
    unread_count,
)
