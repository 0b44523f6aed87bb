from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    """The network's own kinds. Other apps add theirs to the registry
    (network/registries.py), which is what the field is validated against: no choices here,
    so a new kind needs no migration."""

    MENTION = "mention", _("Mentions of you")
    REPLY = "reply", _("Replies to your comments")
    COMMENT = "comment", _("Comments on your posts")
    REACTION = "reaction", _("Reactions to your posts")
    FOLLOW = "follow", _("New followers")
    JOIN_REQUEST = "join_request", _("Requests to join a group you moderate")
    JOIN_DECISION = "join_decision", _("Answers to your requests to join a group")
    INVITATION = "invitation", _("Invitations to a group")
    GROUP_POST = "group_post", _("New posts in groups you follow closely")
    SUGGESTION_DECISION = "suggestion_decision", _("Decisions on your suggestions")
    REVIEW_DUE = "review_due", _("Pages due for review")
    MODERATION_DECISION = "moderation_decision", _("Moderation decisions about you")
    MODERATION_OUTCOME = "moderation_outcome", _("Outcomes of your reports")


class Notification(models.Model):
    """Something that happened and concerns `recipient`.

    The target is generic (content type + id) rather than one nullable FK per model: targets
    come from several apps (posts, comments, groups, organisations, content-hub pages and
    suggestions, and later moderation cases and campaigns), and a new kind should not need a
    new column. The list never loads the target: what it shows (`url`, `data`) is written when
    the notification is created, and receivers delete the notifications of a deleted post,
    comment or group (network/receivers.py), since a generic key has no cascade."""

    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # What happened, stable across retries ("reaction:12:7"): one notification per recipient
    # per event, whatever the number of times the fan-out task runs.
    event_key = models.CharField(max_length=120)
    url = models.CharField(max_length=500, blank=True)
    # What the sentence needs (a group's name, a post's first words, approved or not), written
    # at creation so the list renders with no query per item.
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="one_notification_per_event"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["target_type", "target_id"], name="notification_target"),
        ]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self):
        return f"{self.kind} → {self.recipient_id} ({self.event_key})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """How a member wants to hear about one kind of notification. No row: the kind's default
    (network.services.notifications.DEFAULT_CHANNELS)."""

    class Channel(models.TextChoices):
        SITE = "site", _("On the site only")
        EMAIL = "email", _("On the site and by e-mail at once")
        DAILY = "daily", _("On the site and in a daily e-mail digest")
        WEEKLY = "weekly", _("On the site and in a weekly e-mail digest")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=24)
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"
