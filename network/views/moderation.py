"""Moderation pages: the report form (open to visitors), the agency's queue and a group's,
a case with its decision form and history, and the page where the member a decision
concerns reads its statement of reasons and contests it."""

import csv
from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from core import ratelimit
from core.errors import FORM_ERRORS
from network.models import Case, Complaint, ModerationAction, ReportReason
from network.models.moderation import MAX_EXPLANATION_LENGTH
from network.permissions import (
    can_contest,
    can_decide_complaint,
    can_moderate_case,
    can_see_reporters,
    is_agency_moderator,
)
from network.selectors import groups as group_selectors
from network.selectors import moderation as selectors
from network.services import moderation as services


class ReportForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("Reason"), choices=ReportReason.choices)
    explanation = forms.CharField(
        label=gettext_lazy("Explanation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=MAX_EXPLANATION_LENGTH * 2,  # the service gives the precise message
    )
    url = forms.CharField(
        label=gettext_lazy("Exact address (URL) of the content"), required=False, max_length=500
    )
    name = forms.CharField(label=gettext_lazy("Your name"), required=False, max_length=150)
    email = forms.EmailField(label=gettext_lazy("Your e-mail address"), required=False)
    good_faith = forms.BooleanField(
        label=gettext_lazy(
            "I believe in good faith that the information in this notice is accurate and complete."
        ),
        required=False,
    )


@require_http_methods(["GET", "POST"])
def report(request, kind, item_id):
    """Report an item; anyone may, signed in or not. Illegal content needs the notice's
    fields (DSA Art. 16); the answer is an acknowledgement page."""
    item = services.load_item(kind, item_id)
    if item is None:
        raise Http404()
    registered = services.KINDS[kind]
    if not registered.can_see(request.user, item):
        raise Http404()
    target_url = registered.url_of(item)
    initial = {"url": request.build_absolute_uri(target_url)}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                actor=request.user,
                target=item,
                client_key=ratelimit.client_key(request),
                **form.cleaned_data,
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            return render(
                request,
                "network/moderation/report_thanks.html",
                {"target_url": target_url, "illegal": form.cleaned_data["reason"] == "illegal"},
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "network/moderation/report.html",
        {
            "form": form,
            "kind": registered,
            "preview": services._preview(registered.preview_of(item)),
            "target_url": target_url,
            "rules_url": services.community_rules_url(),
        },
        status=status,
    )


QUEUE_PAGE_SIZE = 25


def _queue_page(request, *, group=None):
    status = request.GET.get("status", Case.Status.OPEN)
    cases = selectors.queue(request.user, status=status, group=group)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    for case in page:
        case.reasons = selectors.reasons_of(case)
    return render(
        request,
        "network/moderation/queue.html",
        {
            "cases": page.object_list,
            "results": page,
            "status": status if status in Case.Status.values else Case.Status.OPEN,
            "group": group,
            "show_transparency": group is None and is_agency_moderator(request.user),
        },
    )


@login_required
def moderation_queue(request):
    return _queue_page(request)


@login_required
def group_moderation(request, slug):
    group = group_selectors.get_group_for(request.user, slug)
    return _queue_page(request, group=group)


class DecisionForm(forms.Form):
    action = forms.ChoiceField(label=gettext_lazy("Measure"), choices=ModerationAction.choices)
    facts = forms.CharField(
        label=gettext_lazy("Facts and circumstances"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_EXPLANATION_LENGTH,
    )
    ground = forms.CharField(
        label=gettext_lazy("Legal ground or community-rule clause"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=MAX_EXPLANATION_LENGTH,
    )
    redress = forms.CharField(
        label=gettext_lazy("How to contest (leave empty for the usual text)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_EXPLANATION_LENGTH,
    )
    automated = forms.BooleanField(
        label=gettext_lazy("Automated means were used to detect or decide"), required=False
    )
    suspended_until = forms.DateTimeField(
        label=gettext_lazy("Suspended until (for a suspension)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    field_order = ["action", "suspended_until", "facts", "ground", "redress", "automated"]

    def __init__(self, *args, actions=(), held=False, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(ModerationAction.choices)
        if kind is not None:
            labels.update(kind.action_labels)
        if held:
            # Nothing was reported: "dismissing" a held item means letting it through, and
            # it was detected by automated means (a blocked word, the first-posts rule).
            labels[ModerationAction.DISMISS] = _("Publish it (nothing wrong with it)")
            self.fields["automated"].initial = True
        self.fields["action"].choices = [(action, labels[action]) for action in actions]


@login_required
@require_http_methods(["GET", "POST"])
def moderation_case(request, case_id):
    case = selectors.get_case_for(request.user, case_id)
    kind = services.KINDS.get(case.kind)
    actions = [a for a in (kind.actions if kind else ("dismiss",))]
    if case.group_id is None and "ban_from_group" in actions:
        actions.remove("ban_from_group")
    if not is_agency_moderator(request.user) and "suspend" in actions:
        actions.remove("suspend")
    form = DecisionForm(
        request.POST or None, actions=actions, held=bool(case.held_reason), kind=kind
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(actor=request.user, case=case, **form.cleaned_data)
        except FORM_ERRORS as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The decision is recorded; the member is told."))
        return redirect("network:moderation_case", case.pk)
    reports, decisions = selectors.case_history(case)
    for decision in decisions:
        complaint = getattr(decision, "complaint", None)
        decision.complaint_open = complaint is not None and complaint.status == "open"
        decision.may_decide_complaint = decision.complaint_open and can_decide_complaint(
            request.user, complaint
        )
    return render(
        request,
        "network/moderation/case.html",
        {
            "case": case,
            "kind": kind,
            "reports": reports,
            "decisions": decisions,
            "form": form if case.status == Case.Status.OPEN else None,
            "show_reporters": can_see_reporters(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def moderation_complaint_decide(request, complaint_id):
    complaint = (
        Complaint.objects.select_related("decision__case__group").filter(pk=complaint_id).first()
    )
    if complaint is None:
        raise Http404()
    if not can_moderate_case(request.user, complaint.decision.case):
        raise PermissionDenied(_("Only the moderators of this case can decide it."))
    try:
        services.decide_complaint(
            actor=request.user,
            complaint=complaint,
            outcome=request.POST.get("outcome", ""),
            response=request.POST.get("response", ""),
        )
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The complaint is decided; the member is told."))
    return redirect("network:moderation_case", complaint.decision.case_id)


class ComplaintForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Why do you contest this decision?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_EXPLANATION_LENGTH * 2,
    )


@login_required
@require_http_methods(["GET", "POST"])
def moderation_decision(request, decision_id):
    """The statement of reasons, for the member it concerns (and the case's moderators);
    the member contests it here."""
    decision = selectors.get_decision_for(request.user, decision_id)
    return _decision_page(request, decision, actor=request.user)


@require_http_methods(["GET", "POST"])
def moderation_decision_by_link(request, decision_id, token):
    """The same page for a suspended member, who cannot sign in: the log-in form that
    refused them gave them this signed link (network.adapters)."""
    decision = selectors.get_decision_for_link(decision_id, token)
    return _decision_page(request, decision, actor=decision.affected)


def _decision_page(request, decision, *, actor):
    form = ComplaintForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.contest(actor=actor, decision=decision, text=form.cleaned_data["text"])
            except FORM_ERRORS as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Your complaint is sent; another moderator will answer.")
                )
        else:
            messages.error(request, _("Explain why you contest this decision."))
        return redirect(request.path)
    complaint = selectors.complaint_of(decision)
    may_contest = (
        complaint is None
        and can_contest(actor, decision)
        and decision.action != "dismiss"
        and timezone.now() <= decision.decided_at + services.COMPLAINT_WINDOW
    )
    return render(
        request,
        "network/moderation/decision.html",
        {
            "decision": decision,
            "complaint": complaint,
            "form": form if may_contest else None,
            "deadline": decision.decided_at + services.COMPLAINT_WINDOW,
            "rules_url": services.community_rules_url(),
        },
    )


def _period(request) -> tuple[date, date]:
    """The report's period from ?from= and ?to= (YYYY-MM-DD, both days included); by
    default the last twelve months. ValueError with a message when they are wrong."""
    today = timezone.localdate()
    try:
        end = date.fromisoformat(request.GET["to"]) if request.GET.get("to") else today
        start = (
            date.fromisoformat(request.GET["from"])
            if request.GET.get("from")
            else end - timedelta(days=365)
        )
    except ValueError:
        raise ValueError(_("Give the dates as YYYY-MM-DD.")) from None
    if start > end:
        raise ValueError(_("The start of the period must come before its end."))
    return start, end


def _csv_safe(cell):
    """A free-text cell that a spreadsheet would read as a formula is quoted."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell


@login_required
def moderation_transparency(request):
    """The transparency report (DSA Art. 15 and 24) for agency moderators, on the page or
    as a CSV file (?format=csv)."""
    if not is_agency_moderator(request.user):
        raise PermissionDenied(_("The transparency report is for agency moderators."))
    try:
        start, end = _period(request)
    except ValueError as error:
        return render(
            request,
            "network/moderation/transparency.html",
            {"error": str(error)},
            status=400,
        )
    zone = timezone.get_current_timezone()
    figures = selectors.transparency(
        request.user,
        start=datetime.combine(start, time.min, tzinfo=zone),
        end=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="transparency-{start.isoformat()}-{end.isoformat()}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(["metric", "detail", "value"])
        for row in selectors.transparency_rows(figures):
            writer.writerow([_csv_safe(cell) for cell in row])
        return response
    return render(
        request,
        "network/moderation/transparency.html",
        {"figures": figures, "start": start, "end": end},
    )


urlpatterns = [
    path("report/<slug:kind>/<int:item_id>/", report, name="report"),
    path("moderation/", moderation_queue, name="moderation_queue"),
    path("moderation/transparency/", moderation_transparency, name="moderation_transparency"),
    path("moderation/cases/<int:case_id>/", moderation_case, name="moderation_case"),
    path(
        "moderation/complaints/<int:complaint_id>/decide/",
        moderation_complaint_decide,
        name="moderation_complaint_decide",
    ),
    path(
        "moderation/decisions/<int:decision_id>/",
        moderation_decision,
        name="moderation_decision",
    ),
    path(
        "moderation/decisions/<int:decision_id>/<str:token>/",
        moderation_decision_by_link,
        name="moderation_decision_by_link",
    ),
    path("groups/<slug:slug>/moderation/", group_moderation, name="group_moderation"),
]
