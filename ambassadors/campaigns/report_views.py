"""Report pages: a brief's report (staff, and partners by a private link), its CSV, and the
report per TRACER stage. A brief's figures and its rendered figures, charts and table are
cached under the reports generation (caches.py); the rest of the page is built each time."""

import secrets

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import render_shared
from network.views.actions import run_action

from . import charts, reports
from .caches import REPORT_CSV, REPORT_HTML, REPORT_PAGE
from .models import Campaign
from .services import briefs
from .views import staff_only


def _report_body(campaign, *, shared: bool) -> str:
    report = reports.cached_report(campaign)
    totals = report.totals
    return render_to_string(
        "campaigns/_report_body.html",
        {
            "totals": totals,
            "shared": shared,
            "clicks_chart": charts.column_chart(
                [(day.strftime("%d/%m"), clicks) for day, clicks in report.days],
                title=_("Clicks per day on the brief's tracked links"),
            ),
            "creators_chart": charts.bar_chart(
                sorted(((row.name, row.clicks) for row in totals.rows), key=lambda r: -r[1])[:12],
                title=_("Clicks brought by each creator"),
            ),
        },
    )


def _report_context(campaign, *, shared: bool = False) -> dict:
    body = REPORT_HTML.get_or_set(
        campaign.pk, shared, get_language(), default=lambda: _report_body(campaign, shared=shared)
    )
    # Rendered by our own template, every value escaped there.
    return {"campaign": campaign, "shared": shared, "report_body": mark_safe(body)}  # noqa: S308  # nosec B308 B703


@staff_only
def campaign_report(request, pk):
    def context():  # read only when the shared page misses (a deletion forgets it)
        campaign = get_object_or_404(Campaign, pk=pk)
        context = _report_context(campaign)
        if campaign.share_token:
            context["share_url"] = request.build_absolute_uri(
                reverse("campaigns:campaign_shared", args=[campaign.share_token])
            )
        return context

    return render_shared(request, "campaigns/report.html", context, cached=REPORT_PAGE, query="")


@staff_only
def campaign_report_csv(request, pk):
    def build():  # read only when the entry misses (a deletion forgets it)
        campaign = get_object_or_404(Campaign, pk=pk)
        return reports.report_csv(campaign, reports.cached_report(campaign).totals)

    body = REPORT_CSV.get_or_set(pk, get_language(), default=build)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="campaign-{pk}-report.csv"'
    return response


@require_POST
@staff_only
def campaign_share(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    enable = request.POST.get("enable") != "0"
    return run_action(
        request,
        lambda: briefs.share_report(actor=request.user, campaign=campaign, enable=enable),
        success=_("The private link is ready.") if enable else _("The private link is off."),
        back=f"{campaign.get_absolute_url()}report/",
    )


def campaign_shared(request, token):
    """The partners' view of a report, by its private link (no account needed)."""
    if len(token) < 20:
        raise Http404

    def context():  # read only when the shared page misses (a new or revoked link forgets it)
        campaign = Campaign.objects.filter(share_token=token).first()
        if campaign is None or not secrets.compare_digest(campaign.share_token, token):
            raise Http404
        return _report_context(campaign, shared=True)

    response = render_shared(
        request, "campaigns/report.html", context, cached=REPORT_PAGE, query=""
    )
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@staff_only
def campaign_stages(request):
    stages = reports.stage_report()
    return render(
        request,
        "campaigns/stages.html",
        {
            "stages": stages,
            "clicks_chart": charts.bar_chart(
                [(label, totals.clicks) for _v, label, totals in stages],
                title=_("Clicks per TRACER stage"),
            ),
            "cost_chart": charts.bar_chart(
                [(label, float(totals.total)) for _v, label, totals in stages],
                title=_("Value given per TRACER stage (€ excl. VAT)"),
            ),
        },
    )
