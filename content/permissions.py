"""Who may do what in the content hub (`can_*` predicates, checked again by the services)."""

from collections.abc import Callable

from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from core.roles import in_group

CONTRIBUTORS_GROUP = "Contributors"


_contributor_checks: list[Callable[[object], bool]] = []


def register_contributor_check(check: Callable[[object], bool]) -> None:
    """Let a downstream app (ambassadors: approved ambassadors) count more people as
    contributors, without content importing it. Call from the app's `ready()`."""
    if check not in _contributor_checks:
        _contributor_checks.append(check)


_writer_checks: list[Callable[[object], bool]] = []


def register_writer_check(check: Callable[[object], bool]) -> None:
    """Let network say who may write at all (signed in, active, not suspended: its
    `can_write`) without content importing it. Call from the app's `ready()`."""
    if check not in _writer_checks:
        _writer_checks.append(check)


def can_write(user) -> bool:
    """A signed-in, active member whom no registered check holds back (a suspension)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return all(check(user) for check in _writer_checks)


def can_contribute(user) -> bool:
    """People outside the agency who may propose stories: members of the "Contributors"
    group, or anyone a registered contributor check accepts."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    # Cached on the user object: a page asks several times while rendering.
    cached = getattr(user, "_content_can_contribute", None)
    if cached is None:
        cached = in_group(user, CONTRIBUTORS_GROUP) or any(
            check(user) for check in _contributor_checks
        )
        user._content_can_contribute = cached
    return cached


def is_suggestable(page: Page) -> bool:
    """Pages whose introduction an update suggestion may change: those kept fresh on a
    schedule (destinations, welcome packs)."""
    from content.models import FreshnessMixin

    return isinstance(page.specific, FreshnessMixin)


def can_view_page(user, page: Page) -> bool:
    """Live pages without a view restriction the user does not pass (password, login,
    groups). The same answer for "missing" and "forbidden", so private pages do not leak."""
    if not page.live:
        return False
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == restriction.PASSWORD:
            return False
        if restriction.restriction_type == restriction.LOGIN and not user.is_authenticated:
            return False
        if restriction.restriction_type == restriction.GROUPS:
            if not user.is_authenticated:
                return False
            if (
                not user.is_superuser
                and not user.groups.filter(pk__in=restriction.groups.values("pk")).exists()
            ):
                return False
    return True


def can_suggest_update(user, page: Page) -> bool:
    """Any member who may write suggests an update to a page they can read (contributors
    and others alike); every suggestion waits for staff in the suggestions queue."""
    return can_write(user) and is_suggestable(page) and can_view_page(user, page)


def can_moderate_contributions(user) -> bool:
    """Agency staff who may open the suggestions queue: admin access and the right to
    publish somewhere. Deciding on one suggestion also needs the right to publish its page
    (see `can_decide_suggestion`)."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return user.has_perm(
        "wagtailadmin.access_admin"
    ) and PagePermissionPolicy().user_has_permission(user, "publish")


def can_decide_suggestion(user, page: Page) -> bool:
    return can_moderate_contributions(user) and page.permissions_for_user(user).can_publish()


def can_share_preview(user, page: Page) -> bool:
    """Staff who may edit a page may hand out (and revoke) a secret link to its draft."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return page.permissions_for_user(user).can_edit()


def can_see_event_registrations(user) -> bool:
    """Agency staff who may edit pages read (and export) who registered for events."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return PagePermissionPolicy().user_has_permission(user, "change")
