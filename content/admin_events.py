"""Event registrations in the admin: staff who edit events read each event's list (the
confirmed, then the waiting list) and export it as CSV or Excel. Members sign up and cancel
on the site only, so the admin neither adds nor edits registrations."""

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from content.models import EventPage, EventRegistration
from content.permissions import can_see_event_registrations


class EventRegistrationPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and can_see_event_registrations(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class EventRegistrationIndexView(IndexView):
    def get_base_queryset(self):
        # One query for the page whatever its length: the event and the member come along.
        return super().get_base_queryset().select_related("event", "user")


class EventRegistrationViewSet(ModelViewSet):
    model = EventRegistration
    index_view_class = EventRegistrationIndexView
    icon = "date"
    menu_label = _("Event registrations")
    menu_order = 260
    add_to_admin_menu = True
    list_display = [
        "user",
        Column("email", label=_("E-mail"), accessor="user.email"),
        "event",
        "status",
        "created",
    ]
    list_filter = ["event", "status"]
    list_export = ["event", "user", "user.email", "get_status_display", "created"]
    export_headings = {
        "user.email": _("E-mail"),
        "get_status_display": _("Status"),
        "user": _("Member"),
        "created": _("Registered at"),
    }
    export_filename = "event-registrations"
    ordering = ["event", "status", "created"]
    form_fields = ["status"]
    list_per_page = 100


register_permission_policy(EventRegistration, EventRegistrationPermissionPolicy(EventRegistration))
event_registration_viewset = EventRegistrationViewSet("event_registrations")


@hooks.register("register_admin_viewset")
def register_event_registration_viewset():
    return event_registration_viewset


class RegistrationsButton(PageMenuItem):
    label = _("Registrations")
    icon_name = "date"

    def is_shown(self, user):
        return can_see_event_registrations(user)

    @cached_property
    def url(self):
        index = reverse(event_registration_viewset.get_url_name("index"))
        # The list is kept on the default language's version (EventPage.registration_page).
        return f"{index}?event={self.page.specific.registration_page.pk}"


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name, next_url=None):
    specific_class = page.specific_class
    if specific_class and issubclass(specific_class, EventPage):
        yield RegistrationsButton(page=page, priority=67)
