"""Content freshness in the Wagtail admin: the "Content to review" report, its dashboard
panel, the one-click "Mark as reviewed" action (report rows, page header, page listing) and
the log action it records. Imported by wagtail_hooks."""

from datetime import date

import django_filters
from django import forms
from django.contrib import messages
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import BaseColumn, Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from content import selectors
from content.models import FreshnessMixin
from content.services.freshness import MARK_REVIEWED_ACTION, can_mark_reviewed, mark_reviewed
from core.errors import DomainError

# People who work on pages at all (the same rule as Wagtail's own page reports).
PAGE_WORK_PERMISSIONS = ["add", "change", "publish"]

OVERDUE, DUE_SOON, RECENTLY_REVIEWED = "overdue", "due_soon", "reviewed"
STATUS_CHOICES = [
    (OVERDUE, _("Overdue")),
    (DUE_SOON, _("Due within 30 days")),
    (RECENTLY_REVIEWED, _("Reviewed in the last 30 days")),
]


def page_policy() -> PagePermissionPolicy:
    return PagePermissionPolicy()


def works_on_pages(user) -> bool:
    return page_policy().user_has_any_permission(user, PAGE_WORK_PERMISSIONS)


def editable_pages(user):
    return page_policy().instances_user_has_permission_for(user, "change")


# Log action ------------------------------------------------------------------------------


class MarkReviewedLogFormatter(LogFormatter):
    label = _("Mark as reviewed")

    def format_message(self, log_entry):
        due = (log_entry.data or {}).get("next_review_due")
        if not due:
            return gettext("Marked as reviewed")
        return gettext("Marked as reviewed; next review due on %(date)s") % {
            "date": date_format(date.fromisoformat(due))
        }


@hooks.register("register_log_actions")
def register_freshness_log_actions(actions):
    actions.register_action(MARK_REVIEWED_ACTION)(MarkReviewedLogFormatter)


# Report ----------------------------------------------------------------------------------


class ContentToReviewFilterSet(WagtailFilterSet):
    # Applied by the view, which also supplies the default (overdue).
    status = django_filters.ChoiceFilter(
        label=_("Review status"),
        choices=STATUS_CHOICES,
        empty_label=None,
        widget=forms.RadioSelect,
        method="keep_queryset",
    )

    class Meta:
        model = Page
        fields = []

    def keep_queryset(self, queryset, name, value):
        return queryset


class MarkReviewedColumn(BaseColumn):
    """A "Mark as reviewed" button (a POST form) for the pages the user may publish."""

    cell_template_name = "content/admin/mark_reviewed_cell.html"

    def __init__(self, name, next_url="", **kwargs):
        super().__init__(name, **kwargs)
        self.next_url = next_url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context["request"]
        context["can_mark"] = can_mark_reviewed(request.user, instance)
        context["action_url"] = reverse("content_mark_reviewed", args=[instance.pk])
        context["next_url"] = self.next_url
        # Cells render without a RequestContext: hand {% csrf_token %} its value.
        context["csrf_token"] = get_token(request)
        return context


class ContentToReviewView(ReportView):
    page_title = _("Content to review")
    header_icon = "calendar-check"
    model = Page
    any_permission_required = PAGE_WORK_PERMISSIONS
    filterset_class = ContentToReviewFilterSet
    index_url_name = "content_review_report"
    index_results_url_name = "content_review_report_results"
    results_template_name = "content/admin/content_to_review_results.html"
    context_object_name = "pages"
    list_export = [
        "title",
        "type_label",
        "maintainer_names",
        "reviewed_on",
        "review_due",
        "days_overdue",
    ]
    export_headings = {
        "title": _("Title"),
        "type_label": _("Type"),
        "maintainer_names": _("Maintainers"),
        "reviewed_on": _("Last reviewed"),
        "review_due": _("Review due"),
        "days_overdue": _("Due since (days)"),
    }

    def as_spreadsheet(self, queryset, spreadsheet_format):
        # The CSV streams after the view returned, outside the admin user's language:
        # translate the headings now.
        self.export_headings = {key: str(value) for key, value in self.export_headings.items()}
        return super().as_spreadsheet(queryset, spreadsheet_format)

    def get_filename(self):
        return f"content-to-review-{timezone.localdate().isoformat()}"

    @cached_property
    def status(self) -> str:
        form = self.filters.form
        if form.is_valid() and form.cleaned_data.get("status"):
            return form.cleaned_data["status"]
        return OVERDUE

    @cached_property
    def columns(self):
        next_url = self.index_url
        query = {key: value for key, value in self.request.GET.items() if key == "status"}
        if query:
            next_url += "?" + urlencode(query)
        return [
            TitleColumn(
                "title",
                label=_("Title"),
                get_url=lambda page: reverse("wagtailadmin_pages:edit", args=[page.pk]),
            ),
            Column("type_label", label=_("Type")),
            Column("maintainer_names", label=_("Maintainers")),
            Column("reviewed_on", label=_("Last reviewed")),
            Column("review_due", label=_("Review due")),
            Column("days_overdue", label=_("Due since (days)")),
            MarkReviewedColumn("mark_reviewed", label="", next_url=next_url),
        ]

    def get_queryset(self):
        return selectors.pages_with_freshness(editable_pages(self.request.user))

    def get_filtered_queryset(self):
        queryset = self.filter_queryset(self.get_queryset())
        today = timezone.localdate()
        if self.status == DUE_SOON:
            return selectors.pages_due_soon(today, queryset=queryset)
        if self.status == RECENTLY_REVIEWED:
            return selectors.pages_reviewed_since(today, queryset=queryset)
        return selectors.pages_due_for_review(today, queryset=queryset)

    def decorate_paginated_queryset(self, object_list):
        today = timezone.localdate()
        for page in object_list:
            page.type_label = capfirst(str(type(page)._meta.verbose_name))
            page.maintainer_names = ", ".join(
                user.get_display_name() for user in page.maintainers.all()
            )
            page.days_overdue = (
                (today - page.review_due).days
                if page.review_due and page.review_due < today
                else None
            )
        return object_list

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["status"] = self.status
        return context


