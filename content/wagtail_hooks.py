from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

# Each feature keeps its admin hooks in its own module; importing registers them.
from . import admin_contributions, admin_events, admin_freshness, admin_toolkit  # noqa: F401
from .imports import admin as imports_admin  # noqa: F401
from .models import Area


class AreaViewSet(SnippetViewSet):
    model = Area
    icon = "site"
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]
    ordering = ["name"]


register_snippet(AreaViewSet)
