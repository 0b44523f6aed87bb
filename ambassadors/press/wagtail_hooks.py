"""e-PR in the Wagtail admin: a menu item to the staff's press pages, segments as snippets."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import PressSegment
from .permissions import can_manage_press


class PressSegmentViewSet(SnippetViewSet):
    model = PressSegment
    icon = "group"
    menu_label = _("Press segments")
    list_display = ["name", "description"]


register_snippet(PressSegmentViewSet)


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return can_manage_press(request.user)


@hooks.register("register_admin_menu_item")
def register_press_menu_item():
    return StaffMenuItem(
        _("Press relations"), reverse("press:releases"), icon_name="mail", order=910
    )
