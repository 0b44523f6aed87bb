from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from core.validators import validate_image_upload

from .licences import split_codes


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")
    PRIVATE = "private", _("Only me")


# The fields of a profile each person shows to whom they choose. Nothing beyond the name is
# public until they say so.
VISIBLE_FIELDS = (
    "photo",
    "headline",
    "bio",
    "areas",
    "interests",
    "skills",
    "languages",
    "organisations",
    "town",
    "activity",
)


def photo_upload_to(instance, filename):
    return f"ambassadors/{instance.user_id}/{filename}"


def visibility_field(label):
    return models.CharField(
        label, max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS
    )


class ProfileInterest(TaggedItemBase):
    content_object = models.ForeignKey("Profile", on_delete=models.CASCADE, related_name="+")


class ProfileSkill(TaggedItemBase):
    content_object = models.ForeignKey("Profile", on_delete=models.CASCADE, related_name="+")


class Profile(models.Model):
    """An ambassador's public face. It outlives the licence (kept for the renewal) but is
    listed only while the licence is valid."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ambassador_profile"
    )
    photo = models.ImageField(
        _("photo"), upload_to=photo_upload_to, blank=True, validators=[validate_image_upload]
    )
    headline = models.CharField(_("headline"), max_length=140, blank=True)
    bio = models.TextField(_("about me"), max_length=4000, blank=True)
    areas = models.ManyToManyField(
        "content.Area", verbose_name=_("areas"), blank=True, related_name="+"
    )
    interests = TaggableManager(
        _("interests"),
        through=ProfileInterest,
        blank=True,
        related_name="ambassador_interest_profiles",
    )
    skills = TaggableManager(
        _("skills"), through=ProfileSkill, blank=True, related_name="ambassador_skill_profiles"
    )
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    # Town-level only: rounded to two decimals (about a kilometre) when saved.
    latitude = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    longitude = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    greeter = models.BooleanField(_("I welcome visitors as a greeter"), default=False)
    leaderboard_opt_out = models.BooleanField(_("Leave me out of the leaderboards"), default=False)
    # True exactly while the member's licence is valid: kept by the licence services in the
    # same transaction and by the daily task when licences start or expire
    # (services.licences.refresh_listed), so that the directory and the leaderboards read
    # an index in their order instead of joining and sorting every licence.
    listed = models.BooleanField(default=False, editable=False)

    photo_visibility = visibility_field(_("who sees my photo"))
    headline_visibility = visibility_field(_("who sees my headline"))
    bio_visibility = visibility_field(_("who sees my bio"))
    areas_visibility = visibility_field(_("who sees my areas"))
    interests_visibility = visibility_field(_("who sees my interests"))
    skills_visibility = visibility_field(_("who sees my skills"))
    languages_visibility = visibility_field(_("who sees my languages"))
    organisations_visibility = visibility_field(_("who sees my organisations"))
    town_visibility = visibility_field(_("who sees my town (and my place on the map)"))
    activity_visibility = visibility_field(_("who sees my badges, stories and posts"))

    search_text = models.TextField(blank=True, editable=False)  # name, headline, tags, town
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["listed", "-id"], name="ambassador_listed_newest")]
        verbose_name = _("ambassador profile")
        verbose_name_plural = _("ambassador profiles")

    def __str__(self):
        return str(self.user)

    def save(self, *args, **kwargs):
        from decimal import ROUND_HALF_UP, Decimal

        for name in ("latitude", "longitude"):
            value = getattr(self, name)
            if value is not None:
                setattr(self, name, Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        super().save(*args, **kwargs)

    @property
    def language_codes(self) -> list[str]:
        return split_codes(self.languages)

    def shown_to(self, viewer) -> set[str]:
        """The fields `viewer` may see on this profile."""
        if (
            viewer is not None
            and viewer.is_authenticated
            and (viewer.pk == self.user_id or viewer.is_staff)
        ):
            return set(VISIBLE_FIELDS)
        levels = {Visibility.PUBLIC}
        if viewer is not None and viewer.is_authenticated:
            levels.add(Visibility.MEMBERS)
        return self.shown_at(levels)

    def shown_at(self, levels) -> set[str]:
        """The fields shown to a viewer of `levels` who is not the owner (None: all)."""
        if levels is None:
            return set(VISIBLE_FIELDS)
        return {name for name in VISIBLE_FIELDS if getattr(self, f"{name}_visibility") in levels}
