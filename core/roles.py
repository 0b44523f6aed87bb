"""The agency's roles are Django groups (Moderators, Contributors, Ambassadors). A page asks
about several of them (the header, the feed's rules, the composer): the member's group names
are kept in the cache and, for the request, on the user object. Adding the member to a group
or removing them (through `user.groups` or `group.user_set`), renaming or deleting a group
forgets them (receivers below), now and again once the transaction commits."""

import hashlib

from django.contrib.auth import get_user_model

from core.caches import ADMIN_LINK, ROLE_NAMES, ROLE_NAMES_ATTRIBUTE

# Wagtail's own group, which agency moderators join (its data migration creates it).
MODERATORS_GROUP = "Moderators"

CACHE_ATTRIBUTE = ROLE_NAMES_ATTRIBUTE


def group_names(user) -> frozenset[str]:
    if not (user and user.is_authenticated):
        return frozenset()
    names = user.__dict__.get(CACHE_ATTRIBUTE)
    if names is None:
        names = ROLE_NAMES.get_or_set(
            user.pk, default=lambda: frozenset(user.groups.values_list("name", flat=True))
        )
        user.__dict__[CACHE_ATTRIBUTE] = names
    return names


def remember_group_names(users, *, among=None) -> None:
    """Load the group names of many users in one query and keep them on each user object,
    as group_names() does. `among`, a query of the users' ids, replaces the list of ids in
    the SQL (quicker for thousands)."""
    user_ids = among if among is not None else [user.pk for user in users]
    names: dict[int, set[str]] = {}
    for user_id, name in (
        get_user_model()
        .groups.through.objects.filter(user_id__in=user_ids)
        .values_list("user_id", "group__name")
    ):
        names.setdefault(user_id, set()).add(name)
    for user in users:
        user.__dict__[CACHE_ATTRIBUTE] = frozenset(names.get(user.pk, ()))


def in_group(user, name: str) -> bool:
    return name in group_names(user)


def forget_group_names(user_ids) -> None:
    """Drop the cached group names of these users, now and once the transaction commits (a
    request reading meanwhile would cache the names from before the change). The receivers
    (core/caches.py) call it on every change of a membership or a group."""
    ROLE_NAMES.forget(user_ids)


# The header's "Admin" link, for members who may open Wagtail's admin. Django reads all of a
# member's permissions to answer (two queries on every page); the answer is kept a few minutes
# under a key that names their groups, so that joining or leaving a group shows at once. The
# admin checks access itself on every request: a late link opens nothing.
ADMIN_LINK_TIMEOUT = ADMIN_LINK.timeout


def may_open_admin(user) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    groups = ",".join(sorted(group_names(user)))
    digest = hashlib.md5(groups.encode(), usedforsecurity=False).hexdigest()
    # A page asks twice (the header and the user bar): kept on the user object for the request.
    allowed = user.__dict__.get("_admin_link", {}).get(digest)
    if allowed is None:
        allowed = ADMIN_LINK.get_or_set(
            user.pk, digest, default=lambda: user.has_perm("wagtailadmin.access_admin")
        )
        user.__dict__["_admin_link"] = {digest: allowed}
    return allowed
