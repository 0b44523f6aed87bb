"""The group pages' URLs (mounted by network/urls.py)."""

from django.urls import path

from network.views.groups.directory import group_create, groups_index
from network.views.groups.events import (
    group_event_cancel,
    group_event_create,
    group_event_detail,
    group_event_rsvp,
    group_events,
)
from network.views.groups.invitations import group_invitation, group_invite, group_settings
from network.views.groups.members import (
    group_member_ban,
    group_member_remove,
    group_member_role,
    group_member_unban,
    group_members,
    group_request_decide,
    group_requests,
)
from network.views.groups.pages import (
    group_detail,
    group_follow_closely,
    group_join,
    group_leave,
    group_withdraw_request,
)

urlpatterns = [
    path("groups/", groups_index, name="groups"),
    path("groups/new/", group_create, name="group_create"),
    path("groups/invitations/<str:token>/", group_invitation, name="group_invitation"),
    path("groups/<slug:slug>/", group_detail, name="group"),
    path("groups/<slug:slug>/join/", group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", group_leave, name="group_leave"),
    path("groups/<slug:slug>/follow-closely/", group_follow_closely, name="group_follow_closely"),
    path("groups/<slug:slug>/withdraw/", group_withdraw_request, name="group_withdraw_request"),
    path("groups/<slug:slug>/members/", group_members, name="group_members"),
    path(
        "groups/<slug:slug>/members/<int:user_id>/remove/",
        group_member_remove,
        name="group_member_remove",
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/ban/", group_member_ban, name="group_member_ban"
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/unban/",
        group_member_unban,
        name="group_member_unban",
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/role/",
        group_member_role,
        name="group_member_role",
    ),
    path("groups/<slug:slug>/requests/", group_requests, name="group_requests"),
    path(
        "groups/<slug:slug>/requests/<int:request_id>/",
        group_request_decide,
        name="group_request_decide",
    ),
    path("groups/<slug:slug>/invite/", group_invite, name="group_invite"),
    path("groups/<slug:slug>/settings/", group_settings, name="group_settings"),
    path("groups/<slug:slug>/events/", group_events, name="group_events"),
    path("groups/<slug:slug>/events/new/", group_event_create, name="group_event_create"),
    path("groups/<slug:slug>/events/<int:event_id>/", group_event_detail, name="group_event"),
    path(
        "groups/<slug:slug>/events/<int:event_id>/rsvp/",
        group_event_rsvp,
        name="group_event_rsvp",
    ),
    path(
        "groups/<slug:slug>/events/<int:event_id>/cancel/",
        group_event_cancel,
        name="group_event_cancel",
    ),
]
