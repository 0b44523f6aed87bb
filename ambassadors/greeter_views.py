"""Greeter pages: the visitor's public form and signed links, the greeter's requests, the
staff's list of requests with no taker."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import ratelimit
from core.errors import FORM_ERRORS

from .forms import FeedbackForm, GreeterOfferForm, GreeterRequestForm
from .models import Greeter, GreeterFeedback, GreeterProposal, GreeterRequest, Profile
from .permissions import is_ambassador, is_programme_staff
from .services import greeters
from .views import ambassador_view, staff_view

# The visitor's side (no account) ----------------------------------------------------------------


def meet(request):
    form = GreeterRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            greeters.check_human(
                stamp=request.POST.get("stamp", ""), honeypot=request.POST.get("website", "")
            )
            greeters.request_greeter(
                name=data["name"],
                email=data["email"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                group_size=data["group_size"],
                languages=data["languages"],
                interests=data["interests"],
                area=data["area"],
                message=data["message"],
                client=ratelimit.client_key(request),
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            return redirect("ambassadors:greeter_sent")
    return render(
        request,
        "ambassadors/greeters/meet.html",
        {"form": form, "stamp": greeters.form_stamp(), "max_group": greeters.MAX_GROUP},
    )


def sent(request):
    return render(request, "ambassadors/greeters/sent.html")


def confirm(request, token):
    found = greeters.request_from_token(token, "confirm")
    if request.method == "POST":
        found = greeters.confirm_request(token=token)
        return render(request, "ambassadors/greeters/confirmed.html", {"greeter_request": found})
    return render(request, "ambassadors/greeters/confirm.html", {"greeter_request": found})


def visitor_feedback(request, token):
    found = greeters.request_from_token(token, "feedback")
    form = FeedbackForm(request.POST or None)
    done = GreeterFeedback.objects.filter(
        request=found, author=GreeterFeedback.Author.VISITOR
    ).exists()
    if request.method == "POST" and form.is_valid():
        try:
            greeters.leave_visitor_feedback(token=token, text=form.cleaned_data["text"])
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            done = True
    return render(
        request,
        "ambassadors/greeters/visitor_feedback.html",
        {"greeter_request": found, "form": form, "done": done},
    )


# The greeter's side ---------------------------------------------------------------------------


@ambassador_view
def offer(request):
    mine = Greeter.objects.filter(user=request.user).prefetch_related("areas").first()
    profile = Profile.objects.filter(user=request.user).prefetch_related("areas").first()
    if mine is not None:
        initial = {
            "languages": mine.language_codes,
            "areas": list(mine.areas.all()),
            "interests": mine.interests,
        }
    elif profile is not None:
        initial = {
            "languages": profile.language_codes,
            "areas": list(profile.areas.all()),
            "interests": ", ".join(profile.interests.names()),
        }
    else:
        initial = {}
    initial["active"] = bool(profile and profile.greeter)
    form = GreeterOfferForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            greeters.save_greeter_offer(
                actor=request.user,
                active=data["active"],
                languages=data["languages"],
                areas=data["areas"],
                interests=data["interests"],
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your greeter preferences are saved."))
            return redirect("ambassadors:greeter_requests")
    return render(request, "ambassadors/greeters/offer.html", {"form": form})


@ambassador_view
def my_requests(request):
    proposals = (
        GreeterProposal.objects.filter(greeter=request.user)
        .select_related("request__area")
        .order_by("-request__date_from", "-pk")[:50]
    )
    return render(
        request,
        "ambassadors/greeters/requests.html",
        {
            "proposals": proposals,
            "greeter": Profile.objects.filter(user=request.user, greeter=True).exists(),
        },
    )


@login_required
def request_detail(request, pk):
    if not (is_ambassador(request.user) or is_programme_staff(request.user)):
        raise PermissionDenied(_("This page is for ambassadors."))
    found = greeters.get_request_for(request.user, pk)
    mine = found.greeter_id == request.user.pk
    form = FeedbackForm()
    context = {
        "greeter_request": found,
        "mine": mine,
        "taken": found.greeter_id is not None and not mine,
        "proposed": GreeterProposal.objects.filter(request=found, greeter=request.user).exists(),
        "can_feedback": mine and found.date_from <= timezone.localdate(),
        "feedback": list(found.feedback.all()),
        "form": form,
        "staff": is_programme_staff(request.user),
    }
    return render(request, "ambassadors/greeters/request.html", context)


@require_POST
@ambassador_view
def accept(request, pk):
    found = greeters.get_request_for(request.user, pk)
    try:
        greeters.accept_request(actor=request.user, request=found)
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Thank you! You and the visitor each received the other's e-mail.")
        )
    return redirect("ambassadors:greeter_request", pk)


@require_POST
@ambassador_view
def greeter_feedback(request, pk):
    found = greeters.get_request_for(request.user, pk)
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            greeters.leave_greeter_feedback(
                actor=request.user, request=found, text=form.cleaned_data["text"]
            )
        except FORM_ERRORS as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for your feedback."))
    else:
        messages.error(request, _("Write a few words (500 characters at most)."))
    return redirect(reverse("ambassadors:greeter_request", args=[pk]))


# Staff ------------------------------------------------------------------------------------------


@staff_view
def waiting(request):
    return render(
        request,
        "ambassadors/greeters/waiting.html",
        {
            "waiting": greeters.waiting_requests()[:200],
            "statuses": GreeterRequest.Status,
        },
    )
