"""The community rules: one page, edited by staff, whose clauses are numbered so that a
moderation decision can name the clause it applies ("clause 3") and every report form can
link to it (at /community-rules/ in the demo)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from content.blocks import RICH_TEXT_FEATURES
from content.french_search import FrenchSearchMixin, french_search_fields


class ClauseBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), max_length=120)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "list-ol"
        label = _("clause")


class CommunityRulesPage(FrenchSearchMixin, Page):
    """What members agree to: numbered clauses (their number is their place in the list)."""

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    clauses = StreamField(
        [("clause", ClauseBlock())],
        verbose_name=_("clauses"),
        blank=True,
        help_text=_(
            "Numbered in this order. Moderation decisions cite them by number: add new "
            "clauses at the end rather than in between."
        ),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("clauses")]
    search_fields = Page.search_fields + [
        index.SearchField("intro"),
        index.SearchField("clauses"),
        *french_search_fields(),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("community rules")
        verbose_name_plural = _("community rules")
