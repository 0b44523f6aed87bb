"""Creators: the profile any member may add and its platforms."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CreatorKind(models.TextChoices):
    INFLUENCER = "influencer", _("Influencer")
    BLOGGER = "blogger", _("Blogger")
    JOURNALIST = "journalist", _("Journalist")
    MEDIA = "media", _("Media")


class Platform(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X"
    LINKEDIN = "linkedin", "LinkedIn"
    BLOG = "blog", _("Blog or website")
    PODCAST = "podcast", _("Podcast")
    NEWSLETTER = "newsletter", _("Newsletter")
    PRESS = "press", _("Press or broadcast")
    OTHER = "other", _("Other")


# Audience bands of the directory's filter: (key, label, lowest, highest excluded).
AUDIENCE_BANDS = [
    ("nano", _("Under 10,000"), 0, 10_000),
    ("micro", _("10,000 to 100,000"), 10_000, 100_000),
    ("macro", _("100,000 to 1 million"), 100_000, 1_000_000),
    ("mega", _("1 million or more"), 1_000_000, None),
]


class CreatorProfile(models.Model):
    """What a creator declares about themself: any member may have one. Only agency staff
    see the directory of creators; nothing here is public."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="creator_profile"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CreatorKind.choices)
    niches = models.CharField(
        _("niches"), max_length=300, blank=True, help_text=_("Separated by commas: food, surf")
    )
    # ",fr,en," as ambassadors' languages (one code is found with contains=",en,").
    languages = models.CharField(_("languages"), max_length=100, blank=True)
    areas = models.ManyToManyField("content.Area", verbose_name=_("areas"), blank=True)
    rates = models.TextField(_("rates"), max_length=2000, blank=True)
    arpp_certified = models.BooleanField(
        _("ARPP “Certificat de l'Influence Responsable”"), default=False
    )
    arpp_certified_on = models.DateField(_("certificate obtained on"), null=True, blank=True)
    legal_name = models.CharField(_("legal name (person or company)"), max_length=200, blank=True)
    address = models.TextField(_("postal address"), max_length=500, blank=True)
    tax_residence = models.CharField(_("tax residence (country)"), max_length=100, blank=True)
    company_number = models.CharField(_("SIRET or company number"), max_length=40, blank=True)
    # The sum of the platforms' declared audiences (kept by the service), for the bands.
    audience_total = models.PositiveBigIntegerField(default=0, editable=False, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("creator profile")
        verbose_name_plural = _("creator profiles")

    def __str__(self):
        return self.user.get_display_name()

    @property
    def niche_list(self) -> list[str]:
        return [n for n in self.niches.split(",") if n]

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class CreatorPlatform(models.Model):
    profile = models.ForeignKey(CreatorProfile, on_delete=models.CASCADE, related_name="platforms")
    platform = models.CharField(_("platform"), max_length=16, choices=Platform.choices)
    handle = models.CharField(_("handle or address"), max_length=200)
    audience = models.PositiveBigIntegerField(_("audience (declared)"), default=0)
    audience_on = models.DateField(_("audience declared on"), default=timezone.localdate)

    class Meta:
        ordering = ["-audience", "pk"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return f"{self.get_platform_display()} {self.handle}"
