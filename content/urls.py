"""Public URLs of the content hub that are not Wagtail pages (mounted before Wagtail's)."""

from django.urls import path, re_path

from content.feeds import StoryFeed
from content.views import contributions as contribution_views
from content.views import events as event_views
from content.views import ical as ical_views
from content.views import search as search_views
from content.views import toolkit as toolkit_views

app_name = "content"

urlpatterns: list = [
    # path(...) entries are added by feature modules below.
    path("stories/propose/", contribution_views.propose_story, name="propose_story"),
    path("stories/proposals/", contribution_views.story_proposals, name="story_proposals"),
    path("suggestions/", contribution_views.my_suggestions, name="my_suggestions"),
    path(
        "suggestions/new/<int:page_id>/",
        contribution_views.suggest_update,
        name="suggest_update",
    ),
    path("preview/<str:token>/", contribution_views.preview, name="preview_link"),
    re_path(
        r"^(?P<page_path>(?:[\w\-]+/)+(?:event|calendar)\.ics)$",
        ical_views.serve_ics,
        name="ical",
    ),
    path("stories/feed/", StoryFeed(), name="story_feed"),
    path("search/", search_views.search, name="search"),
    path(
        "toolkit/assets/<int:asset_id>/download/",
        toolkit_views.download_asset,
        name="toolkit_download",
    ),
    path(
        "toolkit/assets/<int:asset_id>/licence/",
        toolkit_views.request_licence,
        name="toolkit_licence_request",
    ),
    path(
        "toolkit/licences/<int:licence_id>/accept-rules/",
        toolkit_views.accept_rules,
        name="toolkit_accept_rules",
    ),
    path(
        "events/<int:event_id>/registration/",
        event_views.event_registration,
        name="event_registration",
    ),
]
