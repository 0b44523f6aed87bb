from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.blocks import BodyBlock
from content.french_search import FrenchSearchMixin, french_search_fields

from .freshness import FreshnessMixin
from .pages import image_field


class ToolkitPage(FrenchSearchMixin, Page):
    """The brand kit: logos, photos, document templates and message guidelines."""

    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("message guidelines"), blank=True)
    usage_rules = RichTextField(
        _("brand usage rules"),
        blank=True,
        help_text=_("The “règlement d'usage de la marque” that licence holders accept."),
    )
    usage_rules_version = models.PositiveIntegerField(
        _("usage rules version"), default=1, help_text=_("Raise it when the rules change.")
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("assets", label=_("assets")),
        MultiFieldPanel(
            [FieldPanel("usage_rules"), FieldPanel("usage_rules_version")], heading=_("Brand mark")
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        *french_search_fields(),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("brand toolkit")

    def get_context(self, request, *args, **kwargs):
        from content.services.toolkit import toolkit_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(toolkit_page_context(page=self, user=request.user))
        return context


class ToolkitAsset(Orderable):
    class Kind(models.TextChoices):
        LOGO = "logo", _("Logo")
        PHOTO = "photo", _("Photo")
        TEMPLATE = "template", _("Document template")
        GUIDELINE = "guideline", _("Guidelines")

    page = ParentalKey(ToolkitPage, on_delete=models.CASCADE, related_name="assets")
    title = models.CharField(_("title"), max_length=160)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TEMPLATE)
    description = models.TextField(_("description"), blank=True)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+"
    )
    preview = image_field(_("preview"))
    licensed = models.BooleanField(
        _("licensed"),
        default=False,
        help_text=_("The place-brand mark: downloads need an approved licence."),
    )
    download_count = models.PositiveIntegerField(_("downloads"), default=0, editable=False)

    panels = [
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("document"),
        FieldPanel("preview"),
        FieldPanel("licensed"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("toolkit asset")

    def __str__(self):
        return self.title


class BrandLicence(models.Model):
    """A partner's or ambassador's right to use the licensed mark, under accepted rules."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    asset = models.ForeignKey(ToolkitAsset, on_delete=models.CASCADE, related_name="licences")
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="brand_licences"
    )
    organisation_name = models.CharField(_("organisation"), max_length=160, blank=True)
    intended_use = models.TextField(_("intended use"), max_length=2000)
    accepted_rules_version = models.PositiveIntegerField(_("accepted rules version"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("brand licence")
        verbose_name_plural = _("brand licences")

    def __str__(self):
        return f"{self.asset} — {self.holder}"


class WelcomePackPage(FrenchSearchMixin, FreshnessMixin, Page):
    """A "bouquet de services": partner offers for newcomers or business visitors."""

    class Audience(models.TextChoices):
        NEWCOMERS = "newcomers", _("Newcomers")
        BUSINESS = "business", _("Business visitors")
        EVERYONE = "everyone", _("Everyone")

    intro = models.TextField(_("introduction"), max_length=400, blank=True)
    audience = models.CharField(
        _("audience"), max_length=12, choices=Audience.choices, default=Audience.NEWCOMERS
    )
    hero_image = image_field(_("hero image"))
    body = StreamField(BodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("audience"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("offers", label=_("offers")),
    ]
    settings_panels = Page.settings_panels + FreshnessMixin.freshness_panels
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        *french_search_fields(),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("welcome pack")


class WelcomeOffer(Orderable):
    page = ParentalKey(WelcomePackPage, on_delete=models.CASCADE, related_name="offers")
    title = models.CharField(_("offer"), max_length=160)
    provider = models.CharField(_("provider"), max_length=160)
    description = models.TextField(_("description"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("provider"),
        FieldPanel("description"),
        FieldPanel("conditions"),
        FieldPanel("contact"),
        FieldPanel("url"),
    ]

    def __str__(self):
        return self.title
