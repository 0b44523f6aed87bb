"""The account page's personal access tokens, for the API: create one (its secret is shown
once, on the page that answers the form, and stored nowhere), see them with their last use,
revoke them."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from core.errors import DomainError
from network.models import PersonalAccessToken
from network.services import tokens as services

EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year")),
    ("never", gettext_lazy("Never")),
]
LIST_SIZE = 50


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=services.MAX_NAME_LENGTH,
        help_text=gettext_lazy("What the token is for, e.g. “Website sync”."),
    )
    expires = forms.ChoiceField(label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, initial="90")

    def expires_at(self):
        days = self.cleaned_data["expires"]
        return None if days == "never" else timezone.now() + timedelta(days=int(days))


def _render(request, form, *, new_token=None, status=200):
    tokens = list(services.tokens_of(request.user)[:LIST_SIZE])
    now = timezone.now()
    for token in tokens:
        token.is_expired = token.expires_at is not None and token.expires_at <= now
    return render(
        request,
        "network/tokens/index.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=status,
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens_index(request):
    if request.method != "POST":
        return _render(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    try:
        token, raw_token = services.create_token(
            actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
        )
    except DomainError as error:
        form.add_error(None, error.message)
        return _render(request, form, status=error.status)
    # Answered here rather than after a redirect, so that the secret is never stored,
    # not even in the session; never_cache keeps it out of the browser's cache.
    return _render(request, TokenForm(), new_token={"token": token, "secret": raw_token})


@login_required
@require_POST
def token_revoke(request, token_id):
    token = get_object_or_404(PersonalAccessToken, pk=token_id, user=request.user)
    services.revoke_token(actor=request.user, token=token)
    messages.success(
        request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("network:tokens")


urlpatterns = [
    path("accounts/tokens/", tokens_index, name="tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", token_revoke, name="token_revoke"),
]
