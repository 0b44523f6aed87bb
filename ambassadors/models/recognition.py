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


def period_keys(when) -> tuple[str, str]:
    """The year and the month of `when` in the site's time zone (TIME_ZONE, whatever the
    viewer's), as PointTotal names them: ("2026", "2026-12")."""
    local = timezone.localtime(when, timezone.get_default_timezone())
    return f"{local.year:04d}", f"{local.year:04d}-{local.month:02d}"


class PointTotal(models.Model):
    """An ambassador's points over one year ("2026") or one month ("2026-12"), in the site's
    time zone: the sum of their ledger lines dated in it. Kept by the award services in the
    same transaction as the lines, so that a leaderboard reads one row per member in the
    index's order instead of summing the ledger."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    points = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="one_point_total_per_period")
        ]
        indexes = [
            models.Index(fields=["period", "-points", "user"], name="ambassador_points_ranked")
        ]

    def __str__(self):
        return f"{self.user_id} {self.period}: {self.points}"


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
