from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.urls import reverse, translate_url
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.mail import subject_line


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        return translate_url(url, request.user.preferred_language)

    def format_email_subject(self, subject):
        return subject_line(super().format_email_subject(subject))

    def authenticate(self, request, **credentials):
        """A suspended member gave the right password: the log-in form says until when,
        and links to the statement of reasons and the complaint form (network.auth_backends
        refuses the sign-in itself)."""
        user = super().authenticate(request, **credentials)
        if user is not None and getattr(user, "is_suspended", False):
            raise ValidationError(suspension_message(user), code="suspended")
        return user


def suspension_message(user):
    from network.selectors.moderation import current_suspension, statement_link_token

    until = formats.date_format(timezone.localtime(user.suspended_until), "DATETIME_FORMAT")
    message = _("Your account is suspended until %(until)s.") % {"until": until}
    decision = current_suspension(user)
    if decision is None:
        return message
    url = reverse(
        "network:moderation_decision_by_link", args=[decision.pk, statement_link_token(decision)]
    )
    return format_html(
        '{} <a href="{}">{}</a> · <a href="{}#contest">{}</a>',
        message,
        url,
        _("Read the statement of reasons"),
        url,
        _("Contest this decision"),
    )
