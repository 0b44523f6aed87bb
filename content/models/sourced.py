from django.db import models
from django.utils.translation import gettext_lazy as _


class SourcedFieldsMixin(models.Model):
    """What an open-data import writes on a page besides its title and practical details: the
    source's own descriptions and photo. They sit beside the agency's introduction, body and
    hero image, so that an editor's writing and the source's never overwrite each other (see
    content/imports/services.py for who owns which field)."""

    description = models.TextField(
        _("description (from the source)"),
        blank=True,
        help_text=_("Written by the tourist office; updated by the import unless you change it."),
    )
    description_en = models.TextField(_("description in English (from the source)"), blank=True)
    source_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo (from the source)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def display_image(self):
        """The agency's hero image, or else the source's photo."""
        return self.hero_image or self.source_image
