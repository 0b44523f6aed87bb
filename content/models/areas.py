from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class Area(index.Indexed, models.Model):
    """A place in the territory's tree: region → département → commune or district.
    Pages, people and groups are tagged with one."""

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        DEPARTEMENT = "departement", _("Département")
        COMMUNE = "commune", _("Commune")
        DISTRICT = "district", _("District")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    # Where the area is drawn on the members' map: its centre, never a member's address.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("parent"),
        FieldPanel("latitude"),
        FieldPanel("longitude"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An area cannot be inside itself.")})
            ancestor = ancestor.parent

    def descendant_ids(self) -> list[int]:
        """This area and every area inside it (the tree is shallow: a query per level)."""
        ids, level = [self.pk], [self.pk]
        while level:
            level = list(Area.objects.filter(parent_id__in=level).values_list("pk", flat=True))
            ids.extend(level)
        return ids
