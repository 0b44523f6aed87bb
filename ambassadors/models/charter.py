from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField


class Charter(models.Model):
    """One version of the brand charter ambassadors accept. Staff add a new version in the
    Wagtail admin (Snippets → Charter); the highest published version is the current one, and
    every ambassador is asked to accept it again at their next visit."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    body = RichTextField(_("text"), features=["bold", "italic", "ol", "ul", "link"])
    published = models.BooleanField(
        _("published"), default=False, help_text=_("Only a published version can be accepted.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("version"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("published"),
    ]

    class Meta:
        ordering = ["-version"]
        verbose_name = _("brand charter")
        verbose_name_plural = _("brand charter versions")

    def __str__(self):
        return _("%(title)s (version %(version)s)") % {"title": self.title, "version": self.version}

    @classmethod
    def current(cls):
        return cls.objects.filter(published=True).order_by("-version").first()
