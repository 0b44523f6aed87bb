from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Badge, Briefing, Charter, Mission


class CharterViewSet(SnippetViewSet):
    model = Charter
    icon = "doc-full"
    menu_label = _("Brand charter")
    list_display = ["title", "version", "published"]


class MissionViewSet(SnippetViewSet):
    model = Mission
    icon = "tasks"
    menu_label = _("Missions")
    list_display = ["title", "stage", "type", "points", "deadline", "status"]
    list_filter = ["stage", "type", "status"]


class BriefingViewSet(SnippetViewSet):
    model = Briefing
    icon = "mail"
    menu_label = _("Briefings")
    list_display = ["title", "sent_at", "reminded_at"]


class BadgeViewSet(SnippetViewSet):
    model = Badge
    icon = "pick"
    menu_label = _("Badges")
    list_display = ["symbol", "name", "rule", "threshold", "active", "sort_order"]
    list_filter = ["rule", "active"]


register_snippet(CharterViewSet)
register_snippet(BadgeViewSet)
register_snippet(BriefingViewSet)
register_snippet(MissionViewSet)


@hooks.register("register_admin_menu_item")
def register_applications_menu_item():
    return MenuItem(
        _("Ambassador applications"),
        reverse("ambassadors:applications"),
        icon_name="user",
        order=900,
    )


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    from .admin_dashboard import admin_urls

    return admin_urls()


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    from .admin_dashboard import menu_item

    return menu_item()


from .press import wagtail_hooks as press_hooks  # noqa: E402, F401 - e-PR's admin entries
