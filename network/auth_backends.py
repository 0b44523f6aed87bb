"""Sign-in refuses suspended members, whatever the form (the site's, Wagtail's, Django's).

Only `authenticate()` refuses them: a suspension already ends the member's sessions, tokens
and sockets (network.services.accounts.sign_out_everywhere), and the refusal of their
writes (network.permissions) stays the rule for any session that would outlive it.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


def _suspended(user) -> bool:
    return user is not None and getattr(user, "is_suspended", False)


class MemberBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return None if _suspended(user) else user


class AllauthMemberBackend(AuthenticationBackend):
    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if _suspended(user):
            # allauth takes the stashed member back to say why (network.adapters).
            self._stash_user(user)
            return None
        return user
