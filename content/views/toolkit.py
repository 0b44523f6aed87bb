"""Brand kit downloads and licence requests to the place-brand mark."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from content.services import toolkit as services
from core.errors import Conflict, DomainError, NotFound


class RulesAcceptanceForm(forms.Form):
    accept_rules = forms.BooleanField(required=True)
    rules_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, page, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["rules_version"].initial = page.usage_rules_version
        self.fields["accept_rules"].label = _(
            "I accept the brand usage rules (version %(version)s)"
        ) % {"version": page.usage_rules_version}
        self.fields["accept_rules"].error_messages["required"] = _(
            "You must accept the brand usage rules."
        )

    def accepted_rules_version(self) -> int | None:
        if not self.cleaned_data.get("accept_rules"):
            return None
        return self.cleaned_data.get("rules_version")


class LicenceRequestForm(RulesAcceptanceForm):
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=160,
        required=False,
        help_text=_("The company, association or institution that will use the mark, if any."),
    )
    intended_use = forms.CharField(
        label=_("Intended use"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Where and how the mark will appear: packaging, website, event, signage…"),
    )

    field_order = ["organisation_name", "intended_use", "accept_rules", "rules_version"]


def download_asset(request, asset_id):
    """Serve an asset's file as an attachment and count the download."""
    try:
        asset = services.get_asset_for_download(user=request.user, asset_id=asset_id)
    except NotFound as exc:
        raise Http404 from exc
    except services.RulesNotAccepted as error:
        page = error.licence.asset.page
        form = RulesAcceptanceForm(page=page)
        return _licence_required(request, error, asset=error.licence.asset, form=form)
    except services.LicenceRequired as error:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _licence_required(request, error, asset=None, asset_id=asset_id)

    try:
        handle = asset.document.file.open("rb")
    except OSError as exc:  # the file went missing from storage
        raise Http404 from exc
    services.record_download(asset=asset)
    response = FileResponse(handle, as_attachment=True, filename=asset.document.filename)
    if asset.licensed:
        response["Cache-Control"] = "private, no-store"
    return response


def _licence_required(request, error, *, asset, asset_id=None, form=None):
    """The 403 page: why the mark cannot be downloaded, and what to do about it."""
    if asset is None:
        asset = services.get_licensable_asset(user=request.user, asset_id=asset_id)
    state, licence = services.member_licence_state(user=request.user, asset=asset)
    context = {
        "asset": asset,
        "page": asset.page,
        "error": error,
        "state": state,
        "licence": licence,
        "form": form,
    }
    return render(request, "content/toolkit/licence_required.html", context, status=403)


@login_required
def request_licence(request, asset_id):
    """The form to ask for a licence to the mark, with the usage rules to accept."""
    try:
        asset = services.get_licensable_asset(user=request.user, asset_id=asset_id)
    except NotFound as exc:
        raise Http404 from exc
    page = asset.page.specific
    status = 200
    if request.method == "POST":
        form = LicenceRequestForm(request.POST, page=page)
        if form.is_valid():
            try:
                services.request_licence(
                    user=request.user,
                    asset=asset,
                    organisation_name=form.cleaned_data["organisation_name"],
                    intended_use=form.cleaned_data["intended_use"],
                    accepted_rules_version=form.accepted_rules_version(),
                )
            except NotFound as exc:
                raise Http404 from exc
            except DomainError as error:
                form.add_error(None, error.message)
                status = 409 if isinstance(error, Conflict) else error.status
            else:
                messages.success(
                    request,
                    gettext(
                        "Your licence request has been sent. You will receive an e-mail "
                        "when the agency has decided."
                    ),
                )
                return redirect(page.url)
        else:
            status = 400
    else:
        form = LicenceRequestForm(page=page)
    return render(
        request,
        "content/toolkit/licence_request.html",
        {"asset": asset, "page": page, "form": form},
        status=status,
    )


@login_required
@require_POST
def accept_rules(request, licence_id):
    """A licence holder accepts the new version of the usage rules."""
    try:
        licence = services.get_own_licence(user=request.user, licence_id=licence_id)
        services.accept_current_rules(
            user=request.user,
            licence_id=licence.pk,
            accepted_rules_version=_posted_rules_version(request),
        )
    except NotFound as exc:
        raise Http404 from exc
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("content:toolkit_download", asset_id=licence.asset_id)
    messages.success(
        request,
        gettext("Thank you. You can download “%(title)s” again.") % {"title": licence.asset.title},
    )
    return redirect(licence.asset.page.url)


def _posted_rules_version(request) -> int | None:
    if request.POST.get("accept_rules") not in ("on", "true", "1"):
        return None
    try:
        return int(request.POST.get("rules_version", ""))
    except ValueError:
        return None
