"""The member's notifications (/notifications/), their preferences on the account page
(/accounts/notifications/) and the one-click unsubscribe link of the e-mails, which works
without logging in."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.errors import InvalidInput
from network.models import Notification, NotificationPreference
from network.registries import notification_kind, notification_kinds
from network.selectors.notifications import notification_page
from network.services import notifications as services


@never_cache
@login_required
@require_safe
def notifications_index(request):
    try:
        page = notification_page(request.user, cursor=request.GET.get("cursor"))
    except InvalidInput as error:
        return HttpResponseBadRequest(str(error.message))
    return render(
        request,
        "network/notifications/index.html",
        {"page": page, "unread": services.unread_count(request.user)},
    )


@login_required
@require_safe
def notification_open(request, notification_id):
    """Follow a notification: it (and the others of its group, same kind and target) are
    marked read on the way."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    same = Notification.objects.filter(
        recipient=request.user,
        kind=notification.kind,
        target_type_id=notification.target_type_id,
        target_id=notification.target_id,
        read_at__isnull=True,
    ).values_list("pk", flat=True)
    services.mark_read(actor=request.user, ids=list(same))
    url = services.localized_path(notification.url, get_language())
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return redirect("network:notifications")
    return redirect(url)


@login_required
@require_POST
def notifications_read(request):
    """Mark one group (its `id` values) or `all` notifications read."""
    try:
        changed = services.mark_read(
            actor=request.user,
            ids=request.POST.getlist("id"),
            everything=bool(request.POST.get("all")),
        )
    except InvalidInput as error:
        return HttpResponseBadRequest(str(error.message))
    if request.POST.get("all") and changed:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect("network:notifications")


class PreferencesForm(forms.Form):
    """One choice per kind of notification."""

    def __init__(self, *args, initial_channels: dict, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in notification_kinds():
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                choices=NotificationPreference.Channel.choices,
                initial=initial_channels[kind.key],
                widget=forms.RadioSelect,
            )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_preferences(request):
    current = services.channels_for(request.user)
    form = PreferencesForm(request.POST or None, initial_channels=current)
    if request.method == "POST":
        if form.is_valid():
            services.set_notification_preferences(
                actor=request.user, user=request.user, channels=form.cleaned_data
            )
            messages.success(request, _("Your notification preferences have been saved."))
            return redirect("network:notification_preferences")
        status = 400
    else:
        status = 200
    rows = [
        {"field": form[kind.key], "label": kind.label, "kind": kind.key}
        for kind in notification_kinds()
    ]
    return render(
        request,
        "network/notifications/preferences.html",
        {"form": form, "rows": rows, "channels": NotificationPreference.Channel.choices},
        status=status,
    )


@csrf_exempt  # the signed token is the proof; mail providers POST without a CSRF token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def notifications_unsubscribe(request, token):
    """GET shows what the link stops, with one button (a mail scanner following links must
    not unsubscribe anyone); POST stops it, from that button or from the mail client's own
    "unsubscribe" (RFC 8058 one-click, List-Unsubscribe-Post). No log-in needed; a forged or
    altered token is a 400 and changes nothing."""
    try:
        if request.method == "POST":
            user, kinds = services.unsubscribe(token=token)
        else:
            user, kinds = services.read_unsubscribe_token(token)
    except InvalidInput as error:
        return render(
            request,
            "network/notifications/unsubscribe.html",
            {"error": error.message},
            status=400,
        )
    return render(
        request,
        "network/notifications/unsubscribe.html",
        {
            "done": request.method == "POST",
            "labels": [notification_kind(kind).label for kind in kinds],
            "token": token,
            "member": user,
        },
    )


urlpatterns = [
    path("notifications/", notifications_index, name="notifications"),
    path("notifications/read/", notifications_read, name="notifications_read"),
    path("notifications/<int:notification_id>/", notification_open, name="notification_open"),
    path(
        "notifications/unsubscribe/<str:token>/",
        notifications_unsubscribe,
        name="notifications_unsubscribe",
    ),
    path("accounts/notifications/", notification_preferences, name="notification_preferences"),
]
