from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


class PointEntry(models.Model):
    """One line of an ambassador's points ledger. `reference` names what earned them
    ("mission:12", "clicks:4:2026-12-01"), unique per member, so nothing is counted twice."""

    class Reason(models.TextChoices):
        MISSION = "mission", _("Approved mission")
        STORY = "story", _("Approved story")
        SUGGESTION = "suggestion", _("Approved suggestion")
        CLICKS = "clicks", _("Visitors brought by a link")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_points"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    reference = models.CharField(max_length=80)
    points = models.IntegerField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "reference"], name="one_point_entry_per_reference"
            )
        ]
        indexes = [models.Index(fields=["created_at", "user"])]

    def __str__(self):
        return f"{self.user_id} {self.reference}: {self.points}"


@register_setting(icon="pick")
class RecognitionSettings(BaseGenericSetting):
    """Point values the agency tunes (Wagtail admin → Settings → Ambassador points)."""

    story_points = models.PositiveIntegerField(_("points for an approved story"), default=20)
    suggestion_points = models.PositiveIntegerField(
        _("points for an approved suggestion"), default=5
    )
    points_per_click = models.PositiveIntegerField(_("points per visitor brought"), default=1)
    click_points_per_link_per_day = models.PositiveIntegerField(
        _("click points per link and day, at most"), default=10
    )
    click_points_per_day = models.PositiveIntegerField(
        _("click points per ambassador and day, at most"), default=30
    )
    newcomer_days = models.PositiveIntegerField(
        _("an ambassador is a newcomer for this many days"), default=180
    )

    class Meta:
        verbose_name = _("Ambassador points")
