from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrackedLink(models.Model):
    """A personal short link (/r/<code>) to a public page of the site. Ambassadors get one per
    page; campaigns make theirs with another `source`. The target is always a path of this
    site, built when the link is made: /r/ never redirects to an outside host."""

    code = models.CharField(max_length=16, unique=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tracked_links"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=32, default="ambassador")  # "ambassador", "campaign"…
    reference = models.CharField(max_length=64, blank=True)  # the campaign's own key, if any
    target = models.CharField(max_length=1000)  # path + UTM query, never another host
    clicks = models.PositiveIntegerField(default=0)  # flushed total
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "page", "source", "reference"], name="one_link_per_owner_page"
            )
        ]
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tracked link")
        verbose_name_plural = _("tracked links")

    def __str__(self):
        return f"/r/{self.code}"


class LinkClickDay(models.Model):
    """Anonymous aggregate: how many distinct visitors a link brought on a day. Nothing about
    the visitor is stored."""

    link = models.ForeignKey(TrackedLink, on_delete=models.CASCADE, related_name="days")
    day = models.DateField()
    clicks = models.PositiveIntegerField(default=0)
    points_awarded = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["link", "day"], name="one_click_row_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.link} {self.day}: {self.clicks}"


class ClickFlush(models.Model):
    """A batch of counters moved from Redis to the database, by name: a batch whose database
    write committed but whose Redis key survived (the worker died in between) is not counted
    twice."""

    name = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name
