"""The site header's account menu as a cached member part (core.pages.cache_member_part):
everything templates/includes/header_account.html shows of the viewer. A fact missing here
would show one member's menu to another: tests/test_pages.py changes each one."""

from content.permissions import can_contribute
from core.roles import may_open_admin
from network.services.notifications.reading import unread_count

ACCOUNT_PART = "includes/header_account.html"


def account_facts(request) -> tuple:
    user = request.user
    if not user.is_authenticated:
        return ("anonymous",)
    match = request.resolver_match
    return (
        user.pk,
        user.get_display_name(),
        user.avatar.name if user.avatar else "",
        unread_count(user),
        can_contribute(user),
        may_open_admin(user),
        # The links marked as the current page (the chat, the notifications).
        match.view_name if match else "",
    )
