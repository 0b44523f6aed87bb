"""Deliverables and their log."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.validators import validate_image_upload

from .briefs import DeliverableSpec
from .casting import Engagement
from .creators import Platform


def deliverable_upload_to(instance, filename):
    return f"campaigns/deliverables/{instance.engagement.creator_id}/{filename}"


class Deliverable(models.Model):
    """A content: its draft goes to staff for approval (the one moderation queue), then the
    creator gives the published URL, fetched once by a task."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for review")
        CHANGES = "changes", _("Changes asked")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PUBLISHED = "published", _("Published")

    class Check(models.TextChoices):
        NONE = "", _("Not checked")
        PENDING = "pending", _("Check pending")
        OK = "ok", _("Online, mention found")
        NO_MENTION = "no_mention", _("Online, mention missing")
        FAILED = "failed", _("Not reachable")
        REFUSED = "refused", _("Address not allowed")

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="deliverables"
    )
    spec = models.ForeignKey(
        DeliverableSpec,
        verbose_name=_("deliverable asked"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deliverables",
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    text = models.TextField(_("text"), max_length=5000)
    image = models.ImageField(
        _("image"),
        upload_to=deliverable_upload_to,
        blank=True,
        validators=[validate_image_upload],
    )
    video_url = models.URLField(_("video link"), max_length=500, blank=True)
    declares_retouched = models.BooleanField(_("retouched images"), default=False)
    declares_virtual = models.BooleanField(_("virtual images"), default=False)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.WAITING, db_index=True
    )
    revision = models.PositiveIntegerField(default=1)
    review_comment = models.TextField(blank=True, default="")
    published_url = models.URLField(_("published address"), max_length=500, blank=True)
    url_check = models.CharField(max_length=16, choices=Check.choices, blank=True, default="")
    url_checked_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self):
        return _("%(platform)s content for %(brief)s") % {
            "platform": self.get_platform_display(),
            "brief": self.engagement.campaign,
        }

    def get_absolute_url(self):
        return reverse("campaigns:deliverable", args=[self.pk])


class DeliverableEvent(models.Model):
    """The deliverable's log: submitted, refused (with the reason), reviewed, published,
    checked. The review decisions themselves are the moderation queue's."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=24)
    comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.deliverable_id} {self.action}"
