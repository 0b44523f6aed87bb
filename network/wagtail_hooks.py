"""The network's screens in the Wagtail admin, where agency staff already work."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.sanitizer import clean_html, clean_text
from network.models import BlockedWord, Organisation


class OrganisationAdminForm(WagtailAdminModelForm):
    """The admin writes rows directly, not through the services: it sanitises the same
    fields the same way, so what staff paste is stored as harmless as what members type."""

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_description(self):
        return clean_html(self.cleaned_data["description"])

    def clean_phone(self):
        return clean_text(self.cleaned_data["phone"])

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return cleaned


class OrganisationViewSet(SnippetViewSet):
    """Staff edit organisations and give the "verified by the agency" badge here. Its
    members are managed by the owners on the organisation's page (staff may do it too)."""

    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "sector", "area", "verified", "created_at"]
    list_filter = ["verified", "sector"]
    search_fields = ["name", "slug"]
    ordering = ["name"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("verified"),
            FieldRowPanel([FieldPanel("sector"), FieldPanel("area")]),
            FieldPanel("description"),
            FieldPanel("logo"),
            FieldPanel("tags"),
            MultiFieldPanel(
                [FieldPanel("website"), FieldPanel("email"), FieldPanel("phone")],
                heading=_("Contact"),
            ),
            FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")], heading=_("Location")),
        ],
        base_form_class=OrganisationAdminForm,
    )


register_snippet(OrganisationViewSet)


class BlockedWordViewSet(SnippetViewSet):
    """Staff keep the words and patterns that hold a post for review (see
    network.services.moderation). The model's clean() refuses a regular expression that
    does not compile."""

    model = BlockedWord
    icon = "warning"
    menu_label = _("Blocked words")
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["pattern", "is_regex", "created_at"]
    list_filter = ["is_regex"]
    search_fields = ["pattern"]
    ordering = ["pattern"]
    panels = [FieldPanel("pattern"), FieldPanel("is_regex")]


register_snippet(BlockedWordViewSet)