@require_POST
def mark_reviewed_view(request, page_id):
    page = get_object_or_404(Page, pk=page_id)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("content_review_report")
    try:
        page = mark_reviewed(actor=request.user, page=page)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("“%(title)s” marked as reviewed; next review due on %(date)s.")
            % {"title": page.get_admin_display_title(), "date": date_format(page.next_review_due)},
        )
    return redirect(next_url)


@hooks.register("register_admin_urls")
def register_freshness_urls():
    return [
        path(
            "reports/content-to-review/",
            ContentToReviewView.as_view(),
            name="content_review_report",
        ),
        path(
            "reports/content-to-review/results/",
            ContentToReviewView.as_view(results_only=True),
            name="content_review_report_results",
        ),
        path(
            "content/pages/<int:page_id>/mark-reviewed/",
            mark_reviewed_view,
            name="content_mark_reviewed",
        ),
    ]


class ContentToReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return works_on_pages(request.user)


@hooks.register("register_reports_menu_item")
def register_content_to_review_menu_item():
    return ContentToReviewMenuItem(
        _("Content to review"),
        reverse("content_review_report"),
        name="content-to-review",
        icon_name="calendar-check",
        order=50,
    )


# Dashboard -------------------------------------------------------------------------------


class ContentToReviewPanel(Component):
    name = "content_to_review"
    template_name = "content/admin/content_to_review_panel.html"
    order = 150

    def get_context_data(self, parent_context):
        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        counts = selectors.freshness_counts(queryset=editable_pages(request.user))
        report_url = reverse("content_review_report")
        context["items"] = [
            {
                "count": counts["overdue"],
                "label": ngettext(
                    "%(count)s page overdue", "%(count)s pages overdue", counts["overdue"]
                )
                % {"count": counts["overdue"]},
                "url": f"{report_url}?{urlencode({'status': OVERDUE})}",
                "icon": "warning",
                "key": OVERDUE,
            },
            {
                "count": counts["due_soon"],
                "label": ngettext(
                    "%(count)s page due within 30 days",
                    "%(count)s pages due within 30 days",
                    counts["due_soon"],
                )
                % {"count": counts["due_soon"]},
                "url": f"{report_url}?{urlencode({'status': DUE_SOON})}",
                "icon": "calendar-alt",
                "key": DUE_SOON,
            },
            {
                "count": counts["reviewed_recently"],
                "label": ngettext(
                    "%(count)s page reviewed in the last 30 days",
                    "%(count)s pages reviewed in the last 30 days",
                    counts["reviewed_recently"],
                )
                % {"count": counts["reviewed_recently"]},
                "url": f"{report_url}?{urlencode({'status': RECENTLY_REVIEWED})}",
                "icon": "circle-check",
                "key": RECENTLY_REVIEWED,
            },
        ]
        context["report_url"] = report_url
        return context


@hooks.register("construct_homepage_panels")
def add_content_to_review_panel(request, panels):
    if works_on_pages(request.user):
        panels.append(ContentToReviewPanel())


# "Mark as reviewed" from the page editor and the page listing ----------------------------


def mark_reviewed_button(page, user, priority):
    """A dropdown item that POSTs (Wagtail's w-action controller adds the CSRF token and
    `next`, the current URL), or None where it does not apply."""
    specific_class = page.specific_class
    if not (specific_class and issubclass(specific_class, FreshnessMixin) and page.live):
        return None
    if not page.permissions_for_user(user).can_publish():
        return None
    return Button(
        _("Mark as reviewed"),
        icon_name="calendar-check",
        attrs={
            "data-controller": "w-action",
            "data-action": "w-action#post",
            "data-w-action-url-value": reverse("content_mark_reviewed", args=[page.pk]),
        },
        priority=priority,
    )


@hooks.register("register_page_header_buttons")
def page_header_mark_reviewed_button(page, user, view_name, next_url=None):
    button = mark_reviewed_button(page, user, priority=12)
    if button:
        yield button


@hooks.register("register_page_listing_more_buttons")
def page_listing_mark_reviewed_button(page, user, next_url=None):
    button = mark_reviewed_button(page, user, priority=5)
    if button:
        yield button
