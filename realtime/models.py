"""Chat: rooms, who is in them and how far they have read, and their messages.

A room's kind is data (a group's room, a direct conversation, a named private one; later
issues add more), so rules read `room.kind`, never a subclass. Every message carries its
room's sequence number (`seq`, from `Room.last_seq`): clients that were away ask for
everything after the last number they saw."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Room(models.Model):
    class Kind(models.TextChoices):
        GROUP = "group", _("Group room")
        DIRECT = "direct", _("Direct conversation")
        PRIVATE = "private", _("Private conversation")
        # Asked for by another app through network.signals.conversation_wanted (a campaign's
        # room between staff and one creator); its members follow the asker's list.
        CAMPAIGN = "campaign", _("Campaign conversation")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=80, blank=True)
    group = models.OneToOneField(
        "network.Group",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="chat_room",
    )
    # "<smaller user id>:<larger user id>" for a direct room: one room per pair.
    direct_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    # The asking app's own key for a room it wanted ("campaign:12:creator:34"): one room each.
    external_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    last_seq = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chat room")
        verbose_name_plural = _("chat rooms")

    def __str__(self):
        if self.kind == self.Kind.GROUP and self.group_id:
            return str(self.group)
        return self.name or _("Conversation %(number)s") % {"number": self.pk}

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("chat_room", args=[self.pk])


class Membership(models.Model):
    """A member's place in a room. For a group's room it follows the group's membership
    (realtime/receivers.py keeps them in step)."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships"
    )
    last_read_seq = models.PositiveBigIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chat membership")
        verbose_name_plural = _("chat memberships")
        constraints = [
            models.UniqueConstraint(fields=["room", "user"], name="chat_membership_unique"),
        ]
        indexes = [models.Index(fields=["user", "room"], name="chat_membership_user")]

    def __str__(self):
        return f"{self.user} @ {self.room}"


class Message(models.Model):
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="messages")
    seq = models.PositiveBigIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_messages"
    )
    # Chosen by the sending client: the same one twice stores one message.
    client_id = models.CharField(max_length=64)
    body = models.TextField()  # sanitised HTML
    text = models.TextField()  # what the author typed
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)  # by a moderator

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        constraints = [
            models.UniqueConstraint(fields=["room", "seq"], name="chat_message_room_seq"),
            models.UniqueConstraint(fields=["author", "client_id"], name="chat_message_client_id"),
        ]

    def __str__(self):
        return f"{self.room_id}#{self.seq}"

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None
