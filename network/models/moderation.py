"""Moderation: reports gathered into one case per reported item, the moderator's decision
with its statement of reasons (DSA Art. 17), and the author's internal complaint (Art. 20).

The reported item is generic (content type + id): posts, comments, members, organisations
and groups today, and whatever other apps register (network.services.moderation.register).
What the queue shows of the item (its kind, a preview, its link, its author) is copied on
the case when it opens, so the queue renders with no query per case and a decision's record
survives the item's deletion."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

MAX_EXPLANATION_LENGTH = 2000
COMPLAINT_WINDOW_DAYS = 183  # six months


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    HARASSMENT = "harassment", _("Harassment or hate")
    FALSE_INFORMATION = "false_information", _("False information")
    ILLEGAL = "illegal", _("Illegal content")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Intellectual property infringement")
    OTHER = "other", _("Something else")


class ModerationAction(models.TextChoices):
    DISMISS = "dismiss", _("Dismiss the reports (no action)")
    HIDE = "hide", _("Hide the item")
    REMOVE = "remove", _("Remove the item")
    WARN = "warn", _("Warn the author")
    SUSPEND = "suspend", _("Suspend the account for a set time")
    BAN_FROM_GROUP = "ban_from_group", _("Ban the author from the group")


class HeldReason(models.TextChoices):
    BLOCKED_WORD = "blocked_word", _("contains a blocked word")
    FIRST_POSTS = "first_posts", _("one of a new member's first posts")


class Case(models.Model):
    """Every report on one item while it waits for a decision (one open case per item)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("kind"), max_length=40)  # the registry's name ("post", …)
    # The group whose moderators may decide (posts and comments of a group); else staff only.
    group = models.ForeignKey(
        "network.Group",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_cases",
    )
    # The member the decision concerns (the item's author, the reported member…).
    target_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    preview = models.TextField(blank=True, default="")
    target_url = models.CharField(max_length=500, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    report_count = models.PositiveIntegerField(default=0)
    # Hidden automatically by the three-report rule, until a moderator decides.
    auto_hidden = models.BooleanField(default=False)
    # Why the site held the item back before anyone saw it ("" when it was reported).
    held_reason = models.CharField(
        max_length=20, choices=HeldReason.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["target_type", "target_id"],
                condition=Q(status="open"),
                name="one_open_case_per_item",
            )
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="case_queue")]
        verbose_name = _("moderation case")
        verbose_name_plural = _("moderation cases")

    def __str__(self):
        return f"{self.kind} #{self.target_id} ({self.status})"


class Report(models.Model):
    """A notice: who (a member, or a visitor's name and e-mail), why, and where."""

    Reason = ReportReason

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_reports",
    )
    reporter_name = models.CharField(_("your name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("your e-mail address"), blank=True)
    reason = models.CharField(_("reason"), max_length=24, choices=ReportReason.choices)
    explanation = models.TextField(_("explanation"), max_length=MAX_EXPLANATION_LENGTH)
    url = models.CharField(_("exact address of the content"), max_length=500, blank=True)
    good_faith = models.BooleanField(_("statement of good faith"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "reporter"],
                condition=Q(reporter__isnull=False),
                name="one_report_per_member_per_case",
            )
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.reason} on case {self.case_id}"


class Decision(models.Model):
    """A moderator's decision on a case and its statement of reasons (DSA Art. 17)."""

    Action = ModerationAction

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    affected = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="moderation_decisions",
    )
    action = models.CharField(_("measure"), max_length=20, choices=ModerationAction.choices)
    suspended_until = models.DateTimeField(_("suspended until"), null=True, blank=True)
    facts = models.TextField(_("facts and circumstances"), max_length=MAX_EXPLANATION_LENGTH)
    ground = models.TextField(
        _("legal ground or community-rule clause"), max_length=MAX_EXPLANATION_LENGTH
    )
    automated = models.BooleanField(_("automated means were used"), default=False)
    redress = models.TextField(_("how to contest"), blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)
    # Set when a complaint reversed it (its effects undone).
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")

    def __str__(self):
        return f"{self.action} on case {self.case_id}"


class Complaint(models.Model):
    """The affected member's internal complaint against a decision (once per decision)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a decision")
        UPHELD = "upheld", _("Decision upheld")
        REVERSED = "reversed", _("Decision reversed")

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="complaint")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("your complaint"), max_length=MAX_EXPLANATION_LENGTH)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    response = models.TextField(_("answer"), blank=True, max_length=MAX_EXPLANATION_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self):
        return f"complaint on decision {self.decision_id} ({self.status})"


class BlockedWord(models.Model):
    """A word or pattern that holds a post for review instead of publishing it."""

    pattern = models.CharField(_("word or pattern"), max_length=200)
    is_regex = models.BooleanField(_("regular expression"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pattern"]
        verbose_name = _("blocked word")
        verbose_name_plural = _("blocked words")

    def __str__(self):
        return self.pattern

    def clean(self):
        """A regular expression must compile (staff edit these in the Wagtail admin)."""
        super().clean()
        self.pattern = (self.pattern or "").strip()
        if not self.pattern:
            raise ValidationError({"pattern": _("Give a word or a pattern.")})
        if self.is_regex:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise ValidationError(
                    {
                        "pattern": _("This regular expression is not valid: %(error)s")
                        % {"error": error}
                    }
                ) from None


@register_setting(icon="warning")
class ModerationSettings(BaseGenericSetting):
    """Site-wide moderation choices staff make in the Wagtail admin (Settings)."""

    held_first_posts = models.PositiveSmallIntegerField(
        _("hold new members' first posts"),
        default=0,
        validators=[MaxValueValidator(10)],
        help_text=_(
            "How many of a member's first posts wait for a moderator before anyone sees "
            "them (0: none). Agency staff and moderators are never held."
        ),
    )

    class Meta:
        verbose_name = _("moderation settings")
