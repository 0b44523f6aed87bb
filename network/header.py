"""The site header's member parts as cached parts (core.pages.cache_member_part): for each,
everything its template shows of the request. A fact missing here would show one member's
menu to another: tests/test_pages.py changes each one."""

from content.permissions import can_contribute
from core.pages import cache_member_part
from core.roles import may_open_admin
from network.services.notifications.reading import unread_count


def account_facts(request) -> tuple:
    """templates/includes/header_account.html"""
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


def language_switch_facts(request) -> tuple:
    """templates/includes/language_switch.html: the page to come back to."""
    return (request.get_full_path(),)


def userbar_facts(request) -> tuple | None:
    """templates/includes/userbar.html: nothing for most members; Wagtail's bar, which
    names the page, for those who may open the admin."""
    return None if may_open_admin(request.user) else ("none",)


def register_parts() -> None:
    cache_member_part("includes/header_account.html", account_facts)
    cache_member_part("includes/language_switch.html", language_switch_facts)
    cache_member_part("includes/userbar.html", userbar_facts)
