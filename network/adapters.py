from allauth.account.adapter import DefaultAccountAdapter
from django.urls import translate_url

from config.mail import subject_line


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request):
        url = super().get_login_redirect_url(request)
        return translate_url(url, request.user.preferred_language)

    def format_email_subject(self, subject):
        return subject_line(super().format_email_subject(subject))
