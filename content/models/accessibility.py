"""The accessibility statement (« Déclaration d'accessibilité ») that French public bodies
publish under the RGAA 4.1: the conformity level, what is not yet accessible, how to ask for
an accessible alternative, and the recourse to the Défenseur des droits (whose wording is the
model statement's, in the template). One page, edited by staff, at /accessibilite/ in the
demo, linked from every page's footer."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from content.french_search import FrenchSearchMixin, french_search_fields

TEXT_FEATURES = ["h3", "bold", "italic", "link", "ul", "ol"]
SLUG = "accessibilite"


class AccessibilityStatementPage(FrenchSearchMixin, Page):
    class Compliance(models.TextChoices):
        FULL = "full", _("fully compliant")
        PARTIAL = "partial", _("partially compliant")
        NONE = "none", _("not compliant")

    intro = RichTextField(_("introduction"), blank=True, features=TEXT_FEATURES)
    compliance = models.CharField(
        _("conformity level"),
        max_length=8,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
        help_text=_("RGAA 4.1: fully compliant only after an audit finds every criterion met."),
    )
    audit_summary = RichTextField(
        _("test results"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("Who audited, when, on which pages, and the rate of criteria met."),
    )
    non_accessible_content = RichTextField(
        _("non-accessible content"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("Non-compliances, disproportionate burdens, content outside the law's scope."),
    )
    established_on = models.DateField(_("statement drawn up on"), null=True, blank=True)
    technologies = models.CharField(
        _("technologies used"), max_length=255, blank=True, default="HTML5, CSS, JavaScript, SVG"
    )
    contact = RichTextField(
        _("feedback and contact"),
        blank=True,
        features=TEXT_FEATURES,
        help_text=_("How to report a barrier or ask for an accessible alternative."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        MultiFieldPanel(
            [FieldPanel("compliance"), FieldPanel("audit_summary"), FieldPanel("technologies")],
            heading=_("Conformity"),
        ),
        FieldPanel("non_accessible_content"),
        FieldPanel("established_on"),
        FieldPanel("contact"),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("non_accessible_content"),
        *french_search_fields(),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count = 1
    template = "content/accessibility_statement_page.html"

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statements")
