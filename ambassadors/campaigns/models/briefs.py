"""Briefs: the terms, the in-kind items and the deliverables asked."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...models.missions import TracerStage
from .common import money_field, split_lines
from .creators import Platform


class Campaign(models.Model):
    """A brief: what the agency asks creators for, on what terms."""

    class Kind(models.TextChoices):
        CAMPAIGN = "campaign", _("Campaign")
        PRESS_INVITATION = "press_invitation", _("Press invitation")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class Relationship(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        GIFTED = "gifted", _("Gifted")
        PAID = "paid", _("Paid")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CAMPAIGN)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), max_length=4000)
    stage = models.CharField(_("TRACER stage"), max_length=16, choices=TracerStage.choices)
    audience = models.TextField(_("audience"), max_length=2000, blank=True)
    key_messages = models.TextField(_("key messages"), max_length=4000, blank=True)
    dos = models.TextField(_("do"), max_length=2000, blank=True)
    donts = models.TextField(_("don't"), max_length=2000, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    relationship = models.CharField(_("relationship"), max_length=16, choices=Relationship.choices)
    cash_amount = money_field(_("cash per creator (€ excl. VAT)"))
    usage_rights = models.TextField(_("usage rights granted"), max_length=2000, blank=True)
    required_mentions = models.TextField(
        _("required mentions"),
        max_length=1000,
        blank=True,
        help_text=_("One per line (a hashtag, an account to tag): every content carries them."),
    )
    advertiser = models.ForeignKey(
        "network.Organisation",
        verbose_name=_("advertiser (empty: the agency)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pages = models.ManyToManyField(
        "wagtailcore.Page", verbose_name=_("pages to link to"), blank=True, related_name="+"
    )
    open_to_applications = models.BooleanField(_("open to applications"), default=False)
    # The eductour (press trip), when there is one.
    has_eductour = models.BooleanField(_("eductour"), default=False)
    eductour_starts_on = models.DateField(_("eductour from"), null=True, blank=True)
    eductour_ends_on = models.DateField(_("eductour until"), null=True, blank=True)
    eductour_programme = models.TextField(_("programme"), max_length=4000, blank=True)
    eductour_meeting_point = models.CharField(_("meeting point"), max_length=300, blank=True)
    eductour_seats = models.PositiveIntegerField(_("seats"), null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The partners' private link to the report (/campaigns/shared/<token>/); empty: none.
    share_token = models.CharField(max_length=43, blank=True, default="", db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("brief")
        verbose_name_plural = _("briefs")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(seats_taken__lte=models.F("eductour_seats"))
                | models.Q(eductour_seats__isnull=True),
                name="campaign_seats_within_eductour",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(cash_amount__gte=0), name="campaign_cash_not_negative"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("campaigns:campaign", args=[self.pk])

    @property
    def is_commercial(self) -> bool:
        """Gifted or paid: the advertising mention is due."""
        return self.relationship != self.Relationship.VOLUNTEER

    @property
    def advertiser_key(self) -> str:
        return f"org:{self.advertiser_id}" if self.advertiser_id else "agency"

    @property
    def reference(self) -> str:
        """The tracked links' `reference` for this brief."""
        return f"campaign:{self.pk}"

    @property
    def mention_list(self) -> list[str]:
        return split_lines(self.required_mentions)

    @property
    def seats_left(self):
        if not self.has_eductour or self.eductour_seats is None:
            return None
        return max(self.eductour_seats - self.seats_taken, 0)

    def new_share_token(self) -> str:
        self.share_token = secrets.token_urlsafe(32)
        return self.share_token


class InKindItem(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="in_kind_items")
    label = models.CharField(_("item"), max_length=200)
    value = money_field(_("value per creator (€ excl. VAT)"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("in-kind item")
        verbose_name_plural = _("in-kind items")

    def __str__(self):
        return self.label


class Format(models.TextChoices):
    POST = "post", _("Post")
    STORY = "story", _("Story")
    REEL = "reel", _("Reel or short video")
    VIDEO = "video", _("Video")
    ARTICLE = "article", _("Article")
    PODCAST = "podcast", _("Podcast episode")
    OTHER = "other", _("Other")


class DeliverableSpec(models.Model):
    """What the brief asks for: so many contents of a format on a platform, by a date."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="deliverable_specs"
    )
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    format = models.CharField(_("format"), max_length=16, choices=Format.choices)
    count = models.PositiveIntegerField(_("count"), default=1)
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("deliverable asked")
        verbose_name_plural = _("deliverables asked")

    def __str__(self):
        return f"{self.count} × {self.get_format_display()} {self.get_platform_display()}"
