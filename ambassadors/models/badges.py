from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BadgeRule(models.TextChoices):
    """What a badge's threshold counts; MANUAL badges are given by staff."""

    MISSIONS = "missions", _("Approved missions")
    CLICKS = "clicks", _("Visitors brought by links")
    STORIES = "stories", _("Published stories")
    VETERAN = "veteran", _("Days since the licence started")
    GREETER = "greeter", _("Opted in as a greeter")
    GREETINGS = "greetings", _("Visitors greeted")
    POINTS = "points", _("Points")
    MANUAL = "manual", _("Given by the agency")


class Badge(models.Model):
    """A badge the agency tunes in the admin: awarded when the member's count for `rule`
    reaches `threshold` (never taken back automatically)."""

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name in English"), max_length=60, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    description_en = models.CharField(_("description in English"), max_length=200, blank=True)
    symbol = models.CharField(
        _("symbol"), max_length=2, default="★", help_text=_("One or two characters.")
    )
    rule = models.CharField(_("rule"), max_length=16, choices=BadgeRule.choices)
    threshold = models.PositiveIntegerField(_("threshold"), default=1)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("badge")
        verbose_name_plural = _("badges")

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "").startswith("en") and self.name_en:
            return self.name_en
        return self.name

    @property
    def explanation(self) -> str:
        if (get_language() or "").startswith("en") and self.description_en:
            return self.description_en
        return self.description


class BadgeAward(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_badges"
    )
    badge = models.ForeignKey(Badge, on_delete=models.CASCADE, related_name="awards")
    awarded_at = models.DateTimeField(default=timezone.now)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "badge"], name="one_award_per_badge")
        ]
        ordering = ["badge__sort_order", "badge_id"]
        verbose_name = _("badge awarded")
        verbose_name_plural = _("badges awarded")

    def __str__(self):
        return f"{self.user_id} · {self.badge_id}"
