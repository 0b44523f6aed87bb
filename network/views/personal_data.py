"""The account page's "Your data": download a copy of everything (a zip built in the
background, its link e-mailed and shown here) and delete the account."""

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.errors import Conflict, DomainError, InvalidInput, NotFound, RateLimited
from network.services import personal_data as services


class DeleteAccountForm(forms.Form):
    posts = forms.ChoiceField(
        label=gettext_lazy("Your posts and comments"),
        choices=[
            (
                services.POSTS_ANONYMISE,
                gettext_lazy("Keep them, signed “Former member” (conversations stay readable)"),
            ),
            (services.POSTS_REMOVE, gettext_lazy("Remove them")),
        ],
        widget=forms.RadioSelect,
        initial=services.POSTS_ANONYMISE,
    )
    password = forms.CharField(
        label=gettext_lazy("Your password, to confirm"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _render(request, *, form=None, status=200):
    return render(
        request,
        "network/personal_data/index.html",
        {
            "exports": services.exports_of(request.user),
            "form": form or DeleteAccountForm(),
            "max_days": services.EXPORT_MAX_AGE.days,
            "per_day": services.EXPORTS_PER_DAY,
        },
        status=status,
    )


@never_cache
@login_required
@require_GET
def personal_data(request):
    return _render(request)


@never_cache
@login_required
@require_POST
def personal_data_export(request):
    """Queue the export. Answered with the page itself (the link shows there at once when
    the task runs eagerly, and arrives by e-mail otherwise)."""
    try:
        services.request_export(actor=request.user)
    except RateLimited:
        message = _("You have asked for %(count)s exports today: try again tomorrow.") % {
            "count": services.EXPORTS_PER_DAY
        }
        raise RateLimited(message) from None  # the 429 page (core.middleware)
    messages.success(
        request,
        _("Your export is being prepared. The link will be sent to your e-mail address."),
    )
    return _render(request)


@never_cache
@login_required
@require_GET
def personal_data_download(request, signed):
    try:
        path = services.export_file_for(actor=request.user, signed=signed)
    except NotFound as error:
        raise Http404(str(error.message)) from error
    except Conflict as error:
        return render(
            request, "network/personal_data/expired.html", {"message": error.message}, status=410
        )
    return _send_export(path)


def _send_export(path):
    """The zip, sent by Django, or by nginx's internal location when EXPORTS_ACCEL_REDIRECT
    names one (the checks above stay Django's: nginx only sends the bytes)."""
    location = settings.EXPORTS_ACCEL_REDIRECT
    if not location:
        return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)
    relative = path.relative_to(services.exports_root()).as_posix()
    response = HttpResponse(content_type="application/zip")
    response["X-Accel-Redirect"] = location.rstrip("/") + "/" + quote(relative)
    response["Content-Disposition"] = content_disposition_header(True, path.name)
    return response


@never_cache
@login_required
@require_POST
def personal_data_delete(request):
    form = DeleteAccountForm(request.POST)
    if not form.is_valid():
        return _render(request, form=form, status=400)
    try:
        services.delete_account(
            actor=request.user,
            user=request.user,
            password=form.cleaned_data["password"],
            posts=form.cleaned_data["posts"],
        )
    except InvalidInput as error:
        form.add_error("password", error.message)
        return _render(request, form=form, status=400)
    except DomainError as error:
        form.add_error(None, error.message)
        return _render(request, form=form, status=error.status)
    logout(request)
    return redirect("network:personal_data_goodbye")


@require_GET
def personal_data_goodbye(request):
    return render(request, "network/personal_data/goodbye.html")


urlpatterns = [
    path("accounts/data/", personal_data, name="personal_data"),
    path("accounts/data/export/", personal_data_export, name="personal_data_export"),
    path(
        "accounts/data/download/<str:signed>/",
        personal_data_download,
        name="personal_data_download",
    ),
    path("accounts/data/delete/", personal_data_delete, name="personal_data_delete"),
    path("accounts/data/goodbye/", personal_data_goodbye, name="personal_data_goodbye"),
]
