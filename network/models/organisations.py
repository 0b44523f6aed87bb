from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.validators import validate_image_upload


class Sector(models.TextChoices):
    TOURISM = "tourism", _("Tourism & hospitality")
    FOOD = "food", _("Food & drink")
    RETAIL = "retail", _("Retail & crafts")
    CULTURE = "culture", _("Culture & events")
    SERVICES = "services", _("Services")
    INDUSTRY = "industry", _("Industry & innovation")
    ASSOCIATION = "association", _("Associations")
    PUBLIC = "public", _("Public bodies")


def logo_upload_to(instance, filename):
    return f"organisations/{instance.slug}/{filename}"


class Organisation(models.Model):
    """A business, association or public body of the territory, with its members."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices)
    area = models.ForeignKey(
        "content.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="organisations",
    )
    description = models.TextField(_("description"), blank=True, max_length=5000)
    logo = models.ImageField(
        _("logo"), upload_to=logo_upload_to, blank=True, validators=[validate_image_upload]
    )
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    verified = models.BooleanField(
        _("verified by the agency"), default=False, help_text=_("Set by agency staff only.")
    )
    tags = TaggableManager(_("tags"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="OrganisationMembership", related_name="organisations"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("network:organisation", args=[self.slug])


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Member")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_memberships"
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    title = models.CharField(_("job title"), max_length=80, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_org")
        ]
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")

    def __str__(self):
        return f"{self.user} in {self.organisation} ({self.role})"
