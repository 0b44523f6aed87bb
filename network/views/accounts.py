import logging

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language_from_path, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from content.translations import translation_url
from core.errors import NotAllowed
from network import services, trust
from network.forms import ProfileForm

logger = logging.getLogger(__name__)


@require_POST
def set_language(request):
    """Django's language switch, which also remembers the choice on a member's profile and
    takes a hub page's visitor to the page's translation.

    With an unprefixed default language, LocaleMiddleware treats this unprefixed URL as
    French, so "/en/…" would be read as a French page whose slug is "en"; reading `next`
    in its own language lets Django translate it back.
    """
    next_url = request.POST.get("next", "/")
    next_language = get_language_from_path(next_url)
    with translation.override(next_language or settings.LANGUAGE_CODE):
        response = django_set_language(request)
    language = request.POST.get("language")
    if (
        response.status_code == 302
        and language in dict(settings.LANGUAGES)
        and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        # A hub page goes to its translation (or the other language's home page).
        target = translation_url(request, next_url, language)
        if target:
            response["Location"] = target
    user = request.user
    if (
        user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and user.preferred_language != language
    ):
        services.update_profile(actor=user, user=user, preferred_language=language)
    return response


@login_required
def account_profile(request):
    form = ProfileForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            user = services.update_profile(actor=request.user, user=request.user, **changes)
        except NotAllowed as error:
            raise PermissionDenied(str(error.message)) from error
        messages.success(request, _("Your profile has been saved."))
        return redirect(translate_url(request.path, user.preferred_language))
    return render(
        request,
        "network/account_profile.html",
        {"form": form, "trust": trust.progress(request.user)},
    )


class MailFailureMixin:
    """An allauth form view whose e-mail cannot be sent (the SMTP relay refuses, is down or
    is not configured yet) shows the form again with a message, and the error goes to the
    log: never a server error. smtplib's errors, refused connections and timeouts are all
    OSErrors."""

    mail_failure_message = gettext_lazy(
        "The confirmation e-mail could not be sent: the site's e-mail service is not "
        "answering. Please try again later; if this goes on, tell the site's administrators."
    )

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except OSError:
            logger.exception("E-mail could not be sent from %s", self.request.path)
            form.add_error(None, self.mail_failure_message)
            return self.form_invalid(form)


class LoginView(MailFailureMixin, allauth_views.LoginView):
    """allauth's log-in, where an unverified address is sent a confirmation e-mail."""


class SignupView(MailFailureMixin, allauth_views.SignupView):
    mail_failure_message = gettext_lazy(
        "Your account is created, but the confirmation e-mail could not be sent: the site's "
        "e-mail service is not answering. Log in later to receive it again."
    )


class PasswordResetView(MailFailureMixin, allauth_views.PasswordResetView):
    mail_failure_message = gettext_lazy(
        "The e-mail to reset your password could not be sent: the site's e-mail service is "
        "not answering. Please try again later."
    )
