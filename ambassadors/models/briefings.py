from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField


class Briefing(models.Model):
    """First-hand information for ambassadors: staff write it in the Wagtail admin and send
    it to everyone or a segment; each recipient acknowledges it ("lu")."""

    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"), features=["bold", "italic", "ol", "ul", "link"])
    talking_points = models.TextField(_("talking points (one per line)"), blank=True)
    snippets = models.TextField(
        _("share-ready snippets (one per line)"), blank=True, max_length=4000
    )
    pages = models.ManyToManyField(
        "wagtailcore.Page", verbose_name=_("linked pages"), blank=True, related_name="+"
    )
    segment_area = models.ForeignKey(
        "content.Area",
        verbose_name=_("segment: area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    segment_tag = models.CharField(_("segment: interest or skill"), max_length=100, blank=True)
    segment_language = models.CharField(_("segment: language"), max_length=8, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    panels = [
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("talking_points"),
        FieldPanel("snippets"),
        FieldPanel("pages"),
        FieldPanel("segment_area"),
        FieldPanel("segment_tag"),
        FieldPanel("segment_language"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("briefing")
        verbose_name_plural = _("briefings")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ambassadors:briefing", args=[self.pk])

    @property
    def talking_point_list(self):
        return [line.strip() for line in self.talking_points.splitlines() if line.strip()]

    @property
    def snippet_list(self):
        return [line.strip() for line in self.snippets.splitlines() if line.strip()]


class BriefingRecipient(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_briefings"
    )
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["briefing", "user"], name="one_recipient_per_briefing")
        ]

    def __str__(self):
        return f"{self.briefing} → {self.user}"
