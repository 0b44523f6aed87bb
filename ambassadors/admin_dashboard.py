"""The agency's dashboard in Wagtail's admin, and its CSV exports. Staff of the programme
only (the admin's own access check comes first)."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import dashboard
from .permissions import is_programme_staff


class StaffOnly:
    def dispatch(self, request, *args, **kwargs):
        if not is_programme_staff(request.user):
            raise PermissionDenied(_("This page is for agency staff."))
        return super().dispatch(request, *args, **kwargs)


class DashboardView(StaffOnly, WagtailAdminTemplateMixin, TemplateView):
    template_name = "ambassadors/admin/dashboard.html"
    page_title = gettext_lazy("Ambassador dashboard")
    header_icon = "group"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        tables = {slug: build(today) for slug, build in dashboard.TABLES.items()}
        areas = tables["areas"]
        context.update(
            tables={slug.replace("-", "_"): table for slug, table in tables.items()},
            lists=[tables["applications"], tables["licences"], tables["missions"]],
            totals={
                "valid": sum(row[1] for row in areas.rows),
                "applications": len(tables["applications"].rows),
                "licences": len(tables["licences"].rows),
                "missions": len(tables["missions"].rows),
                "greeters": dashboard.greeters_waiting_count(),
            },
            areas_chart=dashboard.horizontal_bars(
                areas,
                chart_id="chart-areas",
                description=_("Ambassadors with a valid licence in each area, most first."),
            ),
            clicks_chart=dashboard.stacked_columns(
                tables["stage-clicks"],
                chart_id="chart-clicks",
                description=_(
                    "Visitors brought by the ambassadors' links each month over the last "
                    "twelve months, stacked by TRACER stage."
                ),
            ),
            missions_chart=dashboard.stacked_columns(
                tables["stage-missions"],
                chart_id="chart-missions",
                description=_(
                    "Missions approved each month over the last twelve months, stacked by "
                    "TRACER stage."
                ),
            ),
        )
        return context


def _cell(value):
    """A cell a spreadsheet would read as a formula is quoted."""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class ExportView(StaffOnly, TemplateView):
    def get(self, request, slug):
        build = dashboard.TABLES.get(slug)
        if build is None:
            raise Http404
        table = build(timezone.localdate())
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="ambassadors-{slug}-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow([_cell(column) for column in table.columns])
        for row in table.rows:
            writer.writerow([_cell(value) for value in row])
        return response


def admin_urls():
    return [
        path("ambassadors/dashboard/", DashboardView.as_view(), name="ambassadors_dashboard"),
        path(
            "ambassadors/dashboard/<slug:slug>.csv",
            ExportView.as_view(),
            name="ambassadors_dashboard_csv",
        ),
    ]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return is_programme_staff(request.user)


def menu_item():
    return DashboardMenuItem(
        gettext_lazy("Ambassador dashboard"),
        reverse("ambassadors_dashboard"),
        icon_name="group",
        order=890,
    )
